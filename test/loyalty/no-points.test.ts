import { describe, expect, it } from 'vitest';
import { type TestApp, uniqueOrg } from '../helpers/app.js';
import { createCustomer, useTestApp } from '../helpers/fixtures.js';
import { account, call, ledgerOf, ref } from './lifecycle.helpers.js';

/*
 * An earn by `amount` converts at the program's earn rate, rounded down (docs/http-api.md); an amount that converts
 * to 0 points is refused 422 `no-points` (docs/deviations.md) and writes nothing: no entry, no balance change, no
 * event, and the reference stays free for a later earn.
 */

const backends = { postgres: useTestApp(), pglite: useTestApp({ backend: 'pglite' }) };

function earnAmount(t: TestApp, org: string, id: string, amount: number, referenceId = ref()) {
  return call(t, org, 'POST', `/v1/customers/${id}/loyalty/earn`, {
    amount,
    reference_type: 'purchase',
    reference_id: referenceId,
  });
}

/** The loyalty events stored for customer `id` (every event of an earn is stored with it). */
async function loyaltyRows(t: TestApp, org: string, id: string): Promise<number> {
  const res = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbox
      WHERE organization_id = $1 AND customer_id = $2 AND event_name LIKE 'loyalty.%'`,
    [org, id],
  );
  return res.rows[0]?.n ?? -1;
}

describe.each(Object.entries(backends))('an earn of no points (%s)', (_backend, t) => {
  it('when an amount converts to 0 points at the default rate, then it is 422 no-points naming the amount, and nothing is written', async () => {
    const org = uniqueOrg();
    const id = await createCustomer(t, { org });
    const reference = ref();

    const res = await earnAmount(t, org, id, 0.99, reference);

    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = res.json();
    expect(problem.type).toMatch(/\/problems\/no-points$/);
    expect(problem).toMatchObject({ status: 422, title: 'No points to earn', amount: 0.99 });
    expect(await account(t, org, id)).toMatchObject({ points_balance: 0, lifetime_points: 0, tier: 'bronze' });
    expect(await ledgerOf(t, org, id)).toEqual([]);
    expect(await loyaltyRows(t, org, id)).toBe(0);

    // The refusal did not use up the reference: the same purchase, at a converting amount, earns.
    const again = await earnAmount(t, org, id, 1, reference);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ points_earned: 1, points_balance: 1 });
  });

  it("when the program's earn rate is 3 points per 1.00, then 0.33 is no-points and 0.34 earns 1 point (rounded down)", async () => {
    const org = uniqueOrg();
    const program = (await call(t, org, 'GET', '/v1/loyalty/program')).json();
    const put = await call(t, org, 'PUT', '/v1/loyalty/program', { ...program, earn_points_per_currency_unit: 3 });
    expect(put.statusCode, put.body).toBe(200);
    const id = await createCustomer(t, { org });

    const none = await earnAmount(t, org, id, 0.33);
    expect(none.statusCode, none.body).toBe(422);
    expect(none.json().type).toMatch(/\/problems\/no-points$/);
    expect(await ledgerOf(t, org, id)).toEqual([]);

    const one = await earnAmount(t, org, id, 0.34);
    expect(one.statusCode, one.body).toBe(201);
    expect(one.json()).toMatchObject({ points_earned: 1, points_balance: 1, lifetime_points: 1 });
    expect((await ledgerOf(t, org, id)).map((e) => [e.type, e.points])).toEqual([['earn', 1]]);
    expect(await loyaltyRows(t, org, id)).toBe(1);
  });
});
