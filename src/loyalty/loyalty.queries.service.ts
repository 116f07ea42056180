import { findCustomer } from '../customers/customers.repository.js';
import type { Queryable } from '../db/db.js';
import { customerNotFound, DomainError } from '../shared/domain-error.js';
import { cursorSeq, type Page, type PageRequest, toPage } from '../shared/pagination.js';
import type { FromSchema } from '../shared/schema-types.js';
import { nextExpiry } from './loyalty.lots.repository.js';
import { getProgram, nextTier } from './loyalty.program.service.js';
import * as repo from './loyalty.repository.js';
import type { LoyaltyProgram, ledgerEntrySchema, loyaltyAccountSchema } from './loyalty.schemas.js';

/* The read side of loyalty: an account's summary and its ledger. */

export type LoyaltySummary = FromSchema<typeof loyaltyAccountSchema>;

export function summarize(
  program: LoyaltyProgram,
  a: repo.LoyaltyAccountRow,
  next: { points: number; expires_at: Date } | null = null,
): LoyaltySummary {
  return {
    customer_id: a.customer_id,
    points_balance: a.points_balance,
    lifetime_points: a.lifetime_points,
    tier: a.tier,
    ...nextTier(program, a.tier, a.lifetime_points),
    next_expiry: next && { points: next.points, expires_at: next.expires_at.toISOString() },
  };
}

export async function loyaltySummary(db: Queryable, org: string, customerId: string): Promise<LoyaltySummary | null> {
  const account = await repo.findAccount(db, org, customerId);
  if (!account) return null;
  return summarize(await getProgram(db, org), account, await nextExpiry(db, org, customerId));
}

/** Throws customer-not-found when the customer does not exist in this organization, else loyalty-account-not-found. */
export async function missingAccount(db: Queryable, org: string, customerId: string): Promise<never> {
  if (!(await findCustomer(db, org, customerId))) throw customerNotFound();
  throw new DomainError('loyalty-account-not-found', 'The customer has no loyalty account.');
}

/** The account's summary; throws when the customer or the account does not exist. */
export async function getLoyaltyAccount(db: Queryable, org: string, customerId: string): Promise<LoyaltySummary> {
  return (await loyaltySummary(db, org, customerId)) ?? missingAccount(db, org, customerId);
}

export type LedgerEntryView = FromSchema<typeof ledgerEntrySchema>;

/** The ledger, newest first. */
export async function listLedger(
  db: Queryable,
  org: string,
  customerId: string,
  query: PageRequest,
): Promise<Page<LedgerEntryView>> {
  const scope = { key: query.signingKey, org, list: `ledger/${customerId}` };
  const before = cursorSeq(query.cursor, scope);
  if (!(await repo.findAccount(db, org, customerId))) return missingAccount(db, org, customerId);
  const rows = await repo.listEntries(db, org, customerId, before, query.limit);
  return toPage(
    rows,
    query.limit,
    ({ seq: _seq, created_at, ...e }) => ({
      ...e,
      created_at: created_at.toISOString(),
    }),
    scope,
  );
}
