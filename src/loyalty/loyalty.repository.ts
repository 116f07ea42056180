import type { Queryable } from '../db/db.js';
import { SqlParams } from '../db/sql.js';
import { customerPageReader, customerRowReader } from '../shared/customer-rows.js';
import { type EventBatch, insertEventsSql } from '../shared/outbox-writer.js';

export interface LoyaltyAccountRow {
  customer_id: string;
  points_balance: number;
  lifetime_points: number;
  tier: string;
}

export type EntryType = 'earn' | 'redeem' | 'reversal' | 'expiry' | 'forfeiture';

export interface LedgerRow {
  seq: number;
  transaction_id: string;
  type: EntryType;
  points: number;
  points_balance: number;
  reference_type: string | null;
  reference_id: string | null;
  reversed_transaction_id: string | null;
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

/** `forUpdate` locks the row until commit. */
export const findAccount = customerRowReader<LoyaltyAccountRow>(
  'loyalty_accounts',
  'customer_id, points_balance, lifetime_points, tier',
);

export type NewLedgerEntry = Omit<LedgerRow, 'seq' | 'type' | 'reversed_transaction_id'> & {
  reversed_transaction_id?: string | null;
  /** Reversal entries: the part of `points` that could not be taken from the balance. */
  unrecovered_points?: number | null;
};

/** The INSERT of one ledger entry, its values added to `params`. */
function insertEntrySql(params: SqlParams, org: string, customerId: string, type: EntryType, e: NewLedgerEntry) {
  const values = [
    org,
    e.transaction_id,
    customerId,
    type,
    e.points,
    e.points_balance,
    e.reference_type,
    e.reference_id,
    e.actor,
    e.created_at,
    e.reversed_transaction_id ?? null,
    e.unrecovered_points ?? null,
  ].map((v) => params.add(v));
  return `INSERT INTO loyalty_transactions (organization_id, transaction_id, customer_id, type, points, points_balance,
                                    reference_type, reference_id, actor, created_at, reversed_transaction_id,
                                    unrecovered_points)
       VALUES (${values.join(', ')})`;
}

/**
 * Guarded decrement: matches no row when the balance is too low, so it can never go below zero. Returns the
 * program's redeem rate too (null while the organization uses the defaults).
 */
export async function takePoints(
  tx: Queryable,
  org: string,
  customerId: string,
  points: number,
  at: Date,
): Promise<(LoyaltyAccountRow & { redeem_rate: number | null }) | undefined> {
  const res = await tx.query<LoyaltyAccountRow & { redeem_rate: number | null }>(
    `UPDATE loyalty_accounts SET points_balance = points_balance - $3, updated_at = $4
      WHERE organization_id = $1 AND customer_id = $2 AND points_balance >= $3
      RETURNING customer_id, points_balance, lifetime_points, tier,
                (SELECT redeem_points_per_currency_unit FROM loyalty_programs WHERE organization_id = $1) AS redeem_rate`,
    [org, customerId, points, at],
  );
  return res.rows[0];
}

/** Appends a redemption, reversal or expiry to the ledger and stores its events, in one statement. */
export async function appendEntry(
  tx: Queryable,
  org: string,
  customerId: string,
  type: Exclude<EntryType, 'earn'>,
  e: NewLedgerEntry,
  events: EventBatch,
): Promise<void> {
  const p = new SqlParams();
  const entry = insertEntrySql(p, org, customerId, type, e);
  if (events.events.length === 0) {
    await tx.query(entry, p.values);
    return;
  }
  const stored = insertEventsSql(p, events);
  await tx.query(`WITH entry AS (${entry}) ${stored.sql}`, p.values);
  stored.creation.stored();
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

/** The ledger, newest first. */
export const listEntries = customerPageReader<LedgerRow>(
  'loyalty_transactions',
  'seq, transaction_id, type, points, points_balance, reference_type, reference_id, reversed_transaction_id, ' +
    'actor, created_at',
);

/**
 * Empties the account (row locked by the caller) and its lots, and appends a forfeiture entry of the points it
 * held, in one statement. Lifetime points and tier stay: they are history, not a balance.
 */
export async function forfeitBalance(tx: Queryable, org: string, customerId: string, e: NewLedgerEntry): Promise<void> {
  const p = new SqlParams();
  const entry = insertEntrySql(p, org, customerId, 'forfeiture', e);
  await tx.query(
    `WITH emptied AS (
       UPDATE loyalty_accounts SET points_balance = 0, updated_at = ${p.add(e.created_at)}
        WHERE organization_id = ${p.add(org)} AND customer_id = ${p.add(customerId)}
     ), lots AS (
       UPDATE loyalty_lots SET remaining = 0
        WHERE organization_id = ${p.add(org)} AND customer_id = ${p.add(customerId)} AND remaining > 0
     )
     ${entry}`,
    p.values,
  );
}

/** Adds `balance` (may be negative) and `lifetime` to the locked account; returns it after. */
export async function adjustAccount(
  tx: Queryable,
  org: string,
  customerId: string,
  delta: { balance: number; lifetime: number },
  at: Date,
): Promise<LoyaltyAccountRow> {
  const res = await tx.query<LoyaltyAccountRow>(
    `UPDATE loyalty_accounts
        SET points_balance = points_balance + $3, lifetime_points = lifetime_points + $4, updated_at = $5
      WHERE organization_id = $1 AND customer_id = $2
      RETURNING customer_id, points_balance, lifetime_points, tier`,
    [org, customerId, delta.balance, delta.lifetime, at],
  );
  const row = res.rows[0];
  if (!row) throw new Error(`loyalty account ${org}/${customerId} vanished while locked`);
  return row;
}
