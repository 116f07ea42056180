import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { runExpiry } from '../../src/loyalty/loyalty.expiry.job.js';
import { assertValidEvent } from '../../src/outbox/events.js';
import { JobLock, withJobLock } from '../../src/shared/jobs.js';
import { appWith, type TestApp } from '../helpers/app.js';
import { createCustomer, useEventTap, useTestApp } from '../helpers/fixtures.js';
import { outboxRowsOf, storedEventsOf } from '../helpers/stored-rows.js';
import {
  account,
  call,
  DAY_MS,
  earn,
  expectBalanceIsSumOfLots,
  ledgerOf,
  lotsOf,
  movableClock,
  orgWithCustomer,
} from './lifecycle.helpers.js';

const tap = useEventTap('loyalty.points.*');
const backends = { postgres: useTestApp(), pglite: useTestApp({ backend: 'pglite' }) };
const opened: FastifyInstance[] = [];
afterAll(async () => {
  for (const app of opened) await app.close();
});

async function later(t: TestApp, opts: Parameters<typeof appWith>[1]) {
  const app = await appWith(t, opts);
  opened.push(app);
  return app;
}
function run(t: TestApp, org: string, app: FastifyInstance) {
  return call(t, org, 'POST', '/v1/loyalty/expiry-runs', undefined, {}, app);
}
/** The names `names` among the events stored for `org` (its outbox rows), in commit order. */
async function stored(t: TestApp, org: string, ...names: string[]): Promise<string[]> {
  return (await storedEventsOf(t.db, org)).filter((name) => names.includes(name));
}

describe.each(Object.entries(backends))('expiry (%s)', (_backend, t) => {
  it('when the clock (CLOCK_OFFSET) passes a lot’s expiry, then a run expires it once and publishes loyalty.points.expired once', async () => {
    const { org, id } = await orgWithCustomer(t, { points_validity_days: 30, expiry_notice_days: 0 });
    await earn(t, org, id, 100);
    await expectBalanceIsSumOfLots(t, org, id);
    const now = await run(t, org, t.app);
    expect(now.json()).toMatchObject({ points_expired: 0, customers_affected: 0, notices_sent: 0 });

    const future = await later(t, { config: { CLOCK_OFFSET: 'P31D' } });
    const first = await run(t, org, future);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ points_expired: 100, customers_affected: 1, notices_sent: 0 });
    expect(Date.parse(first.json().as_of) - Date.now()).toBeGreaterThan(30 * DAY_MS);
    const second = await run(t, org, future);
    expect(second.json()).toMatchObject({ points_expired: 0, customers_affected: 0 });

    const [event] = await tap.waitForOrg(org, 1, 'loyalty.points.expired');
    // The second run stored nothing: one expiry event.
    expect(await stored(t, org, 'loyalty.points.expired')).toEqual(['loyalty.points.expired']);
    assertValidEvent(event?.body as never);
    const [entry] = await ledgerOf(t, org, id);
    expect(entry).toMatchObject({ type: 'expiry', points: 100, points_balance: 0, reversed_transaction_id: null });
    expect(event?.body.data).toEqual({
      customer_id: id,
      transaction_id: entry?.transaction_id,
      points_expired: 100,
      points_balance: 0,
    });
    expect(await expectBalanceIsSumOfLots(t, org, id)).toBe(0);
    expect((await account(t, org, id)).next_expiry).toBeNull();
  });

  it('when the clock enters the notice window, then loyalty.points.expiring is published once per lot', async () => {
    const { org, id } = await orgWithCustomer(t, { points_validity_days: 30, expiry_notice_days: 10 });
    await earn(t, org, id, 70);
    const [lot] = await lotsOf(t, org, id);
    const clock = movableClock();
    const app = await later(t, { clock });
    clock.moveDays(5);
    expect((await run(t, org, app)).json()).toMatchObject({ notices_sent: 0, points_expired: 0 });
    clock.moveDays(21);
    expect((await run(t, org, app)).json()).toMatchObject({ notices_sent: 1, points_expired: 0 });
    expect((await run(t, org, app)).json()).toMatchObject({ notices_sent: 0 });
    const [notice] = await tap.waitForOrg(org, 1, 'loyalty.points.expiring');
    assertValidEvent(notice?.body as never);
    expect(notice?.body.data).toEqual({
      customer_id: id,
      points_expiring: 70,
      expires_at: lot?.expires_at?.toISOString(),
      points_balance: 70,
    });
    clock.moveDays(31);
    expect((await run(t, org, app)).json()).toMatchObject({ notices_sent: 0, points_expired: 70 });
    await tap.waitForOrg(org, 1, 'loyalty.points.expired');
    // One notice for the lot (the runs after it stored none), then its expiry.
    expect(await stored(t, org, 'loyalty.points.expiring', 'loyalty.points.expired')).toEqual([
      'loyalty.points.expiring',
      'loyalty.points.expired',
    ]);
  });

  it('when points are redeemed, then the lots expiring first are used first and only the rest expires', async () => {
    const { org, id } = await orgWithCustomer(t, { points_validity_days: 30, expiry_notice_days: 0 });
    const clock = movableClock();
    const app = await later(t, { clock });
    await earn(t, org, id, 100, app);
    clock.moveDays(20);
    await earn(t, org, id, 100, app);
    const redeemed = await call(t, org, 'POST', `/v1/customers/${id}/loyalty/redeem`, { points: 60 }, {}, app);
    expect(redeemed.statusCode).toBe(201);
    expect((await lotsOf(t, org, id)).map((l) => l.remaining)).toEqual([40, 100]);
    clock.moveDays(31);
    expect((await run(t, org, app)).json()).toMatchObject({ points_expired: 40 });
    expect(await expectBalanceIsSumOfLots(t, org, id)).toBe(100);
    // a cancelled redemption gives points back into the expired lot: they expire at the next run
    const back = await call(
      t,
      org,
      'POST',
      `/v1/customers/${id}/loyalty/transactions/${redeemed.json().transaction_id}/reversal`,
      {},
      {},
      app,
    );
    expect(back.json()).toMatchObject({ points_reversed: 60, points_balance: 160 });
    expect((await run(t, org, app)).json()).toMatchObject({ points_expired: 60 });
    expect(await expectBalanceIsSumOfLots(t, org, id)).toBe(100);
  });

  it('when manual and scheduled runs overlap, then no lot expires twice and each customer is told once', async () => {
    const { org } = await orgWithCustomer(t, { points_validity_days: 30, expiry_notice_days: 0 });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const id = await createCustomer(t, { org });
      await earn(t, org, id, 10 + i);
      ids.push(id);
    }
    const expected = ids.reduce((sum, _id, i) => sum + 10 + i, 0);
    const clock = movableClock();
    clock.moveDays(31);
    const scheduled = await later(t, { clock, config: { LOYALTY_EXPIRY_INTERVAL_SECONDS: 1 } });
    const manual = await later(t, { clock });
    const asOf = clock.now();
    const runs = await Promise.all([
      run(t, org, manual),
      run(t, org, scheduled),
      // the run without the job lock: only the guarded update stands between it and a double expiry
      t.db.transaction((tx) => runExpiry(tx, { org, actor: 'test', correlationId: null }, asOf)),
      // what the scheduler runs (all organizations, giving up when another run holds the lock)
      withJobLock(t.db, JobLock.loyaltyExpiry, { wait: false }, (tx) =>
        runExpiry(tx, { org: null, actor: 'system', correlationId: null }, asOf),
      ).then((r) => r ?? { points_expired: 0 }),
      run(t, org, manual),
    ]);
    await new Promise((r) => setTimeout(r, 1500));
    // A manual run that finds another run of the organization's expiry in progress is refused at once (409).
    for (const r of runs) {
      if ('json' in r && r.statusCode !== 200) {
        expect(r.statusCode, r.body).toBe(409);
        expect(r.json().type).toMatch(/\/job-running$/);
      }
    }
    const manualExpired = runs
      .map((r) => ('json' in r ? (r.statusCode === 200 ? r.json().points_expired : 0) : r.points_expired) as number)
      .reduce((a, b) => a + b, 0);
    const ledgerExpired = await t.db.query<{ points: number; entries: number }>(
      `SELECT COALESCE(sum(points), 0)::bigint AS points, count(*)::int AS entries FROM loyalty_transactions
        WHERE organization_id = $1 AND type = 'expiry'`,
      [org],
    );
    expect(ledgerExpired.rows[0]).toEqual({ points: expected, entries: ids.length });
    expect(manualExpired).toBeLessThanOrEqual(expected);
    const events = await tap.waitForOrg(org, ids.length, 'loyalty.points.expired');
    expect(new Set(events.map((e) => e.body.data.customer_id))).toEqual(new Set(ids));
    // One expiry event stored per customer, however the runs raced.
    const expired = (await outboxRowsOf(t.db, org)).filter((r) => r.event_name === 'loyalty.points.expired');
    expect(expired.map((r) => r.customer_id).sort()).toEqual([...ids].sort());
    for (const id of ids) expect(await expectBalanceIsSumOfLots(t, org, id)).toBe(0);
  });
});
