import type { Queryable } from '../../src/db/db.js';

/*
 * What a test's organization has stored, read from the test's own database. "Nothing was published" and "nothing
 * was written" are claims about these rows: the relay publishes only outbox rows, so an event that was never stored
 * can never arrive, however long one waits for it (a quiet window on the broker proves nothing under load).
 */

export interface OutboxRow {
  id: number;
  message_id: string;
  customer_id: string;
  event_name: string;
  /** The stored envelope, parsed. */
  body: { event: string; organization_id: string; data: Record<string, unknown> };
}

/** The outbox rows of `org` (of one customer, when given), in commit order. */
export async function outboxRowsOf(db: Queryable, org: string, customerId?: string): Promise<OutboxRow[]> {
  const { rows } = await db.query<Omit<OutboxRow, 'body'> & { payload: string }>(
    `SELECT id::int AS id, message_id, customer_id, event_name, payload FROM outbox
      WHERE organization_id = $1 AND ($2::text IS NULL OR customer_id = $2) ORDER BY id`,
    [org, customerId ?? null],
  );
  return rows.map(({ payload, ...row }) => ({ ...row, body: JSON.parse(payload) }));
}

/** The event names of `org`'s outbox rows (of one customer, when given), in commit order. */
export async function storedEventsOf(db: Queryable, org: string, customerId?: string): Promise<string[]> {
  return (await outboxRowsOf(db, org, customerId)).map((r) => r.event_name);
}

export interface LedgerRows {
  /** loyalty_transactions: earn, redeem, reversal, expiry entries. */
  loyalty: { transaction_id: string; type: string; points: number; points_balance: number }[];
  /** credit_usages. */
  usages: { usage_id: string; order_id: string; amount_cents: number; amount_paid_cents: number }[];
  /** credit_payments. */
  payments: { payment_id: string; amount_cents: number; reference: string | null }[];
  /** credit_refusals (refused usages). */
  refusals: { order_id: string; attempted_cents: number; available_cents: number }[];
}

/** Every ledger row of customer `customerId` in `org`, each kind in the order it was written. */
export async function ledgerRowsOf(db: Queryable, org: string, customerId: string): Promise<LedgerRows> {
  const params = [org, customerId];
  const [loyalty, usages, payments, refusals] = await Promise.all([
    db.query<LedgerRows['loyalty'][number]>(
      `SELECT transaction_id, type, points::int AS points, points_balance::int AS points_balance
         FROM loyalty_transactions WHERE organization_id = $1 AND customer_id = $2 ORDER BY seq`,
      params,
    ),
    db.query<LedgerRows['usages'][number]>(
      `SELECT usage_id, order_id, amount_cents::int AS amount_cents, amount_paid_cents::int AS amount_paid_cents
         FROM credit_usages WHERE organization_id = $1 AND customer_id = $2 ORDER BY seq`,
      params,
    ),
    db.query<LedgerRows['payments'][number]>(
      `SELECT payment_id, amount_cents::int AS amount_cents, reference
         FROM credit_payments WHERE organization_id = $1 AND customer_id = $2 ORDER BY seq`,
      params,
    ),
    db.query<LedgerRows['refusals'][number]>(
      `SELECT order_id, attempted_cents::int AS attempted_cents, available_cents::int AS available_cents
         FROM credit_refusals WHERE organization_id = $1 AND customer_id = $2 ORDER BY seq`,
      params,
    ),
  ]);
  return { loyalty: loyalty.rows, usages: usages.rows, payments: payments.rows, refusals: refusals.rows };
}
