import { describe, expect, it } from 'vitest';
import {
  inboundTopology,
  RECEIVED_EVENT_NAMES,
  type ReceivedHandlers,
  receivedEventExamples,
  validateReceived,
} from '../../generated/index.js';

function example(name: (typeof RECEIVED_EVENT_NAMES)[number]): Record<string, unknown> {
  const [first] = receivedEventExamples[name];
  return structuredClone(first) as Record<string, unknown>;
}

describe('received events from the contract', () => {
  it('when every example of every received event is validated, then each is accepted and returned typed', () => {
    for (const name of RECEIVED_EVENT_NAMES) {
      expect(receivedEventExamples[name].length).toBeGreaterThan(0);
      for (const body of receivedEventExamples[name]) {
        const result = validateReceived(name, body);
        expect(result).toEqual({ ok: true, event: body });
      }
    }
  });

  it('when a producer adds fields we do not know, then the body is still accepted (tolerant reader)', () => {
    const body = example('order.completed');
    body.extra = { anything: 1 };
    (body.data as Record<string, unknown>).coupon = 'XMAS';
    expect(validateReceived('order.completed', body).ok).toBe(true);
  });

  it('when an order event has a null customer_id, then it is accepted; a payment with a null customer_id is not', () => {
    for (const name of ['order.completed', 'order.cancelled', 'order.refunded'] as const) {
      const body = example(name);
      (body.data as Record<string, unknown>).customer_id = null;
      expect(validateReceived(name, body).ok).toBe(true);
    }
    const payment = example('payment.received');
    (payment.data as Record<string, unknown>).customer_id = null;
    expect(validateReceived('payment.received', payment)).toMatchObject({
      ok: false,
      errors: [{ field: 'data.customer_id' }],
    });
  });

  it('when a field we use is missing or has the wrong type, then the error names that field', () => {
    const missing = example('order.completed');
    delete (missing.data as Record<string, unknown>).total;
    expect(validateReceived('order.completed', missing)).toEqual({
      ok: false,
      errors: [{ field: 'data.total', message: expect.any(String) }],
    });
    const wrongType = example('order.refunded');
    (wrongType.data as Record<string, unknown>).amount = '25.10';
    expect(validateReceived('order.refunded', wrongType)).toMatchObject({
      ok: false,
      errors: [{ field: 'data.amount' }],
    });
  });

  it('when the inbound topology is read, then each queue is quorum, bound to its topic exchange with its keys', () => {
    expect(inboundTopology).toEqual([
      {
        queue: 'customer-service.order-events',
        queueType: 'quorum',
        exchange: { name: 'order_events', type: 'topic', durable: true },
        routingKeys: ['order.completed', 'order.cancelled', 'order.refunded'],
      },
      {
        queue: 'customer-service.payment-events',
        queueType: 'quorum',
        exchange: { name: 'payment_events', type: 'topic', durable: true },
        routingKeys: ['payment.received'],
      },
    ]);
  });

  it('when a handler map leaves out a received event, then it does not type-check', async () => {
    const applied = async () => 'applied' as const;
    const complete: ReceivedHandlers<null, 'applied'> = {
      'order.completed': async (_ctx, event) => (event.data.customer_id === null ? 'applied' : applied()),
      'order.cancelled': applied,
      'order.refunded': applied,
      'payment.received': async (_ctx, event) => (event.data.applies_to.length >= 0 ? 'applied' : applied()),
    };
    // @ts-expect-error payment.received has no handler: every receive operation needs one.
    const partial: ReceivedHandlers<null, 'applied'> = {
      'order.completed': applied,
      'order.cancelled': applied,
      'order.refunded': applied,
    };
    expect(Object.keys(complete)).toEqual([...RECEIVED_EVENT_NAMES]);
    expect(await complete['order.completed'](null, receivedEventExamples['order.completed'][1] as never)).toBe(
      'applied',
    );
    expect(Object.keys(partial)).not.toContain('payment.received');
  });
});
