import type { Queryable } from '../db/db.js';
import { newId } from '../ids.js';
import type { UseCaseContext } from '../shared/context.js';
import * as repo from './loyalty.repository.js';

/**
 * Forfeits every point still on the customer's account (its customer is being anonymized): the balance becomes 0
 * and the ledger gets a `forfeiture` entry. Returns the points forfeited (0, and no entry, when there were none or
 * the customer has no account). The caller holds the customer's row lock; this takes the account's.
 */
export async function forfeitPoints(tx: Queryable, ctx: UseCaseContext, customerId: string): Promise<number> {
  const org = ctx.principal.org;
  const account = await repo.findAccount(tx, org, customerId, true);
  if (!account || account.points_balance === 0) return 0;
  await repo.forfeitBalance(tx, org, customerId, {
    transaction_id: newId('loy_txn'),
    points: account.points_balance,
    points_balance: 0,
    reference_type: null,
    reference_id: null,
    actor: ctx.principal.sub,
    created_at: ctx.now,
  });
  return account.points_balance;
}
