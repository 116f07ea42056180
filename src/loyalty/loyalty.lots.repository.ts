import type { Queryable } from '../db/db.js';
import { SqlParams } from '../db/sql.js';

/*
 * Lots: every earn's points, with their expiry. The balance is the sum of what remains in the lots, and every change
 * to the lots of a customer happens while its loyalty account row is locked (by the caller).
 */

export interface LotTake {
  lot_id: number;
  points: number;
}

export interface NewLot {
  transactionId: string | null;
  points: number;
  earnedAt: Date;
  expiresAt: Date | null;
}

/** The INSERT of one lot, its values added to `params`; `onlyIf` is a condition for a caller's larger statement. */
export function insertLotSql(params: SqlParams, org: string, customerId: string, lot: NewLot, onlyIf?: string): string {
  const values = [org, customerId, lot.transactionId, lot.points, lot.points, lot.earnedAt, lot.expiresAt];
  return `INSERT INTO loyalty_lots (organization_id, customer_id, transaction_id, points, remaining, earned_at, expires_at)
     SELECT ${values.map((v) => params.add(v)).join(', ')}${onlyIf ? ` WHERE ${onlyIf}` : ''}`;
}

export async function createLot(tx: Queryable, org: string, customerId: string, lot: NewLot): Promise<void> {
  const params = new SqlParams();
  await tx.query(insertLotSql(params, org, customerId, lot), params.values);
}

/**
 * Takes up to `points` from the customer's lots: the lot of `firstTransactionId` first (an earn being reversed),
 * then by earliest expiry (never-expiring last), then oldest earn. Returns what was taken from each lot; less than
 * `points` in total only when the lots hold less.
 */
export async function takeFromLots(
  tx: Queryable,
  org: string,
  customerId: string,
  points: number,
  firstTransactionId: string | null,
): Promise<LotTake[]> {
  const res = await tx.query<LotTake>(
    `WITH ordered AS (
       SELECT lot_id, remaining,
              sum(remaining) OVER (
                ORDER BY (transaction_id IS NOT DISTINCT FROM $4::text) DESC, expires_at ASC NULLS LAST, earned_at,
                         lot_id
                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
         FROM loyalty_lots
        WHERE organization_id = $1 AND customer_id = $2 AND remaining > 0
     ), take AS (
       SELECT lot_id, LEAST(remaining, $3 - (running - remaining)) AS points FROM ordered WHERE running - remaining < $3
     )
     UPDATE loyalty_lots l SET remaining = l.remaining - take.points
       FROM take WHERE l.lot_id = take.lot_id
     RETURNING l.lot_id, take.points`,
    [org, customerId, points, firstTransactionId],
  );
  return res.rows;
}

/** Remembers which lots a redemption took from, so that its reversal gives the points back into them. */
export async function recordRedemptionLots(
  tx: Queryable,
  org: string,
  transactionId: string,
  taken: readonly LotTake[],
): Promise<void> {
  if (taken.length === 0) return;
  await tx.query(
    `INSERT INTO loyalty_redemption_lots (organization_id, transaction_id, lot_id, points)
     SELECT $1, $2, lot_id, points FROM unnest($3::bigint[], $4::bigint[]) AS t(lot_id, points)`,
    [org, transactionId, taken.map((t) => t.lot_id), taken.map((t) => t.points)],
  );
}

/**
 * Gives up to `points` of a redemption back into the lots it took them from (latest expiry first), with those lots'
 * own expiry. Returns the points given back (less than asked only for a redemption older than the lots).
 */
export async function giveBackToLots(
  tx: Queryable,
  org: string,
  redemptionId: string,
  points: number,
): Promise<number> {
  const res = await tx.query<{ given: number }>(
    `WITH open AS (
       SELECT r.lot_id, r.points - r.returned AS open, l.expires_at, l.earned_at
         FROM loyalty_redemption_lots r JOIN loyalty_lots l ON l.lot_id = r.lot_id
        WHERE r.organization_id = $1 AND r.transaction_id = $2 AND r.points > r.returned
     ), ordered AS (
       SELECT lot_id, open,
              sum(open) OVER (ORDER BY expires_at DESC NULLS FIRST, earned_at DESC, lot_id DESC
                              ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
         FROM open
     ), give AS (
       SELECT lot_id, LEAST(open, $3 - (running - open)) AS points FROM ordered WHERE running - open < $3
     ), returned AS (
       UPDATE loyalty_redemption_lots r SET returned = r.returned + g.points
         FROM give g WHERE r.organization_id = $1 AND r.transaction_id = $2 AND r.lot_id = g.lot_id
     ), lots AS (
       UPDATE loyalty_lots l SET remaining = l.remaining + g.points FROM give g WHERE l.lot_id = g.lot_id
     )
     SELECT COALESCE(sum(points), 0)::bigint AS given FROM give`,
    [org, redemptionId, points],
  );
  return res.rows[0]?.given ?? 0;
}

/**
 * Empties the customer's lots whose expiry is at or before `asOf` (guarded: a lot already empty matches nothing, so
 * two runs never expire it twice). Returns the points expired.
 */
export async function expireLots(tx: Queryable, org: string, customerId: string, asOf: Date): Promise<number> {
  const res = await tx.query<{ expired: number }>(
    `WITH due AS (
       SELECT lot_id, remaining FROM loyalty_lots
        WHERE organization_id = $1 AND customer_id = $2 AND remaining > 0 AND expires_at <= $3
        FOR UPDATE
     ), emptied AS (
       UPDATE loyalty_lots l SET remaining = 0 FROM due WHERE l.lot_id = due.lot_id AND l.remaining > 0
       RETURNING due.remaining
     )
     SELECT COALESCE(sum(remaining), 0)::bigint AS expired FROM emptied`,
    [org, customerId, asOf],
  );
  return res.rows[0]?.expired ?? 0;
}

/**
 * Marks as announced the customer's lots that expire after `asOf` and up to `until` and were not announced yet;
 * returns their points and earliest expiry (null when there were none).
 */
export async function announceLots(
  tx: Queryable,
  org: string,
  customerId: string,
  asOf: Date,
  until: Date,
): Promise<{ points: number; expires_at: Date } | null> {
  const res = await tx.query<{ points: number | null; expires_at: Date | null }>(
    `WITH announced AS (
       UPDATE loyalty_lots SET announced_at = $3
        WHERE organization_id = $1 AND customer_id = $2 AND remaining > 0 AND announced_at IS NULL
          AND expires_at > $3 AND expires_at <= $4
       RETURNING remaining, expires_at
     )
     SELECT sum(remaining)::bigint AS points, min(expires_at) AS expires_at FROM announced`,
    [org, customerId, asOf, until],
  );
  const row = res.rows[0];
  return row?.points && row.expires_at ? { points: row.points, expires_at: row.expires_at } : null;
}

export interface CustomerRef {
  organization_id: string;
  customer_id: string;
}

/** Customers with points expired as of `asOf` (of one organization, or of all when `org` is null). */
export async function customersWithExpiredLots(db: Queryable, org: string | null, asOf: Date): Promise<CustomerRef[]> {
  const res = await db.query<CustomerRef>(
    `SELECT DISTINCT organization_id, customer_id FROM loyalty_lots
      WHERE remaining > 0 AND expires_at <= $2 AND ($1::text IS NULL OR organization_id = $1)
      ORDER BY organization_id, customer_id`,
    [org, asOf],
  );
  return res.rows;
}

/** Customers with unannounced points expiring within their program's notice window, with the window's end. */
export async function customersToNotify(
  db: Queryable,
  org: string | null,
  asOf: Date,
): Promise<(CustomerRef & { until: Date })[]> {
  const res = await db.query<CustomerRef & { until: Date }>(
    `SELECT l.organization_id, l.customer_id, max(w.until) AS until
       FROM loyalty_lots l
       LEFT JOIN loyalty_programs p ON p.organization_id = l.organization_id
       CROSS JOIN LATERAL (SELECT $2::timestamptz + make_interval(days => COALESCE(p.expiry_notice_days, 30)) AS until) w
      WHERE l.remaining > 0 AND l.announced_at IS NULL AND l.expires_at > $2 AND l.expires_at <= w.until
        AND ($1::text IS NULL OR l.organization_id = $1)
      GROUP BY l.organization_id, l.customer_id
      ORDER BY l.organization_id, l.customer_id`,
    [org, asOf],
  );
  return res.rows;
}

/** The earliest points to expire: the lots sharing the earliest expiry. */
export async function nextExpiry(
  db: Queryable,
  org: string,
  customerId: string,
): Promise<{ points: number; expires_at: Date } | null> {
  const res = await db.query<{ points: number; expires_at: Date }>(
    `SELECT sum(remaining)::bigint AS points, expires_at FROM loyalty_lots
      WHERE organization_id = $1 AND customer_id = $2 AND remaining > 0 AND expires_at IS NOT NULL
      GROUP BY expires_at ORDER BY expires_at LIMIT 1`,
    [org, customerId],
  );
  return res.rows[0] ?? null;
}

export interface ReversibleRow {
  transaction_id: string;
  type: 'earn' | 'redeem' | 'reversal' | 'expiry';
  points: number;
  points_reversed: number;
}

/** The customer's ledger entry, locked until commit. */
export async function lockEntry(
  tx: Queryable,
  org: string,
  customerId: string,
  transactionId: string,
): Promise<ReversibleRow | undefined> {
  const res = await tx.query<ReversibleRow>(
    `SELECT transaction_id, type, points, points_reversed FROM loyalty_transactions
      WHERE organization_id = $1 AND customer_id = $2 AND transaction_id = $3 FOR UPDATE`,
    [org, customerId, transactionId],
  );
  return res.rows[0];
}

export async function addReversed(tx: Queryable, org: string, transactionId: string, points: number): Promise<void> {
  await tx.query(
    `UPDATE loyalty_transactions SET points_reversed = points_reversed + $3
      WHERE organization_id = $1 AND transaction_id = $2`,
    [org, transactionId, points],
  );
}
