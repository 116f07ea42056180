import { afterAll, beforeAll, expect, it } from 'vitest';
import { signToken } from '../../src/auth/auth.js';
import type { Db } from '../../src/db/db.js';
import { createPostgresDb } from '../../src/db/postgres.js';
import { TEST_JWT_SECRET, uniqueOrg } from '../helpers/app.js';
import { createCustomersOver } from '../helpers/customers.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { EventTap } from '../helpers/events.js';
import { ServiceProcess } from '../helpers/service-process.js';
import { createVhost, type Vhost } from '../helpers/vhost.js';
import { eventually, example, Producer, uniqueId } from './inbound.fixtures.js';

// The service as its own process, consuming in a vhost of this file's own: 500 order.completed in flight, SIGKILL
// mid-batch, restart. Each order earns exactly once and each loyalty.points.earned reaches the broker.

const TOTAL = 500;
let vhost: Vhost;
let database: TestDatabase;
let db: Db;
let service: ServiceProcess | undefined;
let tap: EventTap;
let producer: Producer;

beforeAll(async () => {
  vhost = await createVhost('cs-inbound');
  database = await createTestDatabase();
  tap = await EventTap.open('loyalty.points.earned', { url: vhost.url });
  service = await ServiceProcess.start({ DATABASE_URL: database.url, AMQP_URL: vhost.url, INBOUND: 'on' });
  db = createPostgresDb(database.url, 2);
  producer = await Producer.open(vhost.url);
}, 180_000);

afterAll(async () => {
  await service?.stop();
  await producer?.close();
  await tap?.close();
  await db?.close();
  await database?.drop();
  await vhost?.delete().catch(() => {});
});

async function count(sql: string, params: unknown[]): Promise<number> {
  return Number((await db.query<{ n: number }>(sql, params)).rows[0]?.n ?? 0);
}

it('when the service is killed with SIGKILL while 500 order.completed are in flight and restarted, then each order earns exactly once and each earned event is published', async () => {
  const running = service as ServiceProcess;
  const org = uniqueOrg();
  const token = await signToken(TEST_JWT_SECRET, { org, sub: 'inbound-crash' });
  const customers = await createCustomersOver(running.url, token, 10);
  const ready = async () => {
    const body = (await (await fetch(`${running.url}/health/ready`)).json()) as { inbound?: { consumer: string }[] };
    return body.inbound ?? [];
  };
  await eventually(ready, (q) => q.length === 2 && q.every((x) => x.consumer === 'consuming'));
  const orders = Array.from({ length: TOTAL }, (_, i) => uniqueId(`order${i}`));
  for (const [i, orderId] of orders.entries()) {
    await producer.send(
      'order.completed',
      example('order.completed', org, { order_id: orderId, customer_id: customers[i % customers.length], total: 7 }),
    );
  }
  const applied = () =>
    count("SELECT count(*)::int AS n FROM inbox WHERE organization_id = $1 AND outcome = 'applied'", [org]);
  await eventually(applied, (n) => n >= 50, 60_000);
  await running.kill();
  const atKill = await applied();
  // Mid-batch for certain: messages were still in flight when the process died.
  expect(atKill).toBeLessThan(TOTAL);
  await running.spawn();
  await eventually(applied, (n) => n === TOTAL, 180_000);
  const earns = await count(
    "SELECT count(*)::int AS n FROM loyalty_transactions WHERE organization_id = $1 AND type = 'earn'",
    [org],
  );
  const distinctOrders = await count(
    "SELECT count(DISTINCT reference_id)::int AS n FROM loyalty_transactions WHERE organization_id = $1 AND type = 'earn'",
    [org],
  );
  // At-least-once across the crash: wait for every order's event, not for a number of deliveries.
  const received = await tap.waitForDistinct(
    (e) => e.body.organization_id === org,
    (e) => e.body.data.reference_id,
    TOTAL,
    120_000,
  );
  const byOrder = new Map<unknown, Set<unknown>>();
  for (const e of received) {
    const ids = byOrder.get(e.body.data.reference_id) ?? new Set();
    ids.add(e.properties.messageId);
    byOrder.set(e.body.data.reference_id, ids);
  }
  console.log(
    `inbound crash: ${atKill} applied at SIGKILL; after restart ${earns} earns for ${distinctOrders} orders; ` +
      `${received.length} loyalty.points.earned deliveries for ${byOrder.size} orders`,
  );
  expect(earns).toBe(TOTAL);
  expect(distinctOrders).toBe(TOTAL);
  expect(byOrder.size).toBe(TOTAL);
  expect([...byOrder.values()].filter((ids) => ids.size !== 1)).toEqual([]);
}, 600_000);
