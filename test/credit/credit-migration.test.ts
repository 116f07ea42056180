import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { loadMigrations } from '../../src/db/migrate.js';
import { createPgliteDb } from '../../src/db/pglite.js';
import { createPostgresDb } from '../../src/db/postgres.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const dropped: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of dropped) await drop();
});

async function open(backend: 'postgres' | 'pglite'): Promise<Db> {
  if (backend === 'pglite') {
    const db = await createPgliteDb(undefined);
    dropped.push(() => db.close());
    return db;
  }
  const test: TestDatabase = await createTestDatabase();
  const db = createPostgresDb(test.url, 2);
  dropped.push(async () => {
    await db.close();
    await test.drop();
  });
  return db;
}

/** Applies the migrations before (or only) 0005_credit_lifecycle. */
async function apply(db: Db, which: 'before' | 'credit'): Promise<void> {
  const session = await db.session();
  try {
    for (const m of loadMigrations()) {
      const isCredit = m.version === '0005_credit_lifecycle';
      if (which === 'credit' ? isCredit : m.version < '0005_credit_lifecycle') await session.exec(m.sql);
    }
  } finally {
    await session.release();
  }
}

const at = (iso: string) => new Date(iso);

describe.each(['postgres', 'pglite'] as const)('migration 0005 on %s', (backend) => {
  it("when existing credit data is migrated, then today's payments are allocated in order, earliest due date first, to the usages that existed then", async () => {
    const db = await open(backend);
    await apply(db, 'before');
    await db.query(
      `INSERT INTO customers (organization_id, customer_id, customer_type, name, email, created_at, updated_at)
       VALUES ('org_m', 'cust_a', 'b2b', 'A', 'a@example.com', $1, $1), ('org_m', 'cust_b', 'b2b', 'B', 'b@example.com', $1, $1)`,
      [at('2025-01-01T00:00:00Z')],
    );
    await db.query(
      `INSERT INTO credit_accounts (organization_id, credit_account_id, customer_id, credit_limit_cents,
                                    outstanding_cents, payment_term_days, approved_by, created_at, updated_at)
       VALUES ('org_m', 'credit_a', 'cust_a', 100000, 16000, 30, 'u', $1, $1),
              ('org_m', 'credit_b', 'cust_b', 100000, 0, 30, 'u', $1, $1)`,
      [at('2025-01-01T00:00:00Z')],
    );
    const usage = (id: string, customer: string, cents: number, due: string, created: string) =>
      db.query(
        `INSERT INTO credit_usages (organization_id, usage_id, customer_id, order_id, amount_cents,
                                    available_after_cents, due_date, created_at)
         VALUES ('org_m', $1, $2, $3, $4, 0, $5::date, $6)`,
        [id, customer, `order_${id}`, cents, due, at(created)],
      );
    const payment = (id: string, customer: string, cents: number, created: string) =>
      db.query(
        `INSERT INTO credit_payments (organization_id, payment_id, customer_id, amount_cents, available_after_cents,
                                      created_at)
         VALUES ('org_m', $1, $2, $3, 0, $4)`,
        [id, customer, cents, at(created)],
      );
    // cust_a: u1 due late, then p1 (only u1 existed), then u2 and u3 due earlier, then p2 (u2 first).
    await usage('u1', 'cust_a', 10000, '2025-03-01', '2025-01-02T00:00:00Z');
    await payment('p1', 'cust_a', 4000, '2025-01-03T00:00:00Z');
    await usage('u2', 'cust_a', 5000, '2025-02-01', '2025-01-04T00:00:00Z');
    await usage('u3', 'cust_a', 7000, '2025-02-01', '2025-01-05T00:00:00Z');
    await payment('p2', 'cust_a', 2000, '2025-01-06T00:00:00Z');
    // cust_b: paid in full.
    await usage('u4', 'cust_b', 1234, '2025-02-01', '2025-01-02T00:00:00Z');
    await payment('p3', 'cust_b', 1234, '2025-01-03T00:00:00Z');

    await apply(db, 'credit');

    const paid = await db.query<{ usage_id: string; amount_paid_cents: number; overdue_announced_at: Date | null }>(
      'SELECT usage_id, amount_paid_cents, overdue_announced_at FROM credit_usages ORDER BY usage_id',
    );
    expect(paid.rows.map((r) => [r.usage_id, Number(r.amount_paid_cents)])).toEqual([
      ['u1', 4000],
      ['u2', 2000],
      ['u3', 0],
      ['u4', 1234],
    ]);
    expect(paid.rows.every((r) => r.overdue_announced_at === null)).toBe(true);
    const allocations = await db.query<{ payment_id: string; usage_id: string; amount_cents: number }>(
      'SELECT payment_id, usage_id, amount_cents FROM credit_allocations ORDER BY payment_id, usage_id',
    );
    expect(allocations.rows.map((r) => [r.payment_id, r.usage_id, Number(r.amount_cents)])).toEqual([
      ['p1', 'u1', 4000],
      ['p2', 'u2', 2000],
      ['p3', 'u4', 1234],
    ]);
    const accounts = await db.query<{ customer_id: string; status: string; hold_reason: string | null }>(
      'SELECT customer_id, status, hold_reason FROM credit_accounts ORDER BY customer_id',
    );
    expect(accounts.rows).toEqual([
      { customer_id: 'cust_a', status: 'active', hold_reason: null },
      { customer_id: 'cust_b', status: 'active', hold_reason: null },
    ]);
  });
});
