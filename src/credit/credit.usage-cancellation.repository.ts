import type { Queryable } from '../db/db.js';
import { type UsageRow, usageColumns } from './credit.repository.js';

/*
 * SQL of usage cancellation. The caller holds the account's row lock: allocation, the overdue run and other
 * cancellations take it too, so the usage read here cannot change before the caller commits.
 */

/** The customer's usage `usageId` (cancelled or not); undefined when the customer has no such usage. */
export async function findUsage(
  db: Queryable,
  org: string,
  customerId: string,
  usageId: string,
): Promise<UsageRow | undefined> {
  const res = await db.query<UsageRow>(
    `SELECT ${usageColumns} FROM credit_usages
      WHERE organization_id = $1 AND customer_id = $2 AND usage_id = $3`,
    [org, customerId, usageId],
  );
  return res.rows[0];
}

export interface Cancellation {
  at: Date;
  /** The token's sub of who cancelled. */
  by: string;
  reason: string;
}

/**
 * Guarded: marks the usage cancelled only while it is not cancelled and has no payment allocated; undefined
 * otherwise (the table's check says the same).
 */
export async function markCancelled(
  tx: Queryable,
  org: string,
  usageId: string,
  c: Cancellation,
): Promise<UsageRow | undefined> {
  const res = await tx.query<UsageRow>(
    `UPDATE credit_usages SET cancelled_at = $3, cancelled_by = $4, cancellation_reason = $5
      WHERE organization_id = $1 AND usage_id = $2 AND cancelled_at IS NULL AND amount_paid_cents = 0
      RETURNING ${usageColumns}`,
    [org, usageId, c.at, c.by, c.reason],
  );
  return res.rows[0];
}
