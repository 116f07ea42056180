import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { createCustomer, useTestApp } from '../helpers/fixtures.js';
import { outboxOf } from '../helpers/stored-rows-c.js';

/*
 * Concurrent requests with one Idempotency-Key (docs/architecture.md, "Idempotency"): the key is claimed with an
 * insert in the transaction of the change, so a concurrent retry waits for the first request, then replays its
 * status and body with `idempotent-replayed: true` and publishes nothing. Exactly one business write. A redemption
 * is the write: nothing else (no reference) stops a second one from taking points again.
 */

const backends = { postgres: useTestApp(), pglite: useTestApp({ backend: 'pglite' }) };
const CONCURRENT = 8;

async function customerWithPoints(t: TestApp, points: number): Promise<string> {
  const id = await createCustomer(t);
  const res = await t.request({
    method: 'POST',
    url: `/v1/customers/${id}/loyalty/earn`,
    payload: { points, reference_type: 'purchase', reference_id: `order_${randomUUID()}` },
  });
  expect(res.statusCode, res.body).toBe(201);
  return id;
}

function redeem(t: TestApp, id: string, points: number, key: string) {
  return t.request({
    method: 'POST',
    url: `/v1/customers/${id}/loyalty/redeem`,
    payload: { points },
    headers: { 'idempotency-key': key },
  });
}

async function redemptionsOf(t: TestApp, id: string): Promise<number> {
  const res = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM loyalty_transactions
      WHERE organization_id = $1 AND customer_id = $2 AND type = 'redeem'`,
    [t.org, id],
  );
  return Number(res.rows[0]?.n);
}

async function redeemedEvents(t: TestApp, id: string): Promise<number> {
  return (await outboxOf(t.db, t.org)).filter((r) => r.customer_id === id && r.event_name === 'loyalty.points.redeemed')
    .length;
}

describe.each(Object.entries(backends))('concurrent requests with one Idempotency-Key (%s)', (_backend, t) => {
  it(`when ${CONCURRENT} identical redemptions with one key run at once, then one executes, the others replay its answer, and points are taken once`, async () => {
    const id = await customerWithPoints(t, 1000);
    const key = `redeem-${randomUUID()}`;

    const answers = await Promise.all(Array.from({ length: CONCURRENT }, () => redeem(t, id, 100, key)));

    for (const res of answers) expect(res.statusCode, res.body).toBe(201);
    const executed = answers.filter((r) => r.headers['idempotent-replayed'] === undefined);
    const replayed = answers.filter((r) => r.headers['idempotent-replayed'] === 'true');
    expect(executed).toHaveLength(1);
    expect(replayed).toHaveLength(CONCURRENT - 1);
    const first = executed[0]?.json();
    expect(first).toMatchObject({ points_redeemed: 100, points_balance: 900 });
    for (const res of replayed) expect(res.json()).toEqual(first);

    const account = await t.request({ method: 'GET', url: `/v1/customers/${id}/loyalty` });
    expect(account.json()).toMatchObject({ points_balance: 900, lifetime_points: 1000 });
    expect(await redemptionsOf(t, id)).toBe(1);
    expect(await redeemedEvents(t, id)).toBe(1);
  });

  it('when two redemptions with one key but different bodies run at once, then one executes and the other is 422 idempotency-key-reused', async () => {
    const id = await customerWithPoints(t, 1000);
    const key = `redeem-${randomUUID()}`;

    const answers = await Promise.all([redeem(t, id, 100, key), redeem(t, id, 200, key)]);

    const statuses = answers.map((r) => r.statusCode).sort();
    expect(statuses, answers.map((r) => r.body).join('\n')).toEqual([201, 422]);
    const refused = answers.find((r) => r.statusCode === 422);
    expect(refused?.json().type).toMatch(/\/problems\/idempotency-key-reused$/);
    const done = answers.find((r) => r.statusCode === 201)?.json();
    const account = await t.request({ method: 'GET', url: `/v1/customers/${id}/loyalty` });
    expect(account.json().points_balance).toBe(1000 - done.points_redeemed);
    expect(await redemptionsOf(t, id)).toBe(1);
    expect(await redeemedEvents(t, id)).toBe(1);
  });
});
