import { describe, expect, it } from 'vitest';
import { problemType } from './credit.fixtures.js';
import {
  creditAccount,
  creditCustomer,
  daysFromToday,
  newOrder,
  newOrg,
  overdueRun,
  payOk,
  use,
  useCreditLifecycle,
} from './lifecycle.fixtures.js';

const { t, later } = useCreditLifecycle({ backend: 'pglite', relay: false });

async function storedEvents(customerId: string) {
  const res = await t.db.query<{ event_name: string; payload: string }>(
    `SELECT event_name, payload FROM outbox WHERE customer_id = $1 AND event_name LIKE 'credit.%' ORDER BY id`,
    [customerId],
  );
  return res.rows.map((r) => ({ event: r.event_name, data: JSON.parse(r.payload).data }));
}

describe('the credit lifecycle on embedded PGlite', () => {
  it('when a usage falls overdue, is refused on hold and paid, then the stored events, statement and aging match PostgreSQL', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c, { credit_limit: 1000, payment_term_days: 30 });
    const u = await use(c, id, 600.6);
    expect(await overdueRun(c, later)).toEqual({ as_of: daysFromToday(40), usages_overdue: 1, accounts_held: 1 });
    expect(await overdueRun(c, later)).toMatchObject({ usages_overdue: 0, accounts_held: 0 });
    const refused = await c.call('POST', `/v1/customers/${id}/credit/usages`, { order_id: newOrder(), amount: 1 });
    expect(refused.json().type).toBe(problemType('credit-on-hold'));
    await payOk(c, id, 600.6, later);
    expect(await creditAccount(c, id)).toMatchObject({ status: 'active', outstanding: 0 });

    const events = await storedEvents(id);
    expect(events.map((e) => e.event)).toEqual([
      'credit.approved',
      'credit.used',
      'credit.overdue',
      'credit.hold.placed',
      'credit.payment.received',
      'credit.hold.released',
    ]);
    expect(events[2]?.data).toMatchObject({ usage_id: u.usage_id, amount_due: 600.6, days_overdue: 10 });
    expect(events[3]?.data).toMatchObject({ reason: 'overdue', note: null, outstanding: 600.6 });
    expect(events[5]?.data).toMatchObject({ credit_available: 1000 });

    const statement = (
      await c.call('GET', `/v1/customers/${id}/credit/statement?from=${daysFromToday(0)}&to=${daysFromToday(40)}`)
    ).json();
    expect(statement.lines.map((l: { balance: number }) => l.balance)).toEqual([600.6, 0]);
    const aging = (await c.call('GET', `/v1/credit/aging?as_of=${daysFromToday(35)}`)).json();
    expect(aging.items).toEqual([expect.objectContaining({ customer_id: id, outstanding: 600.6, days_1_30: 600.6 })]);
    expect(aging.totals).toMatchObject({ outstanding: 600.6, days_1_30: 600.6, current: 0 });
  });

  it('when a manual hold is placed, then usages are refused and DELETE releases it', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c);
    expect((await c.call('POST', `/v1/customers/${id}/credit/hold`, { note: 'Audit' })).statusCode).toBe(200);
    const refused = await c.call('POST', `/v1/customers/${id}/credit/usages`, { order_id: newOrder(), amount: 1 });
    expect(refused.statusCode).toBe(422);
    expect((await c.call('DELETE', `/v1/customers/${id}/credit/hold`)).json()).toMatchObject({ status: 'active' });
    expect((await storedEvents(id)).map((e) => e.event)).toEqual([
      'credit.approved',
      'credit.hold.placed',
      'credit.hold.released',
    ]);
  });
});
