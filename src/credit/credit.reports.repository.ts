import type { Queryable } from '../db/db.js';
import { onlyRow, SqlParams } from '../db/sql.js';

/*
 * Read models for credit managers: a customer's statement over a date range, and the organization's aging as of a
 * date. Day bounds are UTC instants computed by the caller; money is integer cents.
 */

export interface StatementLineRow {
  kind: 'usage' | 'payment';
  id: string;
  reference: string | null;
  amount_cents: number;
  created_at: Date;
}

/**
 * Usages less payments made before `start`: the outstanding amount when the statement opens. A cancelled usage
 * counts nowhere (as if it had never been made: it carries no payment).
 */
export async function balanceBefore(db: Queryable, org: string, customerId: string, start: Date): Promise<number> {
  const res = await db.query<{ balance: number | null }>(
    `SELECT (SELECT COALESCE(SUM(amount_cents), 0) FROM credit_usages
              WHERE organization_id = $1 AND customer_id = $2 AND created_at < $3 AND cancelled_at IS NULL)
          - (SELECT COALESCE(SUM(amount_cents), 0) FROM credit_payments
              WHERE organization_id = $1 AND customer_id = $2 AND created_at < $3) AS balance`,
    [org, customerId, start],
  );
  return Number(res.rows[0]?.balance ?? 0);
}

/**
 * Usages (not cancelled) and payments made in [start, end), in the order they happened (a usage before a payment of
 * the same instant).
 */
export async function statementLines(
  db: Queryable,
  org: string,
  customerId: string,
  start: Date,
  end: Date,
): Promise<StatementLineRow[]> {
  const res = await db.query<StatementLineRow>(
    `SELECT kind, id, reference, amount_cents, created_at FROM (
       SELECT 'usage' AS kind, usage_id AS id, order_id AS reference, amount_cents, created_at, seq, 0 AS ord
         FROM credit_usages
        WHERE organization_id = $1 AND customer_id = $2 AND created_at >= $3 AND created_at < $4
          AND cancelled_at IS NULL
       UNION ALL
       SELECT 'payment', payment_id, reference, amount_cents, created_at, seq, 1
         FROM credit_payments
        WHERE organization_id = $1 AND customer_id = $2 AND created_at >= $3 AND created_at < $4
     ) movements
     ORDER BY created_at, ord, seq`,
    [org, customerId, start, end],
  );
  return res.rows;
}

export interface AgingBuckets {
  outstanding: number;
  current: number;
  days_1_30: number;
  days_31_60: number;
  days_61_90: number;
  days_over_90: number;
}

export interface AgingRow extends AgingBuckets {
  seq: number;
  customer_id: string;
  credit_account_id: string;
}

const BUCKETS: readonly (keyof AgingBuckets)[] = [
  'outstanding',
  'current',
  'days_1_30',
  'days_31_60',
  'days_61_90',
  'days_over_90',
];

/**
 * Per account with something outstanding at the end of `asOf` (before `end`, the next UTC midnight): each usage's
 * remainder after the payments allocated to it by then, bucketed by days past its due date as of `asOf`. Cancelled
 * usages count nowhere, as in the statement.
 */
function agingSql(params: SqlParams, org: string, asOf: string, end: Date): string {
  const o = params.add(org);
  const d = params.add(asOf);
  const e = params.add(end);
  const overdue = `${d}::date - r.due_date`;
  return `WITH remainders AS (
       SELECT u.customer_id, u.due_date,
              u.amount_cents - COALESCE((SELECT SUM(al.amount_cents) FROM credit_allocations al
                                          WHERE al.organization_id = u.organization_id AND al.usage_id = u.usage_id
                                            AND al.created_at < ${e}), 0) AS remaining
         FROM credit_usages u
        WHERE u.organization_id = ${o} AND u.created_at < ${e} AND u.cancelled_at IS NULL
          AND (u.amount_paid_cents < u.amount_cents
               OR EXISTS (SELECT 1 FROM credit_allocations al
                           WHERE al.organization_id = u.organization_id AND al.usage_id = u.usage_id
                             AND al.created_at >= ${e}))
     ), aging AS (
       SELECT a.seq, a.customer_id, a.credit_account_id,
              SUM(r.remaining) AS outstanding,
              COALESCE(SUM(r.remaining) FILTER (WHERE r.due_date >= ${d}::date), 0) AS current,
              COALESCE(SUM(r.remaining) FILTER (WHERE ${overdue} BETWEEN 1 AND 30), 0) AS days_1_30,
              COALESCE(SUM(r.remaining) FILTER (WHERE ${overdue} BETWEEN 31 AND 60), 0) AS days_31_60,
              COALESCE(SUM(r.remaining) FILTER (WHERE ${overdue} BETWEEN 61 AND 90), 0) AS days_61_90,
              COALESCE(SUM(r.remaining) FILTER (WHERE ${overdue} > 90), 0) AS days_over_90
         FROM credit_accounts a
         JOIN remainders r ON r.customer_id = a.customer_id AND r.remaining > 0
        WHERE a.organization_id = ${o}
        GROUP BY a.seq, a.customer_id, a.credit_account_id
     )`;
}

function numbers<R extends object>(row: R): R {
  const out: Record<string, unknown> = { ...(row as Record<string, unknown>) };
  for (const k of [...BUCKETS, 'seq']) if (k in out) out[k] = Number(out[k]);
  return out as R;
}

/** One page of accounts (in approval order) with their buckets, plus one row to tell whether there is more. */
export async function agingPage(
  db: Queryable,
  org: string,
  asOf: string,
  end: Date,
  afterSeq: number | undefined,
  limit: number,
): Promise<AgingRow[]> {
  const params = new SqlParams();
  const cte = agingSql(params, org, asOf, end);
  const after = afterSeq === undefined ? '' : `WHERE seq > ${params.add(afterSeq)}`;
  const res = await db.query<AgingRow>(
    `${cte} SELECT * FROM aging ${after} ORDER BY seq LIMIT ${params.add(limit + 1)}`,
    params.values,
  );
  return res.rows.map(numbers);
}

/** The same buckets over every account of the organization. */
export async function agingTotals(db: Queryable, org: string, asOf: string, end: Date): Promise<AgingBuckets> {
  const params = new SqlParams();
  const cte = agingSql(params, org, asOf, end);
  const sums = BUCKETS.map((b) => `COALESCE(SUM(${b}), 0) AS ${b}`).join(', ');
  const res = await db.query<AgingBuckets>(`${cte} SELECT ${sums} FROM aging`, params.values);
  return numbers(onlyRow(res, 'aging totals'));
}
