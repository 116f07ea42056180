import { describe, expect, it } from 'vitest';
import { assertValidEvent } from '../../src/outbox/events.js';
import { useEventTap } from '../helpers/fixtures.js';
import { ledgerRowsOf } from '../helpers/stored-rows.js';
import { problemType } from './credit.fixtures.js';
import {
  arrived,
  creditAccount,
  creditCustomer,
  daysFromToday,
  newOrder,
  newOrg,
  overdueRun,
  payOk,
  stored,
  usages,
  use,
  useCreditLifecycle,
} from './lifecycle.fixtures.js';

const tap = useEventTap('credit.#');
const { t, later } = useCreditLifecycle();

// What was published is read from the stored outbox rows (`stored`): an event that was not stored never arrives.

describe('overdue runs and holds for overdue', () => {
  it('when the clock passes the due dates and the overdue job runs, then credit.overdue is published once per usage and the account is held; a second run publishes nothing', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c, { credit_limit: 10000, payment_term_days: 30 });
    const first = await use(c, id, 3000.1);
    const second = await use(c, id, 1999.9);
    expect((await overdueRun(c, t.app)).usages_overdue).toBe(0);

    const run = await overdueRun(c, later);
    expect(run).toEqual({ as_of: daysFromToday(40), usages_overdue: 2, accounts_held: 1 });
    const overdue = await arrived(tap, c, id, 2, 'credit.overdue');
    for (const e of overdue) expect(() => assertValidEvent(e.body as never)).not.toThrow();
    const account = await creditAccount(c, id);
    expect(overdue.map((e) => e.body.data)).toEqual([
      {
        customer_id: id,
        credit_account_id: account.credit_account_id,
        usage_id: first.usage_id,
        order_id: first.order_id,
        amount_due: 3000.1,
        due_date: first.due_date,
        days_overdue: 10,
      },
      expect.objectContaining({ usage_id: second.usage_id, amount_due: 1999.9, days_overdue: 10 }),
    ]);
    const [placed] = await arrived(tap, c, id, 1, 'credit.hold.placed');
    expect(placed?.body.data).toEqual({
      customer_id: id,
      credit_account_id: account.credit_account_id,
      reason: 'overdue',
      note: null,
      outstanding: 5000,
    });
    expect(account).toMatchObject({ status: 'on_hold', hold_reason: 'overdue', hold_note: null });
    expect((await usages(c, id, later)).map((u) => u.status)).toEqual(['overdue', 'overdue']);
    expect((await usages(c, id)).map((u) => u.status)).toEqual(['open', 'open']);

    expect(await overdueRun(c, later)).toEqual({ as_of: daysFromToday(40), usages_overdue: 0, accounts_held: 0 });
    expect(await stored(t, c, id, 'credit.overdue', 'credit.hold.placed')).toEqual([
      'credit.overdue',
      'credit.overdue',
      'credit.hold.placed',
    ]);
  });

  it('when a held account pays part of the overdue amount, then the hold stays; the payment that clears it lifts the hold and publishes credit.hold.released', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c);
    const a = await use(c, id, 3000);
    const b = await use(c, id, 2000);
    await overdueRun(c, later);

    const refused = await c.call('POST', `/v1/customers/${id}/credit/usages`, { order_id: newOrder(), amount: 10 });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ type: problemType('credit-on-hold'), status: 422 });
    const released409 = await c.call('DELETE', `/v1/customers/${id}/credit/hold`, undefined, { app: later });
    expect(released409.statusCode).toBe(409);
    expect(released409.json()).toMatchObject({ type: problemType('credit-overdue'), overdue_amount: 5000 });

    await payOk(c, id, 3000, later);
    const afterFirst = await usages(c, id, later);
    expect(afterFirst.find((u) => u.usage_id === a.usage_id)).toMatchObject({ amount_paid: 3000, status: 'paid' });
    expect(afterFirst.find((u) => u.usage_id === b.usage_id)).toMatchObject({ amount_paid: 0, status: 'overdue' });
    expect(await creditAccount(c, id)).toMatchObject({ status: 'on_hold', outstanding: 2000 });

    await payOk(c, id, 2000, later);
    const [released] = await arrived(tap, c, id, 1, 'credit.hold.released');
    expect(released?.body.data).toEqual({
      customer_id: id,
      credit_account_id: expect.stringMatching(/^credit_/),
      credit_available: 10000,
    });
    // The partial payment released nothing; the one that cleared the overdue amount did, right after it.
    expect((await stored(t, c, id)).slice(-3)).toEqual([
      'credit.payment.received',
      'credit.payment.received',
      'credit.hold.released',
    ]);
    expect(await creditAccount(c, id)).toMatchObject({ status: 'active', hold_reason: null, outstanding: 0 });
    await use(c, id, 10);
  });

  it('when a held account tries a usage, even one over its limit, then 422 credit-on-hold and nothing at all is published', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c, { credit_limit: 1000, payment_term_days: 0 });
    await use(c, id, 100);
    await overdueRun(c, later);
    await arrived(tap, c, id, 1, 'credit.hold.placed');
    const before = await stored(t, c, id);
    const ledgerBefore = await ledgerRowsOf(t.db, c.org, id);
    for (const amount of [10, 5000]) {
      const res = await c.call('POST', `/v1/customers/${id}/credit/usages`, { order_id: newOrder(), amount });
      expect(res.statusCode).toBe(422);
      expect(res.json().type).toBe(problemType('credit-on-hold'));
    }
    // No event (not even credit.limit.exceeded) and no ledger row (usage or refusal) was stored.
    expect(await stored(t, c, id)).toEqual(before);
    expect(await ledgerRowsOf(t.db, c.org, id)).toEqual(ledgerBefore);
    expect(await creditAccount(c, id)).toMatchObject({ outstanding: 100 });
  });
});

describe('manual holds', () => {
  it('when a credit manager holds an account, then usages are refused, payments accepted, the hold stays after payment and DELETE releases it', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c);
    await use(c, id, 700);
    const held = await c.call('POST', `/v1/customers/${id}/credit/hold`, { note: 'Returned cheque' });
    expect(held.statusCode, held.body).toBe(200);
    expect(held.json()).toMatchObject({ status: 'on_hold', hold_reason: 'manual', hold_note: 'Returned cheque' });
    const [placed] = await arrived(tap, c, id, 1, 'credit.hold.placed');
    expect(placed?.body.data).toEqual({
      customer_id: id,
      credit_account_id: held.json().credit_account_id,
      reason: 'manual',
      note: 'Returned cheque',
      outstanding: 700,
    });

    const refused = await c.call('POST', `/v1/customers/${id}/credit/usages`, { order_id: newOrder(), amount: 1 });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().type).toBe(problemType('credit-on-hold'));
    await payOk(c, id, 700);
    expect(await creditAccount(c, id)).toMatchObject({ status: 'on_hold', hold_reason: 'manual', outstanding: 0 });
    // The refused usage stored no credit.used, the payment no credit.hold.released.
    expect(await stored(t, c, id, 'credit.hold.released', 'credit.used')).toEqual(['credit.used']);

    const again = await c.call('POST', `/v1/customers/${id}/credit/hold`, {});
    expect(again.statusCode).toBe(200);
    const released = await c.call('DELETE', `/v1/customers/${id}/credit/hold`);
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json()).toMatchObject({ status: 'active', hold_reason: null, hold_note: null });
    const [event] = await arrived(tap, c, id, 1, 'credit.hold.released');
    expect(event?.body.data).toMatchObject({ customer_id: id, credit_available: 10000 });
    expect((await c.call('DELETE', `/v1/customers/${id}/credit/hold`)).statusCode).toBe(200);
    // Holding a held account and releasing an active one stored nothing.
    expect(await stored(t, c, id, 'credit.hold.placed', 'credit.hold.released')).toEqual([
      'credit.hold.placed',
      'credit.hold.released',
    ]);
    await use(c, id, 1);
  });

  it('when a manually held account falls overdue, then the run announces the usage without a second hold, DELETE is 409 credit-overdue until paid, and paying does not lift the manual hold', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c);
    await use(c, id, 250.55);
    expect((await c.call('POST', `/v1/customers/${id}/credit/hold`)).statusCode).toBe(200);
    expect(await overdueRun(c, later)).toMatchObject({ usages_overdue: 1, accounts_held: 0 });
    await arrived(tap, c, id, 1, 'credit.overdue');
    expect(await stored(t, c, id, 'credit.overdue', 'credit.hold.placed')).toEqual([
      'credit.hold.placed',
      'credit.overdue',
    ]);

    const refused = await c.call('DELETE', `/v1/customers/${id}/credit/hold`, undefined, { app: later });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ type: problemType('credit-overdue'), overdue_amount: 250.55 });
    await payOk(c, id, 250.55, later);
    expect(await creditAccount(c, id)).toMatchObject({ status: 'on_hold', hold_reason: 'manual' });
    expect((await c.call('DELETE', `/v1/customers/${id}/credit/hold`, undefined, { app: later })).statusCode).toBe(200);
    await arrived(tap, c, id, 1, 'credit.hold.released');
    expect(await stored(t, c, id, 'credit.hold.released')).toEqual(['credit.hold.released']);
  });

  it('when an account held for overdue is held by hand, then the hold becomes manual and a payment no longer lifts it', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c);
    await use(c, id, 80);
    await overdueRun(c, later);
    const manual = await c.call('POST', `/v1/customers/${id}/credit/hold`, { note: 'Review first' });
    expect(manual.json()).toMatchObject({ status: 'on_hold', hold_reason: 'manual', hold_note: 'Review first' });
    const placed = await arrived(tap, c, id, 2, 'credit.hold.placed');
    expect(placed.map((e) => e.body.data.reason)).toEqual(['overdue', 'manual']);
    await payOk(c, id, 80, later);
    expect(await creditAccount(c, id)).toMatchObject({ status: 'on_hold', hold_reason: 'manual' });
    expect(await stored(t, c, id, 'credit.hold.placed', 'credit.hold.released')).toEqual([
      'credit.hold.placed',
      'credit.hold.placed',
    ]);
  });

  it('when holds are asked without the role, with a long note, or for unknown accounts, then 403, 400 naming the field, 404', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c);
    const url = `/v1/customers/${id}/credit/hold`;
    expect((await c.call('POST', url, {}, { roles: [] })).statusCode).toBe(403);
    expect((await c.call('DELETE', url, undefined, { roles: [] })).statusCode).toBe(403);
    expect((await c.call('POST', '/v1/credit/overdue-runs', undefined, { roles: ['loyalty_admin'] })).statusCode).toBe(
      403,
    );
    const long = await c.call('POST', url, { note: 'n'.repeat(201) });
    expect(long.statusCode).toBe(400);
    expect(long.json().errors.map((e: { field: string }) => e.field)).toContain('note');
    expect((await c.call('POST', '/v1/customers/cust_nobody/credit/hold', {})).json().type).toBe(
      problemType('customer-not-found'),
    );
    const other = newOrg(t);
    expect((await other.call('DELETE', url)).statusCode).toBe(404);
    expect(await creditAccount(c, id)).toMatchObject({ status: 'active' });
  });
});
