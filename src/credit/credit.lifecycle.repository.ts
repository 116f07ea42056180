import type { Queryable } from '../db/db.js';
import { onlyRow, SqlParams } from '../db/sql.js';
import { accountColumns, type CreditAccountRow } from './credit.repository.js';

/*
 * SQL of the credit lifecycle: allocation of payments, holds and overdue usages. Dates (`today`, `as_of`) come
 * from the service clock as parameters: SQL never decides "now".
 */

/**
 * Allocates `amountCents` of a payment to the customer's unpaid usages (never a cancelled one), earliest due date
 * first, then oldest, and records each share. The caller holds the account's row lock, so no other payment or usage moves them meanwhile.
 * Returns the cents allocated (the whole payment: a payment never exceeds the outstanding amount).
 */
export async function allocatePayment(
  tx: Queryable,
  org: string,
  customerId: string,
  paymentId: string,
  amountCents: number,
  at: Date,
): Promise<number> {
  const res = await tx.query<{ allocated: string | number | null }>(
    `WITH unpaid AS (
       SELECT usage_id, amount_cents - amount_paid_cents AS remaining,
              SUM(amount_cents - amount_paid_cents) OVER (ORDER BY due_date, seq) AS running
         FROM credit_usages
        WHERE organization_id = $1 AND customer_id = $2 AND amount_paid_cents < amount_cents
          AND cancelled_at IS NULL
     ), shares AS (
       SELECT usage_id, LEAST(remaining, $4::bigint - (running - remaining)) AS take
         FROM unpaid WHERE running - remaining < $4::bigint
     ), settled AS (
       UPDATE credit_usages u SET amount_paid_cents = u.amount_paid_cents + shares.take
         FROM shares
        WHERE u.organization_id = $1 AND u.usage_id = shares.usage_id
       RETURNING u.usage_id, shares.take
     ), recorded AS (
       INSERT INTO credit_allocations (organization_id, payment_id, usage_id, customer_id, amount_cents, created_at)
       SELECT $1, $3, usage_id, $2, take, $5 FROM settled
       RETURNING amount_cents
     )
     SELECT SUM(amount_cents) AS allocated FROM recorded`,
    [org, customerId, paymentId, amountCents, at],
  );
  return Number(res.rows[0]?.allocated ?? 0);
}

/** The customer's unpaid amount past due as of `today` (its UTC date): 0 when no usage is overdue (cancelled ones never are). */
export async function overdueCents(db: Queryable, org: string, customerId: string, today: string): Promise<number> {
  const res = await db.query<{ overdue: string | number | null }>(
    `SELECT SUM(amount_cents - amount_paid_cents) AS overdue FROM credit_usages
      WHERE organization_id = $1 AND customer_id = $2 AND amount_paid_cents < amount_cents AND due_date < $3::date
        AND cancelled_at IS NULL`,
    [org, customerId, today],
  );
  return Number(res.rows[0]?.overdue ?? 0);
}

/** Puts the account on hold (or changes the reason of a hold); the caller holds the row lock. */
export async function placeHold(
  tx: Queryable,
  org: string,
  customerId: string,
  hold: { reason: 'overdue' | 'manual'; note: string | null },
  at: Date,
): Promise<CreditAccountRow> {
  const res = await tx.query<CreditAccountRow>(
    `UPDATE credit_accounts SET status = 'on_hold', hold_reason = $3, hold_note = $4, updated_at = $5
      WHERE organization_id = $1 AND customer_id = $2
      RETURNING ${accountColumns}`,
    [org, customerId, hold.reason, hold.note, at],
  );
  return onlyRow(res, 'credit account');
}

/** Makes the account active again; the caller holds the row lock. */
export async function releaseHold(tx: Queryable, org: string, customerId: string, at: Date): Promise<CreditAccountRow> {
  const res = await tx.query<CreditAccountRow>(
    `UPDATE credit_accounts SET status = 'active', hold_reason = NULL, hold_note = NULL, updated_at = $3
      WHERE organization_id = $1 AND customer_id = $2
      RETURNING ${accountColumns}`,
    [org, customerId, at],
  );
  return onlyRow(res, 'credit account');
}

/**
 * Accounts an overdue run must look at as of `asOf`: those with an unpaid usage past due (not cancelled) that is not
 * yet announced, or that are still active with one. `org` null: every organization.
 */
export async function overdueCandidates(
  db: Queryable,
  org: string | null,
  asOf: string,
): Promise<{ organization_id: string; customer_id: string }[]> {
  const params = new SqlParams();
  const where = [
    `u.due_date < ${params.add(asOf)}::date`,
    'u.amount_paid_cents < u.amount_cents',
    'u.cancelled_at IS NULL',
    "(u.overdue_announced_at IS NULL OR a.status = 'active')",
  ];
  if (org !== null) where.push(`u.organization_id = ${params.add(org)}`);
  const res = await db.query<{ organization_id: string; customer_id: string }>(
    `SELECT DISTINCT u.organization_id, u.customer_id
       FROM credit_usages u
       JOIN credit_accounts a ON a.organization_id = u.organization_id AND a.customer_id = u.customer_id
      WHERE ${where.join(' AND ')}
      ORDER BY u.organization_id, u.customer_id`,
    params.values,
  );
  return res.rows;
}

export interface OverdueUsageRow {
  usage_id: string;
  order_id: string;
  amount_due_cents: number;
  due_date: string;
}

/**
 * Marks the customer's unpaid usages past due as of `asOf` (not cancelled) that were not announced yet, and returns them (earliest
 * due date first, then oldest). The caller holds the account's row lock, so a racing payment is either seen in
 * full or waits for this transaction.
 */
export async function markOverdue(
  tx: Queryable,
  org: string,
  customerId: string,
  asOf: string,
  at: Date,
): Promise<OverdueUsageRow[]> {
  const res = await tx.query<OverdueUsageRow & { seq: number }>(
    `UPDATE credit_usages SET overdue_announced_at = $4
      WHERE organization_id = $1 AND customer_id = $2 AND due_date < $3::date
        AND amount_paid_cents < amount_cents AND cancelled_at IS NULL AND overdue_announced_at IS NULL
      RETURNING seq, usage_id, order_id, amount_cents - amount_paid_cents AS amount_due_cents,
                to_char(due_date, 'YYYY-MM-DD') AS due_date`,
    [org, customerId, asOf, at],
  );
  return res.rows
    .map((r) => ({ ...r, amount_due_cents: Number(r.amount_due_cents), seq: Number(r.seq) }))
    .sort((a, b) => (a.due_date === b.due_date ? a.seq - b.seq : a.due_date < b.due_date ? -1 : 1))
    .map(({ seq: _seq, ...r }) => r);
}
