import type { Queryable } from '../db/db.js';
import { onlyRow } from '../db/sql.js';
import { customerPageReader, customerRowReader } from '../shared/customer-rows.js';

/** Money columns are integer cents. */
export interface CreditAccountRow {
  credit_account_id: string;
  customer_id: string;
  credit_limit_cents: number;
  outstanding_cents: number;
  payment_term_days: number;
  approved_by: string;
  status: 'active' | 'on_hold';
  hold_reason: 'overdue' | 'manual' | null;
  hold_note: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface UsageRow {
  seq: number;
  usage_id: string;
  order_id: string;
  amount_cents: number;
  /** Settled by payments (allocated earliest due date first, then oldest). */
  amount_paid_cents: number;
  available_after_cents: number;
  /** YYYY-MM-DD (read as text: a DATE parsed into a JS Date would shift with the process time zone). */
  due_date: string;
  created_at: Date;
  /** Set when the usage was cancelled (its amount returned to the available credit); null otherwise. */
  cancelled_at: Date | null;
}

export interface PaymentRow {
  seq: number;
  payment_id: string;
  amount_cents: number;
  reference: string | null;
  available_after_cents: number;
  created_at: Date;
}

export const accountColumns = `credit_account_id, customer_id, credit_limit_cents, outstanding_cents, payment_term_days,
  approved_by, status, hold_reason, hold_note, created_at, updated_at`;
export const usageColumns = `seq, usage_id, order_id, amount_cents, amount_paid_cents, available_after_cents,
  to_char(due_date, 'YYYY-MM-DD') AS due_date, created_at, cancelled_at`;
const paymentColumns = 'seq, payment_id, amount_cents, reference, available_after_cents, created_at';

export interface NewAccount {
  credit_account_id: string;
  credit_limit_cents: number;
  payment_term_days: number;
  approved_by: string;
}

/** Inserts the account; returns undefined when the customer already has one (the primary key decides). */
export async function insertAccount(
  tx: Queryable,
  org: string,
  customerId: string,
  a: NewAccount,
  at: Date,
): Promise<CreditAccountRow | undefined> {
  const res = await tx.query<CreditAccountRow>(
    `INSERT INTO credit_accounts (organization_id, credit_account_id, customer_id, credit_limit_cents,
                                  payment_term_days, approved_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
     ON CONFLICT (organization_id, customer_id) DO NOTHING
     RETURNING ${accountColumns}`,
    [org, a.credit_account_id, customerId, a.credit_limit_cents, a.payment_term_days, a.approved_by, at],
  );
  return res.rows[0];
}

/** `forUpdate` locks the row until commit: every writer takes this lock before it writes to the outbox. */
export const findAccount = customerRowReader<CreditAccountRow>('credit_accounts', accountColumns);

export async function updateTerms(
  tx: Queryable,
  org: string,
  customerId: string,
  terms: { credit_limit_cents: number; payment_term_days: number; approved_by: string },
  at: Date,
): Promise<CreditAccountRow> {
  const res = await tx.query<CreditAccountRow>(
    `UPDATE credit_accounts SET credit_limit_cents = $3, payment_term_days = $4, approved_by = $5, updated_at = $6
      WHERE organization_id = $1 AND customer_id = $2
      RETURNING ${accountColumns}`,
    [org, customerId, terms.credit_limit_cents, terms.payment_term_days, terms.approved_by, at],
  );
  return onlyRow(res, 'credit account');
}

/**
 * A guarded move of `outstanding_cents` by an amount (`+` or `-`): it matches no row where `guard` (over the amount,
 * `$3`) does not hold, or there is no account. The row stays locked until commit.
 */
function outstandingMove(direction: '+' | '-', guard: string) {
  return async (
    tx: Queryable,
    org: string,
    customerId: string,
    amountCents: number,
    at: Date,
  ): Promise<CreditAccountRow | undefined> => {
    const res = await tx.query<CreditAccountRow>(
      `UPDATE credit_accounts SET outstanding_cents = outstanding_cents ${direction} $3, updated_at = $4
        WHERE organization_id = $1 AND customer_id = $2 AND ${guard}
        RETURNING ${accountColumns}`,
      [org, customerId, amountCents, at],
    );
    return res.rows[0];
  };
}

/**
 * Guarded charge: matches no row when `amount` exceeds the available credit, the account is on hold (or there is
 * no account), so concurrent usages can never take the account over its limit nor past a hold that committed
 * first.
 */
export const charge = outstandingMove('+', "credit_limit_cents - outstanding_cents >= $3 AND status = 'active'");

/** Guarded repayment: matches no row when `amount` exceeds the outstanding amount (or there is no account). */
export const repay = outstandingMove('-', 'outstanding_cents >= $3');

/** Returns undefined when the order already has a usage in this organization (the unique key decides). */
export async function insertUsage(
  tx: Queryable,
  org: string,
  customerId: string,
  u: Omit<UsageRow, 'seq' | 'amount_paid_cents' | 'cancelled_at'>,
): Promise<UsageRow | undefined> {
  const res = await tx.query<UsageRow>(
    `INSERT INTO credit_usages (organization_id, usage_id, customer_id, order_id, amount_cents,
                                available_after_cents, due_date, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8)
     ON CONFLICT (organization_id, order_id) DO NOTHING
     RETURNING ${usageColumns}`,
    [org, u.usage_id, customerId, u.order_id, u.amount_cents, u.available_after_cents, u.due_date, u.created_at],
  );
  return res.rows[0];
}

export async function findUsageByOrder(
  db: Queryable,
  org: string,
  orderId: string,
): Promise<{ usage_id: string; customer_id: string } | undefined> {
  const res = await db.query<{ usage_id: string; customer_id: string }>(
    'SELECT usage_id, customer_id FROM credit_usages WHERE organization_id = $1 AND order_id = $2',
    [org, orderId],
  );
  return res.rows[0];
}

export async function insertRefusal(
  tx: Queryable,
  org: string,
  customerId: string,
  r: { order_id: string; attempted_cents: number; available_cents: number; actor: string; created_at: Date },
): Promise<void> {
  await tx.query(
    `INSERT INTO credit_refusals (organization_id, customer_id, order_id, attempted_cents, available_cents, actor,
                                  created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [org, customerId, r.order_id, r.attempted_cents, r.available_cents, r.actor, r.created_at],
  );
}

export async function insertPayment(
  tx: Queryable,
  org: string,
  customerId: string,
  p: Omit<PaymentRow, 'seq'>,
): Promise<PaymentRow> {
  const res = await tx.query<PaymentRow>(
    `INSERT INTO credit_payments (organization_id, payment_id, customer_id, amount_cents, reference,
                                  available_after_cents, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING ${paymentColumns}`,
    [org, p.payment_id, customerId, p.amount_cents, p.reference, p.available_after_cents, p.created_at],
  );
  return onlyRow(res, 'credit payment');
}

export const listUsages = customerPageReader<UsageRow>('credit_usages', usageColumns);

export const listPayments = customerPageReader<PaymentRow>('credit_payments', paymentColumns);

/** A refused usage, kept as audit (credit.limit.exceeded). */
export interface RefusalRow {
  seq: number;
  order_id: string;
  attempted_cents: number;
  available_cents: number;
  actor: string;
  created_at: Date;
}

export const listRefusals = customerPageReader<RefusalRow>(
  'credit_refusals',
  'seq, order_id, attempted_cents, available_cents, actor, created_at',
);
