import { describe, expect, it } from 'vitest';
import { ledgerRowsOf, storedEventsOf } from '../helpers/stored-rows.js';
import { orderId, problemType, TIMESTAMP, useCreditSuite } from './credit.fixtures.js';

const { t, customerWithCredit, useCredit, pay, account, waitForEvents } = useCreditSuite();

describe('POST /v1/customers/{id}/credit/payments', () => {
  it('when a payment is received, then the available credit is restored and credit.payment.received is published', async () => {
    const id = await customerWithCredit();
    expect((await useCredit(id, { order_id: orderId(), amount: 5000 })).statusCode).toBe(201);
    const res = await pay(id, { amount: 2500, reference: 'TRF-20251125-0042' });
    expect(res.statusCode).toBe(201);
    const payment = res.json();
    expect(payment).toEqual({
      payment_id: expect.stringMatching(/^pay_[a-z2-7]{20}$/),
      amount: 2500,
      reference: 'TRF-20251125-0042',
      credit_available: 7500,
      created_at: expect.any(String),
    });
    expect(await account(id)).toMatchObject({ outstanding: 2500, credit_available: 7500 });

    const [event] = await waitForEvents(id, 1, 'credit.payment.received');
    expect(event?.body).toEqual({
      event: 'credit.payment.received',
      version: '1.0',
      timestamp: TIMESTAMP,
      organization_id: t.org,
      data: {
        customer_id: id,
        payment_id: payment.payment_id,
        amount: 2500,
        credit_available: 7500,
        reference: 'TRF-20251125-0042',
      },
    });

    const noReference = await pay(id, { amount: 2500 });
    expect(noReference.json()).toMatchObject({ reference: null, credit_available: 10000 });
    const events = await waitForEvents(id, 2, 'credit.payment.received');
    expect(events[1]?.body.data).toMatchObject({ reference: null, credit_available: 10000 });
    expect(await account(id)).toMatchObject({ outstanding: 0, credit_available: 10000 });
  });

  it('when a payment exceeds the outstanding amount, then 422 overpayment carries the outstanding amount and nothing is published', async () => {
    const id = await customerWithCredit();
    const none = await pay(id, { amount: 0.01 });
    expect(none.statusCode).toBe(422);
    expect(none.json()).toMatchObject({ type: problemType('overpayment'), outstanding: 0 });

    expect((await useCredit(id, { order_id: orderId(), amount: 100.1 })).statusCode).toBe(201);
    const over = await pay(id, { amount: 100.11 });
    expect(over.statusCode).toBe(422);
    expect(over.json()).toMatchObject({ type: problemType('overpayment'), amount: 100.11, outstanding: 100.1 });
    expect((await pay(id, { amount: 100.1 })).statusCode).toBe(201);

    await waitForEvents(id, 1, 'credit.payment.received');
    // The refused payments stored nothing: one payment row, one credit.payment.received.
    expect((await ledgerRowsOf(t.db, t.org, id)).payments).toEqual([expect.objectContaining({ amount_cents: 10010 })]);
    expect(await storedEventsOf(t.db, t.org, id)).toEqual([
      'customer.created',
      'credit.approved',
      'credit.used',
      'credit.payment.received',
    ]);
  });

  it('when payments and usages race, then the outstanding amount stays exact and within the limit', async () => {
    const id = await customerWithCredit({ credit_limit: 500, payment_term_days: 10 });
    expect((await useCredit(id, { order_id: orderId(), amount: 500 })).statusCode).toBe(201);
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => pay(id, { amount: 50 })),
      ...Array.from({ length: 10 }, () => useCredit(id, { order_id: orderId(), amount: 50 })),
    ]);
    const paid = results.slice(0, 10).filter((r) => r.statusCode === 201).length;
    const used = results.slice(10).filter((r) => r.statusCode === 201).length;
    expect(results.every((r) => r.statusCode === 201 || r.statusCode === 422)).toBe(true);
    expect(paid).toBe(10);
    const acc = await account(id);
    expect(acc.outstanding).toBe(500 - paid * 50 + used * 50);
    expect(acc.outstanding).toBeLessThanOrEqual(500);
  });

  it('when the payment body is wrong, then 400 names the field', async () => {
    const id = await customerWithCredit();
    const cases: [object, string][] = [
      [{ amount: 10.123 }, 'amount'],
      [{ amount: 0 }, 'amount'],
      [{ amount: 10, reference: '' }, 'reference'],
      [{ amount: 10, reference: 'r'.repeat(201) }, 'reference'],
      [{ amount: 10, customer_id: id }, 'customer_id'],
    ];
    for (const [payload, field] of cases) {
      const res = await pay(id, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});

describe('GET /v1/customers/{id}/credit/payments', () => {
  it('when payments are listed, then they come newest first with the available credit after each', async () => {
    const id = await customerWithCredit();
    expect((await useCredit(id, { order_id: orderId(), amount: 300 })).statusCode).toBe(201);
    await pay(id, { amount: 100, reference: 'first' });
    await pay(id, { amount: 200, reference: 'second' });
    const res = await t.request({ method: 'GET', url: `/v1/customers/${id}/credit/payments?limit=1` });
    expect(res.statusCode).toBe(200);
    const page1 = res.json();
    expect(page1.items).toEqual([
      expect.objectContaining({ reference: 'second', amount: 200, credit_available: 10000 }),
    ]);
    const page2 = (
      await t.request({ method: 'GET', url: `/v1/customers/${id}/credit/payments?limit=1&cursor=${page1.next_cursor}` })
    ).json();
    expect(page2.items).toEqual([expect.objectContaining({ reference: 'first', credit_available: 9800 })]);
  });
});
