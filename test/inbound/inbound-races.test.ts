import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appWith } from '../helpers/app.js';
import { createCustomer } from '../helpers/fixtures.js';
import { eventually, example, startInbound, uniqueId } from './inbound.fixtures.js';

// Two instances consume the same queues (competing consumers) on one database. For each order, its completion
// (total 100) and two refunds of 10 arrive together: in whatever order they are applied, the result is the one of
// one after the other, 80 points, because the messages of one order are serialized.

let s: Awaited<ReturnType<typeof startInbound>>;
let second: FastifyInstance;

beforeAll(async () => {
  s = await startInbound({ env: { INBOUND_PREFETCH: '20' } });
  second = await appWith(s.t, {});
  await eventually(
    async () => second.inbound.status(),
    (q) => q !== 'off' && q.every((x) => x.consumer === 'consuming'),
  );
}, 120_000);

afterAll(async () => {
  await second?.close();
  await s?.close();
});

it('when one order’s completion and refunds are handled at once on two instances, then each order ends with the points of one-after-the-other', async () => {
  const orders = 40;
  const customers = await Promise.all(Array.from({ length: orders }, () => createCustomer(s.t)));
  const sends: Promise<string>[] = [];
  for (const customer of customers) {
    const orderId = uniqueId('order');
    const refund = (refundId: string) =>
      example('order.refunded', s.t.org, { order_id: orderId, customer_id: customer, refund_id: refundId, amount: 10 });
    sends.push(
      s.producer.send('order.refunded', refund(uniqueId('ref'))),
      s.producer.send(
        'order.completed',
        example('order.completed', s.t.org, { order_id: orderId, customer_id: customer, total: 100 }),
      ),
      s.producer.send('order.refunded', refund(uniqueId('ref'))),
    );
  }
  await Promise.all(sends);
  const handled = async () =>
    Number(
      (await s.t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox WHERE organization_id = $1', [s.t.org]))
        .rows[0]?.n,
    );
  await eventually(handled, (n) => n === orders * 3, 60_000);
  const balances = await s.t.db.query<{ points_balance: number }>(
    'SELECT points_balance FROM loyalty_accounts WHERE organization_id = $1',
    [s.t.org],
  );
  expect(balances.rows.map((r) => r.points_balance)).toEqual(Array.from({ length: orders }, () => 80));
  // Both instances did part of the work.
  const counted = async (app: FastifyInstance) =>
    (await app.metrics.inboundMessages.get()).values.reduce((sum, v) => sum + v.value, 0);
  expect(await counted(s.t.app)).toBeGreaterThan(0);
  expect(await counted(second)).toBeGreaterThan(0);
}, 180_000);
