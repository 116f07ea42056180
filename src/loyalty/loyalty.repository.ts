import type { Queryable } from '../db/db.js';

export interface LoyaltyAccountRow {
  customer_id: string;
  points_balance: number;
  lifetime_points: number;
  tier: string;
}

export interface LedgerRow {
  seq: number;
  transaction_id: string;
  type: 'earn' | 'redeem';
  points: number;
  points_balance: number;
  reference_type: string | null;
  reference_id: string | null;
  actor: string;
  created_at: Date;
}

export async function openAccount(
  tx: Queryable,
  org: string,
  customerId: string,
  tier: string,
  at: Date,
): Promise<LoyaltyAccountRow | undefined> {
  const res = await tx.query<LoyaltyAccountRow>(
    `INSERT INTO loyalty_accounts (organization_id, customer_id, tier, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $4)
     ON CONFLICT (organization_id, customer_id) DO NOTHING
     RETURNING customer_id, points_balance, lifetime_points, tier`,
    [org, customerId, tier, at],
  );
  return res.rows[0];
}

export async function findAccount(
  db: Queryable,
  org: string,
  customerId: string,
): Promise<LoyaltyAccountRow | undefined> {
  const res = await db.query<LoyaltyAccountRow>(
    `SELECT customer_id, points_balance, lifetime_points, tier
       FROM loyalty_accounts WHERE organization_id = $1 AND customer_id = $2`,
    [org, customerId],
  );
  return res.rows[0];
}

/** Adds points to the cached balance and lifetime total (row-locked until commit). */
export async function addPoints(
  tx: Queryable,
  org: string,
  customerId: string,
  points: number,
  at: Date,
): Promise<LoyaltyAccountRow | undefined> {
  const res = await tx.query<LoyaltyAccountRow>(
    `UPDATE loyalty_accounts
        SET points_balance = points_balance + $3, lifetime_points = lifetime_points + $3, updated_at = $4
      WHERE organization_id = $1 AND customer_id = $2
      RETURNING customer_id, points_balance, lifetime_points, tier`,
    [org, customerId, points, at],
  );
  return res.rows[0];
}

/** Guarded decrement: matches no row when the balance is too low, so it can never go below zero. */
export async function takePoints(
  tx: Queryable,
  org: string,
  customerId: string,
  points: number,
  at: Date,
): Promise<LoyaltyAccountRow | undefined> {
  const res = await tx.query<LoyaltyAccountRow>(
    `UPDATE loyalty_accounts SET points_balance = points_balance - $3, updated_at = $4
      WHERE organization_id = $1 AND customer_id = $2 AND points_balance >= $3
      RETURNING customer_id, points_balance, lifetime_points, tier`,
    [org, customerId, points, at],
  );
  return res.rows[0];
}

export async function setTier(tx: Queryable, org: string, customerId: string, tier: string): Promise<void> {
  await tx.query('UPDATE loyalty_accounts SET tier = $3 WHERE organization_id = $1 AND customer_id = $2', [
    org,
    customerId,
    tier,
  ]);
}

/**
 * Appends a ledger entry. An earn whose (reference_type, reference_id) already earned in this organization
 * inserts nothing and returns undefined (the unique index decides, not a prior read).
 */
export async function appendEntry(
  tx: Queryable,
  org: string,
  customerId: string,
  e: Omit<LedgerRow, 'seq'>,
): Promise<LedgerRow | undefined> {
  const res = await tx.query<LedgerRow>(
    `INSERT INTO loyalty_transactions (organization_id, transaction_id, customer_id, type, points, points_balance,
                                       reference_type, reference_id, actor, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (organization_id, reference_type, reference_id) WHERE type = 'earn' DO NOTHING
     RETURNING seq, transaction_id, type, points, points_balance, reference_type, reference_id, actor, created_at`,
    [
      org,
      e.transaction_id,
      customerId,
      e.type,
      e.points,
      e.points_balance,
      e.reference_type,
      e.reference_id,
      e.actor,
      e.created_at,
    ],
  );
  return res.rows[0];
}

export async function findEarnByReference(
  db: Queryable,
  org: string,
  referenceType: string,
  referenceId: string,
): Promise<{ transaction_id: string; customer_id: string } | undefined> {
  const res = await db.query<{ transaction_id: string; customer_id: string }>(
    `SELECT transaction_id, customer_id FROM loyalty_transactions
      WHERE organization_id = $1 AND reference_type = $2 AND reference_id = $3 AND type = 'earn'`,
    [org, referenceType, referenceId],
  );
  return res.rows[0];
}

/** Newest first; one more row than `limit` tells whether there is a next page. */
export async function listEntries(
  db: Queryable,
  org: string,
  customerId: string,
  beforeSeq: number | undefined,
  limit: number,
): Promise<LedgerRow[]> {
  const res = await db.query<LedgerRow>(
    `SELECT seq, transaction_id, type, points, points_balance, reference_type, reference_id, actor, created_at
       FROM loyalty_transactions
      WHERE organization_id = $1 AND customer_id = $2 AND ($3::bigint IS NULL OR seq < $3)
      ORDER BY seq DESC LIMIT $4`,
    [org, customerId, beforeSeq ?? null, limit + 1],
  );
  return res.rows;
}
