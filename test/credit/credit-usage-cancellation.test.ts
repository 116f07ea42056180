import { describe, expect, it } from 'vitest';
import { cancelUsageForOrder } from '../../src/credit/credit.usage-cancellation.service.js';
import type { Queryable } from '../../src/db/db.js';
import { assertValidEvent } from '../../src/outbox/events.js';
import type { UseCaseContext } from '../../src/shared/context.js';
import { DomainError } from '../../src/shared/domain-error.js';
import { useEventTap, useTestApp } from '../helpers/fixtures.js';
import { problemType, TIMESTAMP } from './credit.fixtures.js';
import {
  about,
  creditAccount,
  creditCustomer,
  daysFromToday,
  named,
  newOrder,
  newOrg,
  type OrgClient,
  overdueRun,
  payOk,
  usages,
  use,
  useCreditLifecycle,
} from './lifecycle.fixtures.js';

const tap = useEventTap('credit.#');
const { t, later } = useCreditLifecycle();
const embedded = useTestApp({ backend: 'pglite', relay: false });

const cancelUrl = (customerId: string, usageId: string) =>
  `/v1/customers/${customerId}/credit/usages/${usageId}/cancellation`;

function cancel(c: OrgClient, customerId: string, usageId: string, o: { roles?: string[]; payload?: unknown } = {}) {
  return c.call('POST', cancelUrl(customerId, usageId), o.payload, { roles: o.roles });
}

/** Everything stored about the customer's credit: account, usages (every column), allocations and outbox rows. */
async function stored(db: Queryable, org: string, customerId: string) {
  const q = async (sql: string) => (await db.query(sql, [org, customerId])).rows;
  return {
    account: await q('SELECT * FROM credit_accounts WHERE organization_id = $1 AND customer_id = $2'),
    usages: await q('SELECT * FROM credit_usages WHERE organization_id = $1 AND customer_id = $2 ORDER BY seq'),
    allocations: await q(
      'SELECT * FROM credit_allocations WHERE organization_id = $1 AND customer_id = $2 ORDER BY payment_id, usage_id',
    ),
    outbox: await q(
      'SELECT event_name, payload FROM outbox WHERE organization_id = $1 AND customer_id = $2 ORDER BY id',
    ),
  };
}

function contextFor(org: string, now = new Date()): UseCaseContext {
  return { principal: { org, sub: 'order-events-consumer', roles: [] }, requestId: 'msg_test', now };
}

describe('POST /v1/customers/{id}/credit/usages/{usage_id}/cancellation', () => {
  it('when an unpaid usage is cancelled, then it answers 201 with status cancelled, its amount is available again and credit.usage.cancelled is published with exactly its fields', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c, { credit_limit: 10000, payment_term_days: 30 });
    const kept = await use(c, id, 1000);
    const u = await use(c, id, 2500.25);
    expect(await creditAccount(c, id)).toMatchObject({ outstanding: 3500.25, credit_available: 6499.75 });

    const res = await cancel(c, id, u.usage_id, { payload: { reason: 'order cancelled by phone' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({
      usage_id: u.usage_id,
      order_id: u.order_id,
      amount: 2500.25,
      amount_paid: 0,
      status: 'cancelled',
      credit_available: 6499.75,
      due_date: u.due_date,
      created_at: expect.any(String),
    });
    const account = await creditAccount(c, id);
    expect(account).toMatchObject({ outstanding: 1000, credit_available: 9000 });
    const listed = await usages(c, id);
    expect(listed.map((x) => [x.usage_id, x.status])).toEqual([
      [u.usage_id, 'cancelled'],
      [kept.usage_id, 'open'],
    ]);

    const [event] = await tap.waitForMatching(about(id, 'credit.usage.cancelled'), 1);
    expect(event?.routingKey).toBe('credit.usage.cancelled');
    expect(() => assertValidEvent(event?.body as never)).not.toThrow();
    expect(event?.body).toEqual({
      event: 'credit.usage.cancelled',
      version: '1.0',
      timestamp: TIMESTAMP,
      organization_id: c.org,
      data: {
        customer_id: id,
        credit_account_id: account.credit_account_id,
        usage_id: u.usage_id,
        order_id: u.order_id,
        amount: 2500.25,
        credit_available: 9000,
      },
    });
    expect(event?.properties.correlationId).toBe(res.headers['x-request-id']);
    expect(event?.properties.headers?.organization_id).toBe(c.org);

    const row = (await stored(t.db, c.org, id)).usages.find((r) => r.usage_id === u.usage_id);
    expect(row).toMatchObject({
      cancelled_at: expect.any(Date),
      cancelled_by: 'user_test',
      cancellation_reason: 'order cancelled by phone',
    });
    expect(Number(row?.amount_paid_cents)).toBe(0);
  });

  it('when the same cancellation is retried with its Idempotency-Key, then the first answer is replayed and nothing more is published; without a body the default reason is kept', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c);
    const u = await use(c, id, 400);
    const token = await t.token({ org: c.org });
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: cancelUrl(id, u.usage_id),
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': `cancel-${u.usage_id}` },
      });
    const first = await send();
    expect(first.statusCode, first.body).toBe(201);
    const again = await send();
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect((await creditAccount(c, id)).outstanding).toBe(0);
    await tap.expectExactly(about(id, 'credit.usage.cancelled'), 1);
    const row = (await stored(t.db, c.org, id)).usages[0];
    expect(row?.cancellation_reason).toBe('cancelled by a credit manager');
  });

  it('when a usage has a payment allocated, then it is 422 usage-partly-paid and nothing stored changes', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c);
    const u = await use(c, id, 1000);
    await payOk(c, id, 0.01);
    const before = await stored(t.db, c.org, id);

    const res = await cancel(c, id, u.usage_id);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      type: problemType('usage-partly-paid'),
      status: 422,
      usage_id: u.usage_id,
      amount_paid: 0.01,
    });
    expect(await stored(t.db, c.org, id)).toEqual(before);
    expect((await usages(c, id))[0]).toMatchObject({ status: 'open', amount_paid: 0.01 });
    await tap.expectNothingMore(about(id, 'credit.usage.cancelled'), 0);
  });

  it('when a usage is cancelled twice, then the second is 409 usage-already-cancelled and changes nothing', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c);
    const u = await use(c, id, 700);
    expect((await cancel(c, id, u.usage_id)).statusCode).toBe(201);
    const before = await stored(t.db, c.org, id);

    const res = await cancel(c, id, u.usage_id);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      type: problemType('usage-already-cancelled'),
      status: 409,
      usage_id: u.usage_id,
      cancelled_at: expect.any(String),
    });
    expect(await stored(t.db, c.org, id)).toEqual(before);
    expect((await creditAccount(c, id)).outstanding).toBe(0);
    await tap.expectExactly(about(id, 'credit.usage.cancelled'), 1);
  });

  it('when two cancellations of one usage race, then one is 201 and the other 409, and the credit returns once', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c, { credit_limit: 5000, payment_term_days: 30 });
    const u = await use(c, id, 1200);
    await use(c, id, 300);
    const results = await Promise.all([cancel(c, id, u.usage_id), cancel(c, id, u.usage_id)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(await creditAccount(c, id)).toMatchObject({ outstanding: 300, credit_available: 4700 });
    await tap.expectExactly(about(id, 'credit.usage.cancelled'), 1);
  });

  it('when the caller lacks the credit_manager role, then it is 403 and the usage stays', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c);
    const u = await use(c, id, 100);
    const before = await stored(t.db, c.org, id);
    const res = await cancel(c, id, u.usage_id, { roles: ['loyalty_admin'] });
    expect(res.statusCode).toBe(403);
    expect(await stored(t.db, c.org, id)).toEqual(before);
  });

  it("when another organization's usage, another customer's usage or an unknown one is cancelled, then it is 404 and nothing changes", async () => {
    const owner = newOrg(t);
    const id = await creditCustomer(t, owner);
    const u = await use(owner, id, 100);
    const neighbour = await creditCustomer(t, owner);
    const before = await stored(t.db, owner.org, id);

    const otherOrg = newOrg(t);
    const foreign = await cancel(otherOrg, id, u.usage_id);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().type).toBe(problemType('customer-not-found'));
    // The other organization's own customer, with this organization's usage id.
    const theirs = await creditCustomer(t, otherOrg);
    const crossed = await cancel(otherOrg, theirs, u.usage_id);
    expect(crossed.statusCode).toBe(404);
    expect(crossed.json().type).toBe(problemType('usage-not-found'));

    const wrongCustomer = await cancel(owner, neighbour, u.usage_id);
    expect(wrongCustomer.statusCode).toBe(404);
    expect(wrongCustomer.json().type).toBe(problemType('usage-not-found'));
    const unknown = await cancel(owner, id, 'usage_unknown');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ type: problemType('usage-not-found'), status: 404 });

    expect(await stored(t.db, owner.org, id)).toEqual(before);
  });

  it('when the body carries an unknown field or an empty reason, then it is 400 naming the field', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c);
    const u = await use(c, id, 100);
    for (const [payload, field] of [
      [{ note: 'x' }, 'note'],
      [{ reason: '' }, 'reason'],
      [{ reason: 'x'.repeat(201) }, 'reason'],
    ] as const) {
      const res = await cancel(c, id, u.usage_id, { payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(JSON.stringify(res.json().errors)).toContain(field);
    }
    expect((await creditAccount(c, id)).outstanding).toBe(100);
  });
});

describe('a cancelled usage in the credit lifecycle', () => {
  it('when a usage is cancelled, then the overdue run, the aging and the statement ignore it and a payment is never allocated to it', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c, { credit_limit: 10000, payment_term_days: 30 });
    const cancelled = await use(c, id, 3000);
    const kept = await use(c, id, 500.5);
    expect((await cancel(c, id, cancelled.usage_id)).statusCode).toBe(201);

    // 40 days later only the kept usage is overdue.
    expect(await overdueRun(c, later)).toMatchObject({ usages_overdue: 1, accounts_held: 1 });
    const overdue = await tap.expectExactly(about(id, 'credit.overdue'), 1);
    expect(overdue[0]?.body.data).toMatchObject({ usage_id: kept.usage_id, amount_due: 500.5 });
    const statuses = new Map((await usages(c, id, later)).map((u) => [u.usage_id, u.status]));
    expect(statuses).toEqual(
      new Map([
        [cancelled.usage_id, 'cancelled'],
        [kept.usage_id, 'overdue'],
      ]),
    );

    const aging = await c.call('GET', '/v1/credit/aging', undefined, { app: later });
    expect(aging.statusCode, aging.body).toBe(200);
    expect(aging.json().items).toEqual([expect.objectContaining({ customer_id: id, outstanding: 500.5 })]);
    expect(aging.json().totals).toMatchObject({ outstanding: 500.5, days_1_30: 500.5, current: 0 });

    const today = daysFromToday(0);
    const statement = await c.call('GET', `/v1/customers/${id}/credit/statement?from=${today}&to=${today}`);
    expect(statement.statusCode, statement.body).toBe(200);
    expect(statement.json()).toMatchObject({ opening_balance: 0, closing_balance: 500.5 });
    expect(statement.json().lines.map((l: { id: string }) => l.id)).toEqual([kept.usage_id]);
    const tomorrow = daysFromToday(1);
    const next = await c.call('GET', `/v1/customers/${id}/credit/statement?from=${tomorrow}&to=${tomorrow}`);
    expect(next.json()).toMatchObject({ opening_balance: 500.5, closing_balance: 500.5, lines: [] });

    // The payment settles the kept usage only, which lifts the overdue hold.
    await payOk(c, id, 500.5, later);
    const after = new Map((await usages(c, id, later)).map((u) => [u.usage_id, u]));
    expect(after.get(cancelled.usage_id)).toMatchObject({ status: 'cancelled', amount_paid: 0 });
    expect(after.get(kept.usage_id)).toMatchObject({ status: 'paid', amount_paid: 500.5 });
    const allocations = (await stored(t.db, c.org, id)).allocations;
    expect(allocations.map((a) => a.usage_id)).toEqual([kept.usage_id]);
    expect(await creditAccount(c, id)).toMatchObject({ status: 'active', outstanding: 0 });
  });

  it('when the only overdue usage of an account held for overdue is cancelled, then the hold lifts and credit.hold.released follows the cancellation', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c, { credit_limit: 2000, payment_term_days: 30 });
    const u = await use(c, id, 800);
    expect(await overdueRun(c, later)).toMatchObject({ usages_overdue: 1, accounts_held: 1 });
    expect(await creditAccount(c, id)).toMatchObject({ status: 'on_hold', hold_reason: 'overdue' });

    const res = await c.call('POST', cancelUrl(id, u.usage_id), undefined, { app: later });
    expect(res.statusCode, res.body).toBe(201);
    expect(await creditAccount(c, id)).toMatchObject({ status: 'active', hold_reason: null, outstanding: 0 });
    await tap.waitForMatching(about(id, 'credit.hold.released'), 1);
    const order = tap.received.filter(about(id)).map((e) => e.body.event);
    expect(order.slice(-2)).toEqual(['credit.usage.cancelled', 'credit.hold.released']);
    expect(named(tap, id, 'credit.hold.released')[0]?.body.data).toMatchObject({ credit_available: 2000 });
  });
});

describe('cancelUsageForOrder', () => {
  it("when called in the caller's transaction, then it cancels the order's usage with it, answers none when there is nothing to cancel, and a rollback undoes it", async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c, { credit_limit: 1000, payment_term_days: 30 });
    const u = await use(c, id, 250);
    const ctx = contextFor(c.org);

    // A rollback of the caller's transaction takes the cancellation and its event with it.
    const before = await stored(t.db, c.org, id);
    await expect(
      t.db.transaction(async (tx) => {
        expect((await cancelUsageForOrder(tx, ctx, u.order_id)).status).toBe('cancelled');
        throw new Error('the rest of the message failed');
      }),
    ).rejects.toThrow('the rest of the message failed');
    expect(await stored(t.db, c.org, id)).toEqual(before);

    const outcome = await t.db.transaction((tx) => cancelUsageForOrder(tx, ctx, u.order_id));
    expect(outcome).toEqual({
      status: 'cancelled',
      usage: expect.objectContaining({ usage_id: u.usage_id, order_id: u.order_id, amount: 250, status: 'cancelled' }),
    });
    const row = (await stored(t.db, c.org, id)).usages[0];
    expect(row).toMatchObject({ cancelled_by: 'order-events-consumer', cancellation_reason: 'order cancelled' });
    expect(await creditAccount(c, id)).toMatchObject({ outstanding: 0, credit_available: 1000 });
    const [event] = await tap.waitForMatching(about(id, 'credit.usage.cancelled'), 1);
    expect(event?.properties.correlationId).toBe('msg_test');

    expect(await t.db.transaction((tx) => cancelUsageForOrder(tx, ctx, u.order_id))).toEqual({ status: 'none' });
    expect(await t.db.transaction((tx) => cancelUsageForOrder(tx, ctx, newOrder()))).toEqual({ status: 'none' });
    // Another organization does not see the order.
    expect(await t.db.transaction((tx) => cancelUsageForOrder(tx, contextFor(newOrg(t).org), u.order_id))).toEqual({
      status: 'none',
    });
    await tap.expectExactly(about(id, 'credit.usage.cancelled'), 1);
  });

  it("when the order's usage has a payment allocated, then it throws usage-partly-paid and stores nothing", async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c);
    const u = await use(c, id, 90);
    await payOk(c, id, 90);
    const before = await stored(t.db, c.org, id);
    const failure = await t.db
      .transaction((tx) => cancelUsageForOrder(tx, contextFor(c.org), u.order_id, 'customer changed their mind'))
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(failure).toBeInstanceOf(DomainError);
    expect(failure).toMatchObject({ code: 'usage-partly-paid', fields: { usage_id: u.usage_id, amount_paid: 90 } });
    expect(await stored(t.db, c.org, id)).toEqual(before);
  });
});

describe('usage cancellation on embedded PGlite', () => {
  it('when a usage is cancelled on PGlite, then the account, the usage and the stored event match PostgreSQL', async () => {
    const c = newOrg(embedded);
    const id = await creditCustomer(embedded, c, { credit_limit: 1000, payment_term_days: 30 });
    const u = await use(c, id, 600.6);
    const res = await cancel(c, id, u.usage_id);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ usage_id: u.usage_id, status: 'cancelled' });
    expect((await cancel(c, id, u.usage_id)).statusCode).toBe(409);
    const account = await creditAccount(c, id);
    expect(account).toMatchObject({ outstanding: 0, credit_available: 1000 });
    const events = (await stored(embedded.db, c.org, id)).outbox
      .filter((r) => String(r.event_name).startsWith('credit.'))
      .map((r) => ({
        event: r.event_name,
        data: JSON.parse(String(r.payload)).data,
      }));
    expect(events.map((e) => e.event)).toEqual(['credit.approved', 'credit.used', 'credit.usage.cancelled']);
    expect(events[2]?.data).toEqual({
      customer_id: id,
      credit_account_id: account.credit_account_id,
      usage_id: u.usage_id,
      order_id: u.order_id,
      amount: 600.6,
      credit_available: 1000,
    });
    // A payment then has nothing left to settle: the cancelled usage takes none of it.
    const paid = await c.call('POST', `/v1/customers/${id}/credit/payments`, { amount: 1 });
    expect(paid.statusCode).toBe(422);
    expect(paid.json().type).toBe(problemType('overpayment'));
  });
});
