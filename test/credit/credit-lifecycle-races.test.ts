import { describe, expect, it } from 'vitest';
import { useEventTap } from '../helpers/fixtures.js';
import { problemType } from './credit.fixtures.js';
import {
  about,
  creditAccount,
  creditCustomer,
  named,
  newOrder,
  newOrg,
  usages,
  use,
  useCreditLifecycle,
} from './lifecycle.fixtures.js';

const tap = useEventTap('credit.#');
const { t, later } = useCreditLifecycle();

describe('races', () => {
  it('when payments that clear the overdue amount race an overdue run, then every account ends active, paid, and each hold placed is released', async () => {
    const c = newOrg(t);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = await creditCustomer(t, c);
      await use(c, id, 40.4);
      await use(c, id, 9.6);
      ids.push(id);
    }
    const [run, ...payments] = await Promise.all([
      c.call('POST', '/v1/credit/overdue-runs', undefined, { app: later }),
      ...ids.map((id) => c.call('POST', `/v1/customers/${id}/credit/payments`, { amount: 50 }, { app: later })),
    ]);
    expect(run?.statusCode, run?.body).toBe(200);
    for (const p of payments) expect(p.statusCode, p.body).toBe(201);
    const { usages_overdue: overdue, accounts_held: held } = run?.json() ?? {};

    await tap.expectExactly(
      (e) => ids.includes(String(e.body.data.customer_id)) && e.body.event === 'credit.overdue',
      overdue,
    );
    const placed = await tap.expectExactly(
      (e) => ids.includes(String(e.body.data.customer_id)) && e.body.event === 'credit.hold.placed',
      held,
    );
    await tap.expectExactly(
      (e) => ids.includes(String(e.body.data.customer_id)) && e.body.event === 'credit.hold.released',
      held,
    );
    for (const id of ids) {
      expect(await creditAccount(c, id)).toMatchObject({ status: 'active', outstanding: 0, hold_reason: null });
      expect((await usages(c, id, later)).map((u) => u.status)).toEqual(['paid', 'paid']);
      const names = tap.received.filter(
        about(id, 'credit.hold.placed', 'credit.hold.released', 'credit.payment.received'),
      );
      // A hold placed for an account is always followed by the payment and its release, in commit order.
      if (named(tap, id, 'credit.hold.placed').length === 1) {
        expect(names.map((e) => e.body.event)).toEqual([
          'credit.hold.placed',
          'credit.payment.received',
          'credit.hold.released',
        ]);
      }
    }
    expect(placed.length).toBe(held);
    expect(overdue).toBe(held * 2);
  });

  it('when usages race a manual hold, then no usage is accepted after the hold committed and the outstanding amount is exactly the accepted usages', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c, { credit_limit: 100000, payment_term_days: 30 });
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () =>
        c.call('POST', `/v1/customers/${id}/credit/usages`, { order_id: newOrder(), amount: 12.34 }),
      ),
      c.call('POST', `/v1/customers/${id}/credit/hold`, { note: 'race' }),
      ...Array.from({ length: 10 }, () =>
        c.call('POST', `/v1/customers/${id}/credit/usages`, { order_id: newOrder(), amount: 12.34 }),
      ),
    ]);
    const hold = results[10];
    expect(hold?.statusCode, hold?.body).toBe(200);
    const usageResults = results.filter((_, i) => i !== 10);
    for (const r of usageResults) {
      expect([201, 422], r.body).toContain(r.statusCode);
      if (r.statusCode === 422) expect(r.json().type).toBe(problemType('credit-on-hold'));
    }
    const accepted = usageResults.filter((r) => r.statusCode === 201).length;
    expect(await creditAccount(c, id)).toMatchObject({ status: 'on_hold', outstanding: (accepted * 1234) / 100 });

    // In commit order (the outbox ids), every credit.used comes before the hold.
    const rows = await t.db.query<{ event_name: string }>(
      `SELECT event_name FROM outbox WHERE organization_id = $1 AND customer_id = $2 AND event_name LIKE 'credit.%'
        AND event_name <> 'credit.approved'
        ORDER BY id`,
      [c.org, id],
    );
    const names = rows.rows.map((r) => r.event_name);
    expect(names).toEqual([...Array(accepted).fill('credit.used'), 'credit.hold.placed']);
    await tap.expectExactly(about(id, 'credit.used'), accepted);
    await tap.expectExactly(about(id, 'credit.limit.exceeded'), 0);
  });
});
