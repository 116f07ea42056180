import type { Queryable } from '../db/db.js';
import type { LoyaltyProgram } from './loyalty.schemas.js';

/** The program an organization has set, if any. */
export async function findProgram(db: Queryable, org: string): Promise<LoyaltyProgram | undefined> {
  const res = await db.query<LoyaltyProgram>(
    `SELECT earn_points_per_currency_unit, redeem_points_per_currency_unit, tiers, points_validity_days,
            expiry_notice_days
       FROM loyalty_programs WHERE organization_id = $1`,
    [org],
  );
  return res.rows[0];
}

/** Sets the organization's program (the first time, or over the one it had). */
export async function upsertProgram(db: Queryable, org: string, p: LoyaltyProgram, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO loyalty_programs (organization_id, earn_points_per_currency_unit, redeem_points_per_currency_unit,
                                   tiers, points_validity_days, expiry_notice_days, updated_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)
     ON CONFLICT (organization_id) DO UPDATE
       SET earn_points_per_currency_unit = EXCLUDED.earn_points_per_currency_unit,
           redeem_points_per_currency_unit = EXCLUDED.redeem_points_per_currency_unit,
           tiers = EXCLUDED.tiers, points_validity_days = EXCLUDED.points_validity_days,
           expiry_notice_days = EXCLUDED.expiry_notice_days, updated_at = EXCLUDED.updated_at`,
    [
      org,
      p.earn_points_per_currency_unit,
      p.redeem_points_per_currency_unit,
      JSON.stringify(p.tiers),
      p.points_validity_days,
      p.expiry_notice_days,
      at,
    ],
  );
}
