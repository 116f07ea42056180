import { describe, expect, it } from 'vitest';
import { createCustomer } from '../helpers/fixtures.js';
import { outboxRowsOf } from '../helpers/stored-rows.js';
import {
  balanceOf,
  earnsOf,
  eventually,
  exactlyStored,
  example,
  exchangeOf,
  uniqueId,
  useInbound,
} from './inbound.fixtures.js';

// The service consumes order_events and payment_events in a vhost of this file's own: the spec's example messages,
// published with plain amqplib, earn points and record payments exactly once, and what they cause reaches
// customer_events.

const s = useInbound();

/** A credit account of 1000.00 for `customer`, over HTTP. */
async function creditAccount(customer: string): Promise<void> {
  const opened = await s.t.request({
    method: 'POST',
    url: `/v1/customers/${customer}/credit`,
    payload: { credit_limit: 1000, payment_term_days: 30 },
  });
  expect(opened.statusCode, opened.body).toBe(201);
}

/** A credit account of 1000.00 for `customer`, and a usage of `amount` for `orderId` over HTTP. */
async function creditAccountWithUsage(customer: string, orderId: string, amount: number): Promise<void> {
  await creditAccount(customer);
  const used = await s.t.request({
    method: 'POST',
    url: `/v1/customers/${customer}/credit/usages`,
    payload: { order_id: orderId, amount },
  });
  expect(used.statusCode, used.body).toBe(201);
}

const earnedFor =
  (org: string, orderId: string) =>
  (e: { body: { event: string; organization_id: string; data: Record<string, unknown> } }) =>
    e.body.event === 'loyalty.points.earned' && e.body.organization_id === org && e.body.data.reference_id === orderId;

describe('order.completed', () => {
  it('when an order of a customer with a loyalty account is completed, then it earns on the total, publishes loyalty.points.earned and records the inbox row', async () => {
    const customer = await createCustomer(s.t);
    const orderId = uniqueId('order');
    const messageId = await s.producer.send(
      'order.completed',
      example('order.completed', s.t.org, { order_id: orderId, customer_id: customer, total: 125.5 }),
    );
    const [earned] = await exactlyStored(s, earnedFor(s.t.org, orderId), 1, [messageId]);
    expect(earned?.body.data).toMatchObject({
      customer_id: customer,
      points_earned: 125,
      reference_type: 'purchase',
      reference_id: orderId,
    });
    expect(await earnsOf(s.t, s.t.org, orderId)).toEqual([{ points: 125 }]);
    expect(await s.inbox(messageId)).toEqual({
      outcome: 'applied',
      event: 'order.completed',
      organization_id: s.t.org,
    });
    expect(await balanceOf(s.t, customer)).toBe(125);
  });

  it('when the same message is delivered twice and then re-emitted with a new messageId, then the order earns once', async () => {
    const customer = await createCustomer(s.t);
    const orderId = uniqueId('order');
    const body = example('order.completed', s.t.org, { order_id: orderId, customer_id: customer, total: 40 });
    const first = await s.producer.send('order.completed', body);
    await s.producer.send('order.completed', body, first);
    const again = await s.producer.send('order.completed', body);
    await eventually(
      () => s.inbox(again),
      (row) => row !== undefined,
    );
    await exactlyStored(s, earnedFor(s.t.org, orderId), 1, [first, again]);
    expect(await earnsOf(s.t, s.t.org, orderId)).toEqual([{ points: 40 }]);
    // The re-emitted message may be handled before the first (prefetch): one of the two applies, the other is a duplicate.
    const outcomes = [(await s.inbox(first))?.outcome, (await s.inbox(again))?.outcome];
    expect(outcomes.sort()).toEqual(['applied', 'duplicate']);
    expect(await balanceOf(s.t, customer)).toBe(40);
  });

  it('when the order was earned over HTTP first, then the event earns nothing more', async () => {
    const customer = await createCustomer(s.t);
    const orderId = uniqueId('order');
    const res = await s.t.request({
      method: 'POST',
      url: `/v1/customers/${customer}/loyalty/earn`,
      payload: { amount: 30, reference_type: 'purchase', reference_id: orderId },
    });
    expect(res.statusCode, res.body).toBe(201);
    const messageId = await s.producer.send(
      'order.completed',
      example('order.completed', s.t.org, { order_id: orderId, customer_id: customer, total: 30 }),
    );
    await eventually(
      () => s.inbox(messageId),
      (row) => row !== undefined,
    );
    expect((await s.inbox(messageId))?.outcome).toBe('duplicate');
    expect(await earnsOf(s.t, s.t.org, orderId)).toEqual([{ points: 30 }]);
    await exactlyStored(s, earnedFor(s.t.org, orderId), 1, [messageId]);
  });

  it('when the order is a guest order, or the customer has no loyalty account, then it is acknowledged and skipped', async () => {
    const guest = await s.producer.send(
      'order.completed',
      example('order.completed', s.t.org, { order_id: uniqueId('order'), customer_id: null }),
    );
    const unenrolled = await createCustomer(s.t, { enroll_loyalty: false });
    const orderId = uniqueId('order');
    const plain = await s.producer.send(
      'order.completed',
      example('order.completed', s.t.org, { order_id: orderId, customer_id: unenrolled }),
    );
    await eventually(
      () => s.inbox(plain),
      (row) => row !== undefined,
    );
    expect((await s.inbox(guest))?.outcome).toBe('skipped');
    expect((await s.inbox(plain))?.outcome).toBe('skipped');
    expect(await earnsOf(s.t, s.t.org, orderId)).toEqual([]);
  });
});

describe('dead-lettered messages', () => {
  it('when the customer is unknown in the organization, then the message goes to the DLQ naming customer-not-found and nothing is applied', async () => {
    const orderId = uniqueId('order');
    const messageId = await s.producer.send(
      'order.completed',
      example('order.completed', s.t.org, { order_id: orderId, customer_id: uniqueId('cust') }),
    );
    const dead = await eventually(s.deadLetters, (m) => m.has(messageId));
    expect(String(dead.get(messageId)?.headers['x-error'])).toMatch(/^customer-not-found/);
    expect(await s.inbox(messageId)).toBeUndefined();
    const order = await s.t.db.query('SELECT 1 FROM inbound_orders WHERE organization_id = $1 AND order_id = $2', [
      s.t.org,
      orderId,
    ]);
    expect(order.rowCount).toBe(0);
  });

  it('when the body is not JSON, or fails the schema, then it is dead-lettered with x-error naming the problem or the field', async () => {
    const notJson = await s.producer.publish(exchangeOf('order.completed'), 'order.completed', '{"event": "order.');
    const body = example('order.completed', s.t.org, { order_id: uniqueId('order') });
    const { total: _dropped, ...withoutTotal } = body.data;
    const missing = await s.producer.publish(exchangeOf('order.completed'), 'order.completed', {
      ...body,
      data: withoutTotal,
    });
    const dead = await eventually(s.deadLetters, (m) => m.has(notJson) && m.has(missing));
    expect(String(dead.get(notJson)?.headers['x-error'])).toMatch(/^\(body\): not JSON/);
    expect(String(dead.get(missing)?.headers['x-error'])).toContain('data.total');
    expect(await s.inbox(notJson)).toBeUndefined();
    expect(await s.inbox(missing)).toBeUndefined();
  });
});

describe('out of order and reversals', () => {
  it('when the cancellation arrives before the completion, then the completion earns nothing', async () => {
    const customer = await createCustomer(s.t);
    const orderId = uniqueId('order');
    const cancelled = await s.producer.send(
      'order.cancelled',
      example('order.cancelled', s.t.org, { order_id: orderId, customer_id: customer }),
    );
    await eventually(
      () => s.inbox(cancelled),
      (row) => row !== undefined,
    );
    const completed = await s.producer.send(
      'order.completed',
      example('order.completed', s.t.org, { order_id: orderId, customer_id: customer, total: 80 }),
    );
    await eventually(
      () => s.inbox(completed),
      (row) => row !== undefined,
    );
    expect((await s.inbox(completed))?.outcome).toBe('skipped');
    expect(await earnsOf(s.t, s.t.org, orderId)).toEqual([]);
    expect(await balanceOf(s.t, customer)).toBe(0);
  });

  it('when the order is cancelled after its completion, then every point is reversed with reason order cancelled', async () => {
    const customer = await createCustomer(s.t);
    const orderId = uniqueId('order');
    const completed = await s.producer.send(
      'order.completed',
      example('order.completed', s.t.org, { order_id: orderId, customer_id: customer, total: 70 }),
    );
    await exactlyStored(s, earnedFor(s.t.org, orderId), 1, [completed]);
    const cancel = example('order.cancelled', s.t.org, { order_id: orderId, customer_id: customer });
    const cancels = [
      await s.producer.send('order.cancelled', cancel),
      await s.producer.send('order.cancelled', cancel),
    ];
    const reversed = await exactlyStored(
      s,
      (e) => e.body.event === 'loyalty.points.reversed' && e.body.data.customer_id === customer,
      1,
      cancels,
    );
    expect(reversed[0]?.body.data).toMatchObject({ points_reversed: 70, reason: 'order cancelled' });
    expect(await balanceOf(s.t, customer)).toBe(0);
  });

  it('when an order paid on credit is cancelled, then its usage is cancelled (credit.usage.cancelled) with its points reversed, in one message', async () => {
    const customer = await createCustomer(s.t, { customer_type: 'b2b' });
    const orderId = uniqueId('order');
    await creditAccountWithUsage(customer, orderId, 250);
    const completed = await s.producer.send(
      'order.completed',
      example('order.completed', s.t.org, {
        order_id: orderId,
        customer_id: customer,
        total: 250,
        payment_method: 'credit',
      }),
    );
    await exactlyStored(s, earnedFor(s.t.org, orderId), 1, [completed]);
    const cancelled = await s.producer.send(
      'order.cancelled',
      example('order.cancelled', s.t.org, { order_id: orderId, customer_id: customer }),
    );
    const [usageCancelled] = await exactlyStored(
      s,
      (e) => e.body.event === 'credit.usage.cancelled' && e.body.data.order_id === orderId,
      1,
      [cancelled],
    );
    expect(usageCancelled?.body.data).toMatchObject({ customer_id: customer, amount: 250, credit_available: 1000 });
    await exactlyStored(
      s,
      (e) => e.body.event === 'loyalty.points.reversed' && e.body.data.customer_id === customer,
      1,
    );
    expect(await balanceOf(s.t, customer)).toBe(0);
    const account = await s.t.request({ method: 'GET', url: `/v1/customers/${customer}/credit` });
    expect(account.json()).toMatchObject({ outstanding: 0, credit_available: 1000 });
  });

  it('when the cancelled order has a credit usage with a payment allocated, then the message is dead-lettered naming usage-partly-paid and nothing is applied, points included', async () => {
    const customer = await createCustomer(s.t, { customer_type: 'b2b' });
    const orderId = uniqueId('order');
    await creditAccountWithUsage(customer, orderId, 300);
    const completed = await s.producer.send(
      'order.completed',
      example('order.completed', s.t.org, { order_id: orderId, customer_id: customer, total: 300 }),
    );
    await exactlyStored(s, earnedFor(s.t.org, orderId), 1, [completed]);
    const paid = await s.t.request({
      method: 'POST',
      url: `/v1/customers/${customer}/credit/payments`,
      payload: { amount: 10 },
    });
    expect(paid.statusCode, paid.body).toBe(201);
    const before = await outboxRowsOf(s.t.db, s.t.org, customer);
    const messageId = await s.producer.send(
      'order.cancelled',
      example('order.cancelled', s.t.org, { order_id: orderId, customer_id: customer }),
    );
    const dead = await eventually(s.deadLetters, (m) => m.has(messageId));
    expect(String(dead.get(messageId)?.headers['x-error'])).toMatch(/^usage-partly-paid/);
    expect(await s.inbox(messageId)).toBeUndefined();
    expect(await outboxRowsOf(s.t.db, s.t.org, customer)).toEqual(before);
    expect(await balanceOf(s.t, customer)).toBe(300);
    const account = await s.t.request({ method: 'GET', url: `/v1/customers/${customer}/credit` });
    expect(account.json()).toMatchObject({ outstanding: 290 });
  });

  it('when refunds arrive before and after the completion, then it earns on total − refunded and reverses its share once per refund_id', async () => {
    const customer = await createCustomer(s.t);
    const orderId = uniqueId('order');
    const refund = (refundId: string, amount: number) =>
      example('order.refunded', s.t.org, { order_id: orderId, customer_id: customer, refund_id: refundId, amount });
    const early = await s.producer.send('order.refunded', refund('ref_1', 20));
    await eventually(
      () => s.inbox(early),
      (row) => row !== undefined,
    );
    const completed = await s.producer.send(
      'order.completed',
      example('order.completed', s.t.org, { order_id: orderId, customer_id: customer, total: 100 }),
    );
    const [earned] = await exactlyStored(s, earnedFor(s.t.org, orderId), 1, [completed]);
    expect(earned?.body.data.points_earned).toBe(80);
    // 80 points on a base of 80: a refund of 30 reverses floor(80 × 30 / 80) = 30.
    const second = refund('ref_2', 30);
    const refunds = [await s.producer.send('order.refunded', second), await s.producer.send('order.refunded', second)];
    const reversed = await exactlyStored(
      s,
      (e) => e.body.event === 'loyalty.points.reversed' && e.body.data.customer_id === customer,
      1,
      refunds,
    );
    expect(reversed[0]?.body.data).toMatchObject({ points_reversed: 30, reason: 'order refunded' });
    expect(await balanceOf(s.t, customer)).toBe(50);
  });
});

describe('payment.received', () => {
  it('when a payment applies to a credit account, then it is recorded once with reference = payment_id and credit.payment.received is published; another applies_to does nothing', async () => {
    const customer = await createCustomer(s.t, { customer_type: 'b2b', enroll_loyalty: false });
    await creditAccountWithUsage(customer, uniqueId('order'), 300);
    const paymentId = uniqueId('pmt');
    const body = example('payment.received', s.t.org, {
      payment_id: paymentId,
      customer_id: customer,
      amount: 120,
      applies_to: 'credit_account',
    });
    const paid = await s.producer.send('payment.received', body);
    const again = await s.producer.send('payment.received', body);
    const other = await s.producer.send('payment.received', {
      ...body,
      data: { ...body.data, payment_id: uniqueId('pmt'), applies_to: 'invoice' },
    });
    const [received] = await exactlyStored(
      s,
      (e) => e.body.event === 'credit.payment.received' && e.body.data.customer_id === customer,
      1,
      [paid, again, other],
    );
    expect(received?.body.data).toMatchObject({ amount: 120, reference: paymentId, credit_available: 820 });
    await eventually(
      () => s.inbox(other),
      (row) => row !== undefined,
    );
    // The two deliveries of the payment are handled concurrently (prefetch): either may be the one applied.
    const outcomes = [(await s.inbox(paid))?.outcome, (await s.inbox(again))?.outcome];
    expect(outcomes.sort()).toEqual(['applied', 'duplicate']);
    expect((await s.inbox(other))?.outcome).toBe('skipped');
    const payments = await s.t.db.query(
      'SELECT reference FROM credit_payments WHERE organization_id = $1 AND customer_id = $2',
      [s.t.org, customer],
    );
    expect(payments.rows).toEqual([{ reference: paymentId }]);
  });

  it('when a payment exceeds what is outstanding, then it is dead-lettered naming overpayment and nothing is recorded', async () => {
    const customer = await createCustomer(s.t, { customer_type: 'b2b', enroll_loyalty: false });
    await creditAccount(customer);
    const messageId = await s.producer.send(
      'payment.received',
      example('payment.received', s.t.org, { customer_id: customer, amount: 5, applies_to: 'credit_account' }),
    );
    const dead = await eventually(s.deadLetters, (m) => m.has(messageId));
    expect(String(dead.get(messageId)?.headers['x-error'])).toMatch(/^overpayment/);
    expect(await s.inbox(messageId)).toBeUndefined();
    const payments = await s.t.db.query('SELECT 1 FROM credit_payments WHERE customer_id = $1', [customer]);
    expect(payments.rowCount).toBe(0);
  });
});
