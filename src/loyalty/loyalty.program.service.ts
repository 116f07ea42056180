import type { Queryable } from '../db/db.js';
import { findProgram, upsertProgram } from './loyalty.program.repository.js';
import type { LoyaltyProgram } from './loyalty.schemas.js';

/** Applies to every organization until it sets its own (1 point per 1.00; 100 points redeem for 1.00). */
export const DEFAULT_PROGRAM: LoyaltyProgram = Object.freeze({
  earn_points_per_currency_unit: 1,
  redeem_points_per_currency_unit: 100,
  tiers: [
    { name: 'bronze', min_lifetime_points: 0 },
    { name: 'silver', min_lifetime_points: 500 },
    { name: 'gold', min_lifetime_points: 1000 },
    { name: 'platinum', min_lifetime_points: 5000 },
  ],
  points_validity_days: null,
  expiry_notice_days: 30,
});

/** The organization's program, or the defaults until it sets its own. */
export async function getProgram(db: Queryable, org: string): Promise<LoyaltyProgram> {
  return (await findProgram(db, org)) ?? DEFAULT_PROGRAM;
}

export async function saveProgram(db: Queryable, org: string, program: LoyaltyProgram, at: Date): Promise<void> {
  await upsertProgram(db, org, program, at);
}

/** The highest tier whose threshold `lifetime` reaches. Tiers are sorted, the first at 0. */
export function tierFor(program: LoyaltyProgram, lifetime: number): string {
  let name = program.tiers[0]?.name ?? 'bronze';
  for (const t of program.tiers) if (lifetime >= t.min_lifetime_points) name = t.name;
  return name;
}

function rank(program: LoyaltyProgram, tier: string): number {
  return program.tiers.findIndex((t) => t.name === tier);
}

/** The tier after an earn: tiers only rise (a stricter program never lowers an existing tier). */
export function tierAfterEarn(program: LoyaltyProgram, current: string, lifetime: number): string {
  const computed = tierFor(program, lifetime);
  return rank(program, computed) > rank(program, current) ? computed : current;
}

export function nextTier(
  program: LoyaltyProgram,
  current: string,
  lifetime: number,
): { next_tier: string | null; points_to_next_tier: number | null } {
  const next = program.tiers.find(
    (t) => t.min_lifetime_points > lifetime && rank(program, t.name) > rank(program, current),
  );
  return next
    ? { next_tier: next.name, points_to_next_tier: next.min_lifetime_points - lifetime }
    : { next_tier: null, points_to_next_tier: null };
}

/** Returns the field errors of a program (thresholds strictly increasing from 0, unique names). */
export function programErrors(p: LoyaltyProgram): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  if (p.tiers[0] && p.tiers[0].min_lifetime_points !== 0) {
    errors.push({ field: 'tiers.0.min_lifetime_points', message: 'the first tier must start at 0' });
  }
  const names = new Set<string>();
  p.tiers.forEach((t, i) => {
    const prev = p.tiers[i - 1];
    if (prev && t.min_lifetime_points <= prev.min_lifetime_points) {
      errors.push({ field: `tiers.${i}.min_lifetime_points`, message: 'thresholds must be strictly increasing' });
    }
    if (names.has(t.name)) errors.push({ field: `tiers.${i}.name`, message: 'tier names must be unique' });
    names.add(t.name);
  });
  return errors;
}
