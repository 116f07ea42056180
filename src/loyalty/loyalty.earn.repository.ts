import { writableCustomerCte } from '../customers/customers.repository.js';
import type { Queryable } from '../db/db.js';
import { SqlParams } from '../db/sql.js';
import { type ComputedEvent, insertComputedEventsSql } from '../shared/outbox-writer.js';
import type { LoyaltyAccountRow, NewLedgerEntry } from './loyalty.repository.js';
import type { LoyaltyProgram } from './loyalty.schemas.js';

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

/** The bounds an earn is held to (src/shared/points.ts). */
export interface EarnBounds {
  perOperation: number;
  balance: number;
}

export interface EarnRequest {
  /** As given, or null to convert `amountCents` at the program's earn rate. */
  points: number | null;
  amountCents: number | null;
  /** What applies while the organization has no program of its own. */
  defaults: Pick<LoyaltyProgram, 'earn_points_per_currency_unit' | 'tiers' | 'points_validity_days'>;
  bounds: EarnBounds;
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

/**
 * Only `earned` wrote anything. `no-account`: no writable customer, or no account. `out-of-bounds`: the points
 * (exact, however large) are 0, or past a bound, with the locked account as the statement read it.
 */
export type EarnOutcome =
  | { kind: 'earned'; row: EarnedRow }
  | { kind: 'no-account' }
  | { kind: 'out-of-bounds'; points: number; account: Pick<LoyaltyAccountRow, 'points_balance' | 'lifetime_points'> }
  | { kind: 'duplicate-reference' };

/**
 * The whole earn in one statement (one round trip; outside a transaction it is its own). It runs only while the
 * customer exists and is not anonymized, taking the same share lock on the customer row as `writableCustomer`
 * (anonymization takes it for update, so an earn and an anonymization never interleave); it then locks the
 * account, reads the program, converts the amount (in NUMERIC: an amount × a rate may pass BIGINT) and, when the
 * points are > 0, within `bounds.perOperation` and leave the balance and lifetime total within `bounds.balance`,
 * appends the ledger entry; only if the entry was inserted it
 * credits the account (raising the tier as `tierAfterEarn` does), opens the earn's lot and stores the events. An
 * earn whose (reference_type, reference_id) already earned in this organization inserts nothing (the unique index
 * decides, not a prior read). A refusal of any kind writes nothing; the caller tells the reasons apart on that path.
 */
export async function earnPoints(tx: Queryable, org: string, customerId: string, r: EarnRequest): Promise<EarnOutcome> {
  const p = new SqlParams();
  const o = p.add(org);
  const c = p.add(customerId);
  const at = p.add(r.entry.created_at);
  const balanceBound = p.add(r.bounds.balance);
  const inserted = 'EXISTS (SELECT 1 FROM entry)';
  const events = insertComputedEventsSql(p, r.events, 'earned', inserted);
  const res = await tx.query<{
    computed: number;
    balance_before: number;
    lifetime_before: number;
    earned: EarnedRow | null;
    inserted: boolean;
    stored: string[];
  }>(
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
     ), candidate AS (
       SELECT x.points, a.points_balance, a.lifetime_points, a.tier,
              x.points > 0 AND x.points <= ${p.add(r.bounds.perOperation)}::bigint
                AND a.points_balance + x.points <= ${balanceBound}::bigint
                AND a.lifetime_points + x.points <= ${balanceBound}::bigint AS fits
         FROM account a CROSS JOIN settings s
        CROSS JOIN LATERAL (
          SELECT COALESCE(${p.add(r.points)}::numeric, floor(${p.add(r.amountCents)}::numeric * s.earn_rate / 100))
                 AS points
        ) x
     ), earned AS (
       SELECT x.points::bigint AS points, x.points_balance + x.points::bigint AS points_balance,
              x.lifetime_points + x.points::bigint AS lifetime_points, x.tier AS previous_tier,
              CASE WHEN COALESCE((SELECT min(ord) FROM tiers WHERE name = reached.tier), 0)
                        > COALESCE((SELECT min(ord) FROM tiers WHERE name = x.tier), 0)
                   THEN reached.tier ELSE x.tier END AS tier,
              ${at}::timestamptz + s.validity_days * interval '86400 seconds' AS expires_at
         FROM candidate x CROSS JOIN settings s
        CROSS JOIN LATERAL (
          SELECT COALESCE(
                   (SELECT name FROM tiers WHERE min_lifetime_points <= x.lifetime_points + x.points
                     ORDER BY ord DESC LIMIT 1),
                   (SELECT name FROM tiers ORDER BY ord LIMIT 1),
                   'bronze') AS tier
        ) reached
        WHERE x.fits
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
       ${events.sql}
     )
     SELECT c.points AS computed, c.points_balance AS balance_before, c.lifetime_points AS lifetime_before,
            (SELECT row_to_json(earned) FROM earned) AS earned, ${inserted} AS inserted,
            ARRAY(SELECT message_id FROM events) AS stored
       FROM candidate c`,
    p.values,
  );
  const row = res.rows[0];
  events.creation.stored(row?.stored ?? []);
  if (!row) return { kind: 'no-account' };
  if (!row.earned) {
    const account = { points_balance: row.balance_before, lifetime_points: row.lifetime_before };
    return { kind: 'out-of-bounds', points: row.computed, account };
  }
  if (!row.inserted) return { kind: 'duplicate-reference' };
  const { points, points_balance, lifetime_points, previous_tier, tier } = row.earned;
  return { kind: 'earned', row: { points, points_balance, lifetime_points, previous_tier, tier } };
}
