import type { Queryable } from '../db/db.js';

/** How a consumed message ended, as the inbox keeps it (a dead-lettered one leaves no row: nothing was applied). */
export type InboxOutcome = 'applied' | 'skipped' | 'duplicate';

export interface InboxEntry {
  sourceExchange: string;
  messageId: string;
  organizationId: string | null;
  event: string;
  receivedAt: Date;
}

/**
 * Claims the message in the caller's transaction: false when its (exchange, messageId) is already there (applied
 * before, or being applied by another instance right now: the insert waits for that transaction, then conflicts).
 */
export async function claimMessage(tx: Queryable, e: InboxEntry): Promise<boolean> {
  const res = await tx.query(
    `INSERT INTO inbox (source_exchange, message_id, organization_id, event, received_at, outcome)
     VALUES ($1, $2, $3, $4, $5, 'applied')
     ON CONFLICT (source_exchange, message_id) DO NOTHING`,
    [e.sourceExchange, e.messageId, e.organizationId, e.event, e.receivedAt],
  );
  return res.rowCount === 1;
}

export async function setOutcome(tx: Queryable, e: InboxEntry, outcome: InboxOutcome): Promise<void> {
  await tx.query('UPDATE inbox SET outcome = $3 WHERE source_exchange = $1 AND message_id = $2', [
    e.sourceExchange,
    e.messageId,
    outcome,
  ]);
}

/**
 * Serializes every message about one business key of one organization (an order, a payment) until commit, across
 * instances: two messages about the same order give the same result as one after the other.
 */
export async function lockKey(tx: Queryable, org: string, key: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [`inbound:${org}`, key]);
}

export interface InboundOrderRow {
  order_id: string;
  customer_id: string | null;
  total_cents: number | null;
  earn_base_cents: number | null;
  completed_at: Date | null;
  cancelled_at: Date | null;
  refunded_cents: number;
}

export async function findOrder(tx: Queryable, org: string, orderId: string): Promise<InboundOrderRow | undefined> {
  const res = await tx.query<InboundOrderRow>(
    `SELECT order_id, customer_id, total_cents::float8 AS total_cents, earn_base_cents::float8 AS earn_base_cents,
            completed_at, cancelled_at, refunded_cents::float8 AS refunded_cents
       FROM inbound_orders WHERE organization_id = $1 AND order_id = $2`,
    [org, orderId],
  );
  return res.rows[0];
}

export interface OrderChange {
  customerId: string | null;
  totalCents?: number;
  earnBaseCents?: number;
  completedAt?: Date;
  cancelledAt?: Date;
  refundedCents?: number;
}

/** Creates the order's row or updates the fields given (the others keep their values). */
export async function saveOrder(tx: Queryable, org: string, orderId: string, c: OrderChange, at: Date): Promise<void> {
  await tx.query(
    `INSERT INTO inbound_orders (organization_id, order_id, customer_id, total_cents, earn_base_cents, completed_at,
                                 cancelled_at, refunded_cents, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($8, 0), $9)
     ON CONFLICT (organization_id, order_id) DO UPDATE SET
       customer_id = COALESCE(inbound_orders.customer_id, EXCLUDED.customer_id),
       total_cents = COALESCE($4, inbound_orders.total_cents),
       earn_base_cents = COALESCE($5, inbound_orders.earn_base_cents),
       completed_at = COALESCE(inbound_orders.completed_at, $6),
       cancelled_at = COALESCE(inbound_orders.cancelled_at, $7),
       refunded_cents = COALESCE($8, inbound_orders.refunded_cents),
       updated_at = $9`,
    [
      org,
      orderId,
      c.customerId,
      c.totalCents ?? null,
      c.earnBaseCents ?? null,
      c.completedAt ?? null,
      c.cancelledAt ?? null,
      c.refundedCents ?? null,
      at,
    ],
  );
}

/** Records a refund once: false when its refund_id was recorded before. */
export async function insertRefund(
  tx: Queryable,
  org: string,
  r: { refundId: string; orderId: string; amountCents: number; pointsReversed: number; at: Date },
): Promise<boolean> {
  const res = await tx.query(
    `INSERT INTO inbound_refunds (organization_id, refund_id, order_id, amount_cents, points_reversed, received_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (organization_id, refund_id) DO NOTHING`,
    [org, r.refundId, r.orderId, r.amountCents, r.pointsReversed, r.at],
  );
  return res.rowCount === 1;
}

export async function refundExists(tx: Queryable, org: string, refundId: string): Promise<boolean> {
  const res = await tx.query('SELECT 1 FROM inbound_refunds WHERE organization_id = $1 AND refund_id = $2', [
    org,
    refundId,
  ]);
  return res.rowCount > 0;
}

/** Whether a credit payment with this reference (an Payment Service payment_id) is recorded for the customer. */
export async function paymentRecorded(tx: Queryable, org: string, customerId: string, reference: string) {
  const res = await tx.query(
    'SELECT 1 FROM credit_payments WHERE organization_id = $1 AND reference = $2 AND customer_id = $3 LIMIT 1',
    [org, reference, customerId],
  );
  return res.rowCount > 0;
}

/** Deletes up to `batch` inbox rows received more than `days` days before `now`; returns how many. */
export async function purgeInbox(db: Queryable, days: number, now: Date, batch = 1000): Promise<number> {
  const res = await db.query(
    `DELETE FROM inbox WHERE ctid IN (
       SELECT ctid FROM inbox WHERE received_at < $1::timestamptz - make_interval(secs => $2) LIMIT $3)`,
    [now, days * 86_400, batch],
  );
  return res.rowCount;
}
