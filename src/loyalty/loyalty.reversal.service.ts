import { writableCustomer } from '../customers/customers.repository.js';
import type { Queryable } from '../db/db.js';
import { newId } from '../ids.js';
import { envelope } from '../outbox/events.js';
import type { UseCaseContext } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { MAX_POINTS_BALANCE, pointsLimitExceeded } from '../shared/points.js';
import type { FromSchema } from '../shared/schema-types.js';
import * as lots from './loyalty.lots.repository.js';
import { missingAccount } from './loyalty.queries.service.js';
import * as repo from './loyalty.repository.js';
import type { reversalBody, reversalResponse } from './loyalty.schemas.js';

/** The reversal body (no body: an empty one). */
export type ReversalInput = NonNullable<FromSchema<typeof reversalBody>>;

export type Reversed = FromSchema<typeof reversalResponse>;

/**
 * Reverses (part of) an earn or a redemption. The account row is locked first, then the original entry: two
 * reversals of one entry, or a reversal and a redemption of one customer, run one after the other, so the
 * totals hold. Reversing an earn takes the points from its own lot first, then from the others in redemption
 * order; what the balance cannot cover is unrecovered. Reversing a redemption gives the points back into the lots
 * it took them from. The tier never falls.
 */
export async function reverse(
  tx: Queryable,
  ctx: UseCaseContext,
  customerId: string,
  transactionId: string,
  input: ReversalInput,
): Promise<Reversed> {
  const org = ctx.principal.org;
  await writableCustomer(tx, org, customerId);
  const locked = await repo.findAccount(tx, org, customerId, true);
  if (!locked) return missingAccount(tx, org, customerId);
  const original = await lots.lockEntry(tx, org, customerId, transactionId);
  if (!original) {
    throw new DomainError('transaction-not-found', `The customer has no loyalty transaction ${transactionId}.`);
  }
  if (original.type !== 'earn' && original.type !== 'redeem') {
    throw new DomainError('not-reversible', `A ${original.type} entry cannot be reversed.`, {
      entry_type: original.type,
    });
  }
  const reversible = original.points - original.points_reversed;
  const points = input.points ?? reversible;
  if (points > reversible || points <= 0) {
    throw new DomainError(
      'reversal-exceeds-transaction',
      `Transaction ${transactionId} has ${reversible} of its ${original.points} points left to reverse; ${points} were asked.`,
      { points_reversible: reversible, points_requested: points },
    );
  }
  // Reversing a redemption gives points back: the balance stays within its bound (an earn's reversal only takes).
  if (original.type === 'redeem' && locked.points_balance + points > MAX_POINTS_BALANCE) {
    throw pointsLimitExceeded(
      'points',
      `of ${points} points would raise points_balance from ${locked.points_balance} above ${MAX_POINTS_BALANCE}`,
      { points_requested: points, points_balance: locked.points_balance, points_limit: MAX_POINTS_BALANCE },
    );
  }
  await lots.addReversed(tx, org, transactionId, points);

  let taken: number;
  let account: repo.LoyaltyAccountRow;
  if (original.type === 'earn') {
    const fromLots = await lots.takeFromLots(tx, org, customerId, points, transactionId);
    taken = fromLots.reduce((sum, t) => sum + t.points, 0);
    account = await repo.adjustAccount(tx, org, customerId, { balance: -taken, lifetime: -points }, ctx.now);
  } else {
    const given = await lots.giveBackToLots(tx, org, transactionId, points);
    // A redemption made before lots existed: its points come back as a never-expiring lot.
    if (given < points) {
      await lots.createLot(tx, org, customerId, {
        transactionId: null,
        points: points - given,
        earnedAt: ctx.now,
        expiresAt: null,
      });
    }
    taken = points;
    account = await repo.adjustAccount(tx, org, customerId, { balance: points, lifetime: 0 }, ctx.now);
  }
  const unrecovered = points - taken;
  const reversalId = newId('loy_txn');
  const data = {
    customer_id: customerId,
    transaction_id: reversalId,
    reversed_transaction_id: transactionId,
    points_reversed: taken,
    unrecovered_points: unrecovered,
    points_balance: account.points_balance,
    reason: input.reason ?? null,
  };
  await repo.appendEntry(
    tx,
    org,
    customerId,
    'reversal',
    {
      transaction_id: reversalId,
      points,
      points_balance: account.points_balance,
      reference_type: null,
      reference_id: null,
      reversed_transaction_id: transactionId,
      unrecovered_points: unrecovered,
      actor: ctx.principal.sub,
      created_at: ctx.now,
    },
    { customerId, correlationId: ctx.requestId, events: [envelope('loyalty.points.reversed', org, data, ctx.now)] },
  );
  return {
    transaction_id: reversalId,
    reversed_transaction_id: transactionId,
    points_reversed: taken,
    unrecovered_points: unrecovered,
    points_balance: account.points_balance,
    lifetime_points: account.lifetime_points,
  };
}
