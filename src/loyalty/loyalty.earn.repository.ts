import { writableCustomerCte } from '../customers/customers.repository.js';
import type { Queryable } from '../db/db.js';
import type { LoyaltyAccountRow } from './loyalty.repository.js';
import type { LoyaltyProgram } from './loyalty.schemas.js';

export interface EarnedRow extends LoyaltyAccountRow {
  /** Points credited: as given, or the amount converted at the program's earn rate, rounded down. */
  points: number;
  /** The organization's program, or null while it uses the defaults. */
  program: LoyaltyProgram | null;
}

/** The bounds an earn is held to (src/shared/points.ts). */
export interface EarnBounds {
  perOperation: number;
  balance: number;
}

/**
 * What `addPoints` did: `earned`, the account credited; otherwise nothing changed and `points` is what the earn
 * came to (exact, however large) by the program this statement read.
 */
export type AddPointsResult = { kind: 'earned'; row: EarnedRow } | { kind: 'not-earned'; points: number };

/**
 * Credits points to the cached balance and lifetime total (row-locked until commit), reading the program in the
 * same statement. The points are computed in NUMERIC (an amount × a rate may pass BIGINT) and credited only when
 * they are > 0, within `bounds.perOperation`, and leave the balance and the lifetime total within
 * `bounds.balance`. It runs only while the customer exists and is not anonymized, and takes the same share lock on
 * the customer row as `writableCustomer` (anonymization takes it for update), so an earn and an anonymization
 * never interleave. Not earned: no such writable customer, no account, or the points are out of bounds; the caller
 * tells which on that path only.
 */
export async function addPoints(
  tx: Queryable,
  org: string,
  customerId: string,
  earn: { points: number | null; amountCents: number | null; defaultRate: number },
  bounds: EarnBounds,
  at: Date,
): Promise<AddPointsResult> {
  const res = await tx.query<{
    computed: number;
    credited: Omit<EarnedRow, 'program'> | null;
    program: LoyaltyProgram | null;
  }>(
    `WITH ${writableCustomerCte('$1', '$2')}, program AS (
       SELECT earn_points_per_currency_unit, redeem_points_per_currency_unit, tiers, points_validity_days,
              expiry_notice_days
         FROM loyalty_programs WHERE organization_id = $1
     ), earned AS (
       SELECT COALESCE($3::numeric,
                       floor($4::numeric * COALESCE((SELECT earn_points_per_currency_unit FROM program), $5) / 100))
              AS points
     ), credited AS (
       UPDATE loyalty_accounts a
          SET points_balance = a.points_balance + e.points::bigint,
              lifetime_points = a.lifetime_points + e.points::bigint, updated_at = $6
         FROM earned e
        WHERE a.organization_id = $1 AND a.customer_id = $2 AND e.points > 0 AND e.points <= $7::bigint
          AND a.points_balance + e.points <= $8::bigint AND a.lifetime_points + e.points <= $8::bigint
          AND EXISTS (SELECT 1 FROM customer)
        RETURNING a.customer_id, a.points_balance, a.lifetime_points, a.tier, e.points::bigint AS points
     )
     SELECT (SELECT points FROM earned) AS computed, (SELECT row_to_json(c) FROM credited c) AS credited,
            (SELECT row_to_json(program) FROM program) AS program`,
    [org, customerId, earn.points, earn.amountCents, earn.defaultRate, at, bounds.perOperation, bounds.balance],
  );
  const row = res.rows[0];
  if (!row) throw new Error('the earn statement answered no row');
  return row.credited
    ? { kind: 'earned', row: { ...row.credited, program: row.program } }
    : { kind: 'not-earned', points: row.computed };
}
