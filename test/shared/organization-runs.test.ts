import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../src/db/db.js';
import { clockPlus, creditCustomer, newOrg, type OrgClient, overdueRun, use } from '../credit/lifecycle.fixtures.js';
import type { TestApp } from '../helpers/app.js';
import { createCustomer, useAppWith, useTestApp } from '../helpers/fixtures.js';
import { earn, setProgram } from '../loyalty/lifecycle.helpers.js';

/*
 * A manual run (`POST /v1/loyalty/expiry-runs`, `POST /v1/credit/overdue-runs`) covers the caller's organization
 * only: another organization, in the same state and as due, keeps every row of its ledger, lots, accounts, usages
 * and outbox exactly as they were.
 */

const backends = { postgres: useTestApp(), pglite: useTestApp({ backend: 'pglite' }) };
/** The same service 40 days later: points valid 30 days have expired, usages due in 30 days are overdue. */
const later = {
  postgres: useAppWith(backends.postgres, { clock: clockPlus(40) }),
  pglite: useAppWith(backends.pglite, { clock: clockPlus(40) }),
};

const TABLES = [
  'loyalty_accounts',
  'loyalty_transactions',
  'loyalty_lots',
  'credit_accounts',
  'credit_usages',
  'outbox',
  'idempotency_keys',
] as const;

/** Every row of `org` in the tables a run may write, as text, in a stable order. */
async function snapshot(db: Queryable, org: string): Promise<Record<string, string[]>> {
  const all: Record<string, string[]> = {};
  for (const table of TABLES) {
    const res = await db.query<{ r: string }>(
      `SELECT to_jsonb(x)::text AS r FROM ${table} x WHERE organization_id = $1 ORDER BY 1`,
      [org],
    );
    all[table] = res.rows.map((row) => row.r);
  }
  return all;
}

/** An organization with points that expire in 30 days and a credit usage due in 30 days. */
async function organizationWithDueThings(t: TestApp): Promise<OrgClient> {
  const c = newOrg(t);
  await setProgram(t, c.org, { points_validity_days: 30, expiry_notice_days: 10 });
  const member = await createCustomer(t, { org: c.org });
  await earn(t, c.org, member, 100);
  const buyer = await creditCustomer(t, c, { credit_limit: 1000, payment_term_days: 30 });
  await use(c, buyer, 250);
  return c;
}

describe.each(['postgres', 'pglite'] as const)('organization runs (%s)', (backend) => {
  const t = backends[backend];

  it("when organization A runs expiry and overdue, then A's points expire and its usage goes overdue, and organization B's rows are untouched", async () => {
    const a = await organizationWithDueThings(t);
    const b = await organizationWithDueThings(t);
    const bBefore = await snapshot(t.db, b.org);
    const aBefore = await snapshot(t.db, a.org);

    const expiry = await a.call('POST', '/v1/loyalty/expiry-runs', undefined, { app: later[backend] });
    expect(expiry.statusCode, expiry.body).toBe(200);
    const overdue = await overdueRun(a, later[backend]);

    expect(await snapshot(t.db, b.org)).toEqual(bBefore);
    expect(expiry.json()).toMatchObject({ points_expired: 100, customers_affected: 1 });
    expect(overdue).toMatchObject({ usages_overdue: 1, accounts_held: 1 });
    // The runs did write for A: its ledger, lots, usages, account and outbox changed.
    const aAfter = await snapshot(t.db, a.org);
    for (const table of ['loyalty_transactions', 'loyalty_lots', 'credit_usages', 'credit_accounts', 'outbox']) {
      expect(aAfter[table], table).not.toEqual(aBefore[table]);
    }
    const bEvents = (await t.db.query('SELECT event_name FROM outbox WHERE organization_id = $1', [b.org])).rows;
    expect(bEvents.map((r) => r.event_name)).not.toContain('loyalty.points.expired');
    expect(bEvents.map((r) => r.event_name)).not.toContain('credit.overdue');

    // B's own runs still find everything due: nothing of B was consumed by A's runs.
    const bExpiry = await b.call('POST', '/v1/loyalty/expiry-runs', undefined, { app: later[backend] });
    expect(bExpiry.json()).toMatchObject({ points_expired: 100, customers_affected: 1 });
    expect(await overdueRun(b, later[backend])).toMatchObject({ usages_overdue: 1, accounts_held: 1 });
  });
});
