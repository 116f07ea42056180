import { DomainError } from './domain-error.js';

/**
 * The bounds of loyalty points. Every figure stays far below Number.MAX_SAFE_INTEGER (2^53 − 1) and PostgreSQL's
 * BIGINT, so a sum of two bounded figures is exact in JavaScript and never overflows in SQL.
 */

/** The most points one operation moves: an earn (by `points`, or `amount` × the earn rate), a redemption, a reversal. */
export const MAX_POINTS_PER_OPERATION = 1_000_000_000;

/** The most points an account holds: its `points_balance`, and its `lifetime_points` too. */
export const MAX_POINTS_BALANCE = 1_000_000_000_000;

/** The points-limit-exceeded refusal: `field` names the body field (as a 400 does), `facts` what a client can act on. */
export function pointsLimitExceeded(
  field: string,
  message: string,
  facts: Readonly<Record<string, number>>,
): DomainError {
  return new DomainError('points-limit-exceeded', `${field} ${message}.`, {
    errors: [{ field, message }],
    ...facts,
  });
}
