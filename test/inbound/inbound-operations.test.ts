import amqp from 'amqplib';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app.js';
import { createCustomer } from '../helpers/fixtures.js';
import { createVhost } from '../helpers/vhost.js';
import { earnsOf, eventually, exactlyStored, example, startInbound, uniqueId } from './inbound.fixtures.js';

// What operators see: /health/ready shows each inbound queue's consumer, /metrics counts messages by outcome, a
// missing producer exchange (production: never declared by us) is waited for while the HTTP API keeps working;
// and the same path runs on PGlite.

describe('inbound operations', () => {
  it('when messages were consumed, then /health/ready shows both queues consuming and /metrics counts them by outcome', async () => {
    const s = await startInbound();
    try {
      const customer = await createCustomer(s.t);
      const messageId = await s.producer.send(
        'order.completed',
        example('order.completed', s.t.org, { order_id: uniqueId('order'), customer_id: customer }),
      );
      await s.producer.send('order.completed', example('order.completed', s.t.org, { customer_id: null }));
      await eventually(
        () => s.inbox(messageId),
        (row) => row !== undefined,
      );
      const health = await s.t.app.inject({ method: 'GET', url: '/health/ready' });
      expect(health.statusCode).toBe(200);
      expect(health.json().inbound).toEqual([
        { queue: 'customer-service.order-events', exchange: 'order_events', consumer: 'consuming' },
        { queue: 'customer-service.payment-events', exchange: 'payment_events', consumer: 'consuming' },
      ]);
      const text = await eventually(
        async () => (await s.t.app.inject({ method: 'GET', url: '/metrics' })).body,
        (body) => body.includes('outcome="skipped"'),
      );
      expect(text).toMatch(/inbound_messages_total\{event="order.completed",outcome="applied"\} 1\b/);
      expect(text).toMatch(/inbound_messages_total\{event="order.completed",outcome="skipped"\} 1\b/);
      expect(text).toMatch(/inbound_handling_seconds_count\{event="order.completed"\} 2\b/);
    } finally {
      await s.close();
    }
  }, 120_000);

  it("when the producers' exchanges do not exist and may not be declared, then /health/ready names the one awaited, the HTTP API works, and consuming starts once it exists", async () => {
    const vhost = await createVhost('cs-inbound');
    const t = await startTestApp({ env: { INBOUND: 'on', INBOUND_DECLARE_EXCHANGES: 'off', AMQP_URL: vhost.url } });
    const connection = await amqp.connect(vhost.url);
    try {
      const status = () => t.app.inject({ method: 'GET', url: '/health/ready' }).then((r) => r.json().inbound);
      const waiting = await eventually(status, (s) => s[0]?.consumer === 'waiting-for-exchange');
      expect(waiting[0]).toMatchObject({
        queue: 'customer-service.order-events',
        waiting_for_exchange: 'order_events',
      });
      expect(await createCustomer(t)).toMatch(/^cust_/);
      const channel = await connection.createChannel();
      await channel.assertExchange('order_events', 'topic', { durable: true });
      const after = await eventually(status, (s) => s[0]?.consumer === 'consuming', 30_000);
      expect(after[1]).toMatchObject({ consumer: 'waiting-for-exchange', waiting_for_exchange: 'payment_events' });
    } finally {
      await connection.close().catch(() => {});
      await t.close();
      await vhost.delete().catch(() => {});
    }
  }, 120_000);

  it('when the database is PGlite, then an order.completed earns and its event is published', async () => {
    const s = await startInbound({ backend: 'pglite' });
    try {
      const customer = await createCustomer(s.t);
      const orderId = uniqueId('order');
      const messageId = await s.producer.send(
        'order.completed',
        example('order.completed', s.t.org, { order_id: orderId, customer_id: customer, total: 12.5 }),
      );
      await exactlyStored(
        s,
        (e) => e.body.event === 'loyalty.points.earned' && e.body.data.reference_id === orderId,
        1,
        [messageId],
      );
      expect(await earnsOf(s.t, s.t.org, orderId)).toEqual([{ points: 12 }]);
    } finally {
      await s.close();
    }
  }, 120_000);
});
