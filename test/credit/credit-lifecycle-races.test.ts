import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { useEventTap } from '../helpers/fixtures.js';
import { holdRowLock } from '../helpers/row-locks.js';
import { problemType } from './credit.fixtures.js';
import {
  about,
  creditAccount,
  creditCustomer,
  newOrder,
  newOrg,
  usages,
  use,
  useCreditLifecycle,
} from './lifecycle.fixtures.js';

const tap = useEventTap('credit.#');
const { t, later } = useCreditLifecycle();

describe('races', () => {
  it('when payments that clear the overdue amount race an overdue run, then an account the run reached first is held and released by its payment, one paid first is never announced nor held, and every account ends active and paid', async () => {
    const c = newOrg(t);
    const created: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = await creditCustomer(t, c);
      await use(c, id, 40.4);
      await use(c, id, 9.6);
      created.push(id);
    }
    // The run takes the accounts one by one under their row lock, in this order.
    const order = await t.db.query<{ customer_id: string }>(
      'SELECT customer_id FROM credit_accounts WHERE organization_id = $1 ORDER BY customer_id',
      [c.org],
    );
    const ids = order.rows.map((r) => r.customer_id);
    expect([...ids].sort()).toEqual([...created].sort());
    const runFirst = ids.slice(0, 3);
    const paidFirst = ids.slice(3);

    // Forced interleaving: the third account's row is locked elsewhere, so the run holds the first two and waits
    // on the third; then all payments start. The last three commit at once (the run has not reached them); the
    // first three wait behind the run. Released, the run goes on over what the payments left.
    const url = t.config.DATABASE_URL;
    if (url === undefined) throw new Error('this race needs PostgreSQL (row locks from a second connection)');
    const lock = await holdRowLock(
      url,
      'SELECT 1 FROM credit_accounts WHERE organization_id = $1 AND customer_id = $2 FOR UPDATE',
      [c.org, runFirst[2]],
      1,
    );
    const run = c.call('POST', '/v1/credit/overdue-runs', undefined, { app: later });
    const waiting: Promise<LightMyRequestResponse>[] = [];
    try {
      await lock.waitForWaiters(1);
      for (const id of runFirst) {
        waiting.push(c.call('POST', `/v1/customers/${id}/credit/payments`, { amount: 50 }, { app: later }));
      }
      const early = await Promise.all(
        paidFirst.map((id) => c.call('POST', `/v1/customers/${id}/credit/payments`, { amount: 50 }, { app: later })),
      );
      for (const p of early) expect(p.statusCode, p.body).toBe(201);
      await lock.waitForWaiters(1 + runFirst.length);
    } finally {
      await lock.release();
    }
    const ran = await run;
    expect(ran.statusCode, ran.body).toBe(200);
    expect(ran.json()).toMatchObject({ usages_overdue: 2 * runFirst.length, accounts_held: runFirst.length });
    for (const p of await Promise.all(waiting)) expect(p.statusCode, p.body).toBe(201);

    for (const id of runFirst) {
      await tap.expectExactly(about(id, 'credit.overdue'), 2);
      await tap.expectExactly(about(id, 'credit.hold.placed'), 1);
      await tap.expectExactly(about(id, 'credit.hold.released'), 1);
      // The hold is followed by the payment and its release, in commit order.
      expect(
        tap.received
          .filter(about(id, 'credit.hold.placed', 'credit.hold.released', 'credit.payment.received'))
          .map((e) => e.body.event),
      ).toEqual(['credit.hold.placed', 'credit.payment.received', 'credit.hold.released']);
    }
    for (const id of paidFirst) await tap.expectExactly(about(id, 'credit.payment.received'), 1);
    await tap.expectExactly(
      (e) =>
        paidFirst.includes(String(e.body.data.customer_id)) &&
        ['credit.overdue', 'credit.hold.placed', 'credit.hold.released'].includes(e.body.event),
      0,
    );
    for (const id of ids) {
      expect(await creditAccount(c, id)).toMatchObject({ status: 'active', outstanding: 0, hold_reason: null });
      expect((await usages(c, id, later)).map((u) => u.status)).toEqual(['paid', 'paid']);
    }
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
