import { writableCustomerCte } from '../customers/customers.repository.js';
import type { Queryable } from '../db/db.js';
import { SqlParams, selectPage } from '../db/sql.js';
import {
  type ComputedEvent,
  type EventBatch,
  insertComputedEventsSql,
  insertEventsSql,
} from '../shared/outbox-writer.js';
import type { LoyaltyProgram } from './loyalty.schemas.js';

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
export async function findAccount(
  db: Queryable,
  org: string,
  customerId: string,
  forUpdate = false,
): Promise<LoyaltyAccountRow | undefined> {
  const res = await db.query<LoyaltyAccountRow>(
    `SELECT customer_id, points_balance, lifetime_points, tier
       FROM loyalty_accounts WHERE organization_id = $1 AND customer_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [org, customerId],
  );
  return res.rows[0];
}

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

/** The JSON text of an earn's computed columns (the CTE `earned`), for the events' computed fields. */
export const EARNED_JSON = {
  points: 'earned.points::text',
  pointsBalance: 'earned.points_balance::text',
  lifetimePoints: 'earned.lifetime_points::text',
  previousTier: 'to_json(earned.previous_tier)::text',
  tier: 'to_json(earned.tier)::text',
} as const;

/** True when the earn raised the tier (a condition over the CTE `earned`). */
export const EARNED_TIER_RAISED = 'earned.tier <> earned.previous_tier';

export interface EarnRequest {
  /** As given, or null to convert `amountCents` at the program's earn rate. */
  points: number | null;
  amountCents: number | null;
  /** What applies while the organization has no program of its own. */
  defaults: Pick<LoyaltyProgram, 'earn_points_per_currency_unit' | 'tiers' | 'points_validity_days'>;
  entry: Pick<NewLedgerEntry, 'transaction_id' | 'reference_type' | 'reference_id' | 'actor' | 'created_at'>;
  /** Stored when the earn is; their computed fields read `EARNED_JSON`. */
  events: { customerId: string; correlationId: string | null; events: readonly ComputedEvent[] };
}

export interface EarnedRow {
  /** Points credited: as given, or the amount converted at the program's earn rate, rounded down. */
  points: number;
  points_balance: number;
  lifetime_points: number;
  previous_tier: string;
  /** The tier after the earn: tiers only rise (as `tierAfterEarn`). */
  tier: string;
}

/** `refused`: no writable customer, no account, or 0 points. Only `earned` wrote anything. */
export type EarnOutcome = { kind: 'earned'; row: EarnedRow } | { kind: 'refused' } | { kind: 'duplicate-reference' };

/**
 * The whole earn in one statement (one round trip; outside a transaction it is its own). It runs only while the
 * customer exists and is not anonymized, taking the same share lock on the customer row as `writableCustomer`
 * (anonymization takes it for update, so an earn and an anonymization never interleave); it then locks the
 * account, reads the program, converts the amount and appends the ledger entry; only if the entry was inserted it
 * credits the account (raising the tier as `tierAfterEarn` does), opens the earn's lot and stores the events. An
 * earn whose (reference_type, reference_id) already earned in this organization inserts nothing (the unique index
 * decides, not a prior read). A refusal of any kind writes nothing; the caller tells the reasons apart on that path.
 */
export async function earnPoints(tx: Queryable, org: string, customerId: string, r: EarnRequest): Promise<EarnOutcome> {
  const p = new SqlParams();
  const o = p.add(org);
  const c = p.add(customerId);
  const at = p.add(r.entry.created_at);
  const inserted = 'EXISTS (SELECT 1 FROM entry)';
  const res = await tx.query<EarnedRow & { inserted: boolean }>(
    `WITH ${writableCustomerCte(o, c)}, program AS (
       SELECT earn_points_per_currency_unit, tiers, points_validity_days FROM loyalty_programs
        WHERE organization_id = ${o}
     ), settings AS (
       SELECT COALESCE((SELECT earn_points_per_currency_unit FROM program),
                       ${p.add(r.defaults.earn_points_per_currency_unit)}::int) AS earn_rate,
              CASE WHEN EXISTS (SELECT 1 FROM program) THEN (SELECT points_validity_days FROM program)
                   ELSE ${p.add(r.defaults.points_validity_days)}::int END AS validity_days,
              COALESCE((SELECT tiers FROM program), ${p.add(JSON.stringify(r.defaults.tiers))}::jsonb) AS tiers
     ), tiers AS (
       SELECT t.v->>'name' AS name, (t.v->>'min_lifetime_points')::bigint AS min_lifetime_points, t.ord
         FROM settings CROSS JOIN jsonb_array_elements(settings.tiers) WITH ORDINALITY AS t(v, ord)
     ), account AS (
       SELECT points_balance, lifetime_points, tier FROM loyalty_accounts
        WHERE organization_id = ${o} AND customer_id = ${c} AND EXISTS (SELECT 1 FROM customer)
        FOR UPDATE
     ), earned AS (
       SELECT x.points, a.points_balance + x.points AS points_balance, a.lifetime_points + x.points AS lifetime_points,
              a.tier AS previous_tier,
              CASE WHEN COALESCE((SELECT min(ord) FROM tiers WHERE name = reached.tier), 0)
                        > COALESCE((SELECT min(ord) FROM tiers WHERE name = a.tier), 0)
                   THEN reached.tier ELSE a.tier END AS tier,
              ${at}::timestamptz + s.validity_days * interval '86400 seconds' AS expires_at
         FROM account a CROSS JOIN settings s
        CROSS JOIN LATERAL (
          SELECT COALESCE(${p.add(r.points)}::bigint, ${p.add(r.amountCents)}::bigint * s.earn_rate / 100) AS points
        ) x
        CROSS JOIN LATERAL (
          SELECT COALESCE(
                   (SELECT name FROM tiers WHERE min_lifetime_points <= a.lifetime_points + x.points
                     ORDER BY ord DESC LIMIT 1),
                   (SELECT name FROM tiers ORDER BY ord LIMIT 1),
                   'bronze') AS tier
        ) reached
        WHERE x.points > 0
     ), entry AS (
       INSERT INTO loyalty_transactions (organization_id, transaction_id, customer_id, type, points, points_balance,
                                         reference_type, reference_id, actor, created_at)
       SELECT ${o}, ${p.add(r.entry.transaction_id)}, ${c}, 'earn', earned.points, earned.points_balance,
              ${p.add(r.entry.reference_type)}, ${p.add(r.entry.reference_id)}, ${p.add(r.entry.actor)}, ${at}
         FROM earned
       ON CONFLICT (organization_id, reference_type, reference_id) WHERE type = 'earn' DO NOTHING
       RETURNING transaction_id
     ), credited AS (
       UPDATE loyalty_accounts a
          SET points_balance = earned.points_balance, lifetime_points = earned.lifetime_points, tier = earned.tier,
              updated_at = ${at}
         FROM earned
        WHERE a.organization_id = ${o} AND a.customer_id = ${c} AND ${inserted}
     ), lot AS (
       INSERT INTO loyalty_lots (organization_id, customer_id, transaction_id, points, remaining, earned_at, expires_at)
       SELECT ${o}, ${c}, entry.transaction_id, earned.points, earned.points, ${at}, earned.expires_at
         FROM earned CROSS JOIN entry
     ), events AS (
       ${insertComputedEventsSql(p, r.events, 'earned', inserted)}
     )
     SELECT points, points_balance, lifetime_points, previous_tier, tier, ${inserted} AS inserted FROM earned`,
    p.values,
  );
  const row = res.rows[0];
  if (!row) return { kind: 'refused' };
  if (!row.inserted) return { kind: 'duplicate-reference' };
  const { inserted: _, ...earned } = row;
  return { kind: 'earned', row: earned };
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
  await tx.query(
    events.events.length === 0 ? entry : `WITH entry AS (${entry}) ${insertEventsSql(p, events)}`,
    p.values,
  );
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
  const params = new SqlParams();
  return selectPage<LedgerRow>(db, {
    columns:
      'seq, transaction_id, type, points, points_balance, reference_type, reference_id, reversed_transaction_id, ' +
      'actor, created_at',
    table: 'loyalty_transactions',
    where: [`organization_id = ${params.add(org)}`, `customer_id = ${params.add(customerId)}`],
    params,
    order: 'desc',
    afterSeq: beforeSeq,
    limit,
  });
}

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
