import { describe, expect, it } from 'vitest';
import { ledgerRowsOf, storedEventsOf } from '../helpers/stored-rows.js';
import { orderId, problemType, TIMESTAMP, useCreditSuite, utcDatePlus } from './credit.fixtures.js';

const { t, customerWithCredit, useCredit, pay, account, eventsOf, waitForEvents } = useCreditSuite();

describe('POST /v1/customers/{id}/credit/usages', () => {
  it('when 5000 of a 10000 limit is used and then 6000 more is tried, then the second is 422 with a shortfall of 1000 and credit.limit.exceeded is published', async () => {
    const id = await customerWithCredit({ credit_limit: 10000, payment_term_days: 30 });
    const order = orderId();
    const used = await useCredit(id, { order_id: order, amount: 5000.0 });
    expect(used.statusCode).toBe(201);
    const usage = used.json();
    expect(usage).toEqual({
      usage_id: expect.stringMatching(/^usage_[a-z2-7]{20}$/),
      order_id: order,
      amount: 5000,
      amount_paid: 0,
      status: 'open',
      credit_available: 5000,
      due_date: utcDatePlus(30),
      created_at: expect.any(String),
    });

    const refused = await useCredit(id, { order_id: orderId(), amount: 6000 });
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({
      type: problemType('credit-limit-exceeded'),
      status: 422,
      attempted_amount: 6000,
      credit_available: 5000,
      shortfall: 1000,
    });

    const [usedEvent] = await waitForEvents(id, 1, 'credit.used');
    expect(usedEvent?.body).toEqual({
      event: 'credit.used',
      version: '1.0',
      timestamp: TIMESTAMP,
      organization_id: t.org,
      data: {
        customer_id: id,
        usage_id: usage.usage_id,
        order_id: order,
        amount: 5000,
        credit_available: 5000,
        due_date: usage.due_date,
      },
    });
    const [exceeded] = await waitForEvents(id, 1, 'credit.limit.exceeded');
    expect(exceeded?.body).toEqual({
      event: 'credit.limit.exceeded',
      version: '1.0',
      timestamp: TIMESTAMP,
      organization_id: t.org,
      data: { customer_id: id, attempted_amount: 6000, credit_available: 5000, shortfall: 1000 },
    });
    expect(exceeded?.properties.correlationId).toBe(refused.headers['x-request-id']);
    // The customer's events arrive in commit order.
    expect(eventsOf(id).map((e) => e.body.event)).toEqual(['credit.approved', 'credit.used', 'credit.limit.exceeded']);

    // The refusal is committed with its audit row, and nothing was charged.
    const audit = await t.db.query<{ order_id: string; attempted_cents: number; available_cents: number }>(
      'SELECT order_id, attempted_cents, available_cents FROM credit_refusals WHERE organization_id = $1 AND customer_id = $2',
      [t.org, id],
    );
    expect(audit.rows).toEqual([{ order_id: expect.any(String), attempted_cents: 600000, available_cents: 500000 }]);
    expect(await account(id)).toMatchObject({ credit_limit: 10000, outstanding: 5000, credit_available: 5000 });
  });

  it('when an order was refused, then the same order can use credit once enough is available', async () => {
    const id = await customerWithCredit({ credit_limit: 100, payment_term_days: 0 });
    const order = orderId();
    expect((await useCredit(id, { order_id: orderId(), amount: 60 })).statusCode).toBe(201);
    expect((await useCredit(id, { order_id: order, amount: 50 })).statusCode).toBe(422);
    expect((await pay(id, { amount: 10 })).statusCode).toBe(201);
    const retried = await useCredit(id, { order_id: order, amount: 50 });
    expect(retried.statusCode).toBe(201);
    expect(retried.json()).toMatchObject({ credit_available: 0, due_date: utcDatePlus(0) });
  });

  it('when an order already used credit, then another usage for it is 409 duplicate-order and nothing is charged', async () => {
    const id = await customerWithCredit();
    const other = await customerWithCredit();
    const order = orderId();
    const first = await useCredit(id, { order_id: order, amount: 100 });
    expect(first.statusCode).toBe(201);
    for (const [customer, amount] of [
      [id, 100],
      [id, 50_000],
      [other, 100],
    ] as const) {
      const res = await useCredit(customer, { order_id: order, amount });
      expect(res.statusCode, `${customer} ${amount}`).toBe(409);
      expect(res.json()).toMatchObject({ type: problemType('duplicate-order'), usage_id: first.json().usage_id });
    }
    expect((await account(id)).outstanding).toBe(100);
    expect((await account(other)).outstanding).toBe(0);
    // Stored: the first usage and its event only; no refusal, no credit.limit.exceeded, nothing for the other.
    const mine = await ledgerRowsOf(t.db, t.org, id);
    expect(mine.usages).toEqual([expect.objectContaining({ order_id: order, amount_cents: 10000 })]);
    expect(mine.refusals).toEqual([]);
    expect(await storedEventsOf(t.db, t.org, id)).toEqual(['customer.created', 'credit.approved', 'credit.used']);
    expect(await ledgerRowsOf(t.db, t.org, other)).toMatchObject({ usages: [], refusals: [] });
    expect(await storedEventsOf(t.db, t.org, other)).toEqual(['customer.created', 'credit.approved']);
  });

  it('when usages of 0.10 and 0.20 are made, then the outstanding amount is exactly 0.3', async () => {
    const id = await customerWithCredit({ credit_limit: 1000, payment_term_days: 30 });
    expect((await useCredit(id, { order_id: orderId(), amount: 0.1 })).json().credit_available).toBe(999.9);
    const second = await useCredit(id, { order_id: orderId(), amount: 0.2 });
    expect(second.json().credit_available).toBe(999.7);
    expect(await account(id)).toMatchObject({ outstanding: 0.3, credit_available: 999.7 });
    const events = await waitForEvents(id, 2, 'credit.used');
    expect(events.map((e) => e.body.data.credit_available)).toEqual([999.9, 999.7]);
    expect(events[1]?.raw).toContain('"credit_available":999.7,');
  });

  it('when an amount has more than 2 decimals or the body is wrong, then 400 names the field', async () => {
    const id = await customerWithCredit();
    const cases: [object, string][] = [
      [{ order_id: orderId(), amount: 0.001 }, 'amount'],
      [{ order_id: orderId(), amount: -5 }, 'amount'],
      [{ order_id: orderId(), amount: 1e12 }, 'amount'],
      [{ order_id: '', amount: 5 }, 'order_id'],
      [{ order_id: 'x'.repeat(101), amount: 5 }, 'order_id'],
      [{ amount: 5 }, 'order_id'],
      [{ order_id: orderId(), amount: 5, due_date: '2030-01-01' }, 'due_date'],
    ];
    for (const [payload, field] of cases) {
      const res = await useCredit(id, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await account(id)).outstanding).toBe(0);
  });

  it('when 20 usages of 100 race against a 1000 limit, then exactly 10 succeed, 10 are refused and the limit holds', async () => {
    const id = await customerWithCredit({ credit_limit: 1000, payment_term_days: 30 });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => useCredit(id, { order_id: orderId(), amount: 100 })),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 422)).toHaveLength(10);
    for (const r of results.filter((x) => x.statusCode === 422)) {
      expect(r.json()).toMatchObject({ attempted_amount: 100, credit_available: 0, shortfall: 100 });
    }
    expect(
      results
        .filter((r) => r.statusCode === 201)
        .map((r) => r.json().credit_available)
        .sort((a, b) => a - b),
    ).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(await account(id)).toMatchObject({ outstanding: 1000, credit_available: 0 });

    const used = await waitForEvents(id, 10, 'credit.used');
    await waitForEvents(id, 10, 'credit.limit.exceeded');
    // Events of one customer leave in commit order: the available credit only falls, the refusals come last.
    expect(used.map((e) => e.body.data.credit_available)).toEqual([900, 800, 700, 600, 500, 400, 300, 200, 100, 0]);
    const names = eventsOf(id).map((e) => e.body.event);
    expect(names.slice(1, 11).every((n) => n === 'credit.used')).toBe(true);
    expect(names.slice(11).every((n) => n === 'credit.limit.exceeded')).toBe(true);
  });

  it('when a usage is retried with the same Idempotency-Key, then the first response returns and one event is published', async () => {
    const id = await customerWithCredit();
    const body = { order_id: orderId(), amount: 250.25 };
    const headers = { 'idempotency-key': `key-${body.order_id}` };
    const first = await useCredit(id, body, headers);
    const again = await useCredit(id, body, headers);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    const reused = await useCredit(id, { ...body, amount: 1 }, headers);
    expect(reused.statusCode).toBe(422);
    expect(reused.json().type).toBe(problemType('idempotency-key-reused'));

    // A refusal is replayed too, without a second credit.limit.exceeded.
    const refusal = { order_id: orderId(), amount: 20_000 };
    const refusalHeaders = { 'idempotency-key': `key-${refusal.order_id}` };
    const refused = await useCredit(id, refusal, refusalHeaders);
    const refusedAgain = await useCredit(id, refusal, refusalHeaders);
    expect(refused.statusCode).toBe(422);
    expect(refusedAgain.statusCode).toBe(422);
    expect(refusedAgain.headers['content-type']).toContain('application/problem+json');
    expect(refusedAgain.json()).toEqual(refused.json());

    await waitForEvents(id, 1, 'credit.used');
    await waitForEvents(id, 1, 'credit.limit.exceeded');
    // One usage, one refusal and one event each were stored: the replays wrote nothing.
    const ledger = await ledgerRowsOf(t.db, t.org, id);
    expect(ledger.usages).toEqual([expect.objectContaining({ order_id: body.order_id, amount_cents: 25025 })]);
    expect(ledger.refusals).toEqual([expect.objectContaining({ order_id: refusal.order_id })]);
    expect(await storedEventsOf(t.db, t.org, id)).toEqual([
      'customer.created',
      'credit.approved',
      'credit.used',
      'credit.limit.exceeded',
    ]);
    expect((await account(id)).outstanding).toBe(250.25);
  });
});

describe('GET /v1/customers/{id}/credit/usages', () => {
  it('when usages are listed with a small limit, then pages chain newest first through next_cursor', async () => {
    const id = await customerWithCredit();
    const orders = [orderId(), orderId(), orderId()];
    for (const order of orders) expect((await useCredit(id, { order_id: order, amount: 10 })).statusCode).toBe(201);
    const url = `/v1/customers/${id}/credit/usages`;
    const page1 = (await t.request({ method: 'GET', url: `${url}?limit=2` })).json();
    expect(page1.items.map((u: { order_id: string }) => u.order_id)).toEqual([orders[2], orders[1]]);
    expect(page1.items[0]).toMatchObject({ amount: 10, credit_available: 9970, due_date: utcDatePlus(30) });
    expect(page1.next_cursor).toEqual(expect.any(String));
    const page2 = (await t.request({ method: 'GET', url: `${url}?limit=2&cursor=${page1.next_cursor}` })).json();
    expect(page2).toEqual({ items: [expect.objectContaining({ order_id: orders[0] })], next_cursor: null });
    const bad = await t.request({ method: 'GET', url: `${url}?cursor=nonsense` });
    expect(bad.statusCode).toBe(400);
  });
});
