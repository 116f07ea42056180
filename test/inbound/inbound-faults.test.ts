import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceivedEvent } from '../helpers/events.js';
import { createCustomer } from '../helpers/fixtures.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { earnsOf, eventually, exactlyStored, example, startInbound, uniqueId } from './inbound.fixtures.js';

// Faults through TCP proxies in front of the real servers (never stopping them): the database goes away while a
// message is handled; the broker connection is cut while hundreds are in flight.

async function counted(s: Awaited<ReturnType<typeof startInbound>>, event: string, outcome: string): Promise<number> {
  const metric = await s.t.app.metrics.inboundMessages.get();
  return metric.values.find((v) => v.labels.event === event && v.labels.outcome === outcome)?.value ?? 0;
}

describe('when PostgreSQL is unreachable', () => {
  let pg: TcpProxy;
  let s: Awaited<ReturnType<typeof startInbound>>;
  beforeAll(async () => {
    pg = await TcpProxy.start(5432);
    s = await startInbound({ databaseUrl: (url) => pg.url(url) });
  }, 120_000);
  afterAll(async () => {
    pg.restore();
    await s.close();
    await pg.close();
  });

  it('then an order.completed is retried with back-off (never dead-lettered) and applied once it is back', async () => {
    const customer = await createCustomer(s.t);
    const orderId = uniqueId('order');
    pg.cut();
    const messageId = await s.producer.send(
      'order.completed',
      example('order.completed', s.t.org, { order_id: orderId, customer_id: customer, total: 55 }),
    );
    await eventually(
      () => counted(s, 'order.completed', 'retried'),
      (n) => n >= 2,
      60_000,
    );
    pg.restore();
    await eventually(
      () => s.inbox(messageId).catch(() => undefined),
      (row) => row?.outcome === 'applied',
      60_000,
    );
    expect(await earnsOf(s.t, s.t.org, orderId)).toEqual([{ points: 55 }]);
    expect((await s.deadLetters()).has(messageId)).toBe(false);
    await exactlyStored(s, (e) => e.body.event === 'loyalty.points.earned' && e.body.data.reference_id === orderId, 1, [
      messageId,
    ]);
  }, 120_000);
});

describe('when the broker connection is cut while messages are being consumed', () => {
  let broker: TcpProxy;
  let s: Awaited<ReturnType<typeof startInbound>>;
  beforeAll(async () => {
    broker = await TcpProxy.start(5672);
    s = await startInbound({ amqpUrl: (url) => broker.url(url) });
  }, 120_000);
  afterAll(async () => {
    broker.restore();
    await s.close();
    await broker.close();
  });

  it('then the consumer reconnects and every order earns exactly once, each earned event reaching customer_events', async () => {
    const customers = await Promise.all([1, 2, 3, 4, 5].map(() => createCustomer(s.t)));
    const total = 300;
    const orders = Array.from({ length: total }, (_, i) => ({
      orderId: uniqueId(`order${i}`),
      customer: customers[i % customers.length] ?? '',
    }));
    // Published all at once (confirms in flight together), so that most are still queued when the cut comes.
    await Promise.all(
      orders.map(({ orderId, customer }) =>
        s.producer.send(
          'order.completed',
          example('order.completed', s.t.org, { order_id: orderId, customer_id: customer, total: 10 }),
        ),
      ),
    );
    const applied = async () =>
      Number(
        (
          await s.t.db.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM inbox WHERE organization_id = $1 AND outcome = 'applied'",
            [s.t.org],
          )
        ).rows[0]?.n,
      );
    await eventually(applied, (n) => n >= 20);
    const connectionsBefore = broker.accepted;
    broker.cut();
    // Mid-batch for certain: most were not applied yet when the connection went.
    const atCut = await applied();
    expect(atCut).toBeLessThan(total / 2);
    await new Promise((r) => setTimeout(r, 1000));
    broker.restore();
    await eventually(applied, (n) => n === total, 120_000);
    const earnedEvents = await s.tap.waitForDistinct(
      (e) => e.body.event === 'loyalty.points.earned' && e.body.organization_id === s.t.org,
      (e) => e.body.data.reference_id,
      total,
      60_000,
    );
    // The relay is at-least-once across the cut: count distinct outbox messages per order.
    const byOrder = new Map<unknown, Set<unknown>>();
    for (const e of earnedEvents as ReceivedEvent[]) {
      const ids = byOrder.get(e.body.data.reference_id) ?? new Set();
      ids.add(e.properties.messageId);
      byOrder.set(e.body.data.reference_id, ids);
    }
    expect(byOrder.size).toBe(total);
    expect([...byOrder.values()].filter((ids) => ids.size !== 1)).toEqual([]);
    for (const { orderId } of orders.slice(0, 20)) expect(await earnsOf(s.t, s.t.org, orderId)).toHaveLength(1);
    const earns = await s.t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM loyalty_transactions WHERE organization_id = $1 AND type = 'earn'",
      [s.t.org],
    );
    expect(earns.rows[0]?.n).toBe(total);
    expect(broker.accepted).toBeGreaterThan(connectionsBefore);
    expect(s.t.app.inbound.status()).toEqual([
      expect.objectContaining({ consumer: 'consuming' }),
      expect.objectContaining({ consumer: 'consuming' }),
    ]);
  }, 240_000);
});
