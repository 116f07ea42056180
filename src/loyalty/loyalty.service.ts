import { writableCustomer } from '../customers/customers.repository.js';
import type { Queryable } from '../db/db.js';
import { guardedUpdate } from '../db/sql.js';
import { newId } from '../ids.js';
import { envelope } from '../outbox/events.js';
import type { UseCaseContext } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { fromCents, toCents } from '../shared/money.js';
import { MAX_POINTS_BALANCE, MAX_POINTS_PER_OPERATION, pointsLimitExceeded } from '../shared/points.js';
import type { FromSchema } from '../shared/schema-types.js';
import { EARNED_JSON, EARNED_TIER_RAISED, earnPoints } from './loyalty.earn.repository.js';
import * as lots from './loyalty.lots.repository.js';
import { DEFAULT_PROGRAM, getProgram, tierFor } from './loyalty.program.service.js';
import { type LoyaltySummary, missingAccount, summarize } from './loyalty.queries.service.js';
import * as repo from './loyalty.repository.js';
import type { earnBody, earnResponse, redeemBody, redeemResponse } from './loyalty.schemas.js';

/** Opens the account of a customer who has none (the customer row is created or locked by the caller). */
export async function enroll(
  tx: Queryable,
  org: string,
  customerId: string,
  at: Date,
): Promise<LoyaltySummary | undefined> {
  const program = await getProgram(tx, org);
  const account = await repo.openAccount(tx, org, customerId, tierFor(program, 0), at);
  return account && summarize(program, account);
}

export async function enrollCustomer(tx: Queryable, ctx: UseCaseContext, customerId: string): Promise<LoyaltySummary> {
  const org = ctx.principal.org;
  await writableCustomer(tx, org, customerId);
  const summary = await enroll(tx, org, customerId, ctx.now);
  if (!summary) throw new DomainError('loyalty-account-exists', 'The customer already has a loyalty account.');
  return summary;
}

export type EarnInput = FromSchema<typeof earnBody>;

export type Earned = FromSchema<typeof earnResponse>;

/** Why an earn of `points` (the request's or the amount's) was not credited to the locked `account`. */
function earnRefusal(
  input: EarnInput,
  points: number,
  account: Pick<repo.LoyaltyAccountRow, 'points_balance' | 'lifetime_points'>,
): DomainError {
  const field = input.points === undefined ? 'amount' : 'points';
  if (points <= 0) return new DomainError('no-points', 'The amount converts to 0 points.', { amount: input.amount });
  if (points > MAX_POINTS_PER_OPERATION) {
    return pointsLimitExceeded(
      field,
      `comes to ${points} points; one earn credits at most ${MAX_POINTS_PER_OPERATION}`,
      { points_requested: points, points_limit: MAX_POINTS_PER_OPERATION },
    );
  }
  for (const total of ['points_balance', 'lifetime_points'] as const) {
    if (account[total] + points > MAX_POINTS_BALANCE) {
      return pointsLimitExceeded(
        field,
        `of ${points} points would raise ${total} from ${account[total]} above ${MAX_POINTS_BALANCE}`,
        { points_requested: points, [total]: account[total], points_limit: MAX_POINTS_BALANCE },
      );
    }
  }
  // Unreachable: the earn statement refuses only for the reasons above (it reads the account under its lock).
  throw new Error(`the earn of ${points} points was refused for no known reason`);
}

/**
 * Earns in one statement (earnPoints): inside the caller's transaction, or as its own transaction when the
 * caller runs it outside one (the earn route). A refusal must therefore be decided in that statement: nothing
 * after it can undo its writes. The events are built and validated here with a sample of each value the statement
 * computes (points, balance, tiers); the statement fills those in.
 */
export async function earn(tx: Queryable, ctx: UseCaseContext, customerId: string, input: EarnInput): Promise<Earned> {
  const org = ctx.principal.org;
  const transactionId = newId('loy_txn');
  const sampleTier = DEFAULT_PROGRAM.tiers[0]?.name ?? 'bronze';
  const earned = envelope(
    'loyalty.points.earned',
    org,
    {
      customer_id: customerId,
      transaction_id: transactionId,
      points_earned: 1,
      points_balance: 1,
      tier: sampleTier,
      reference_type: input.reference_type,
      reference_id: input.reference_id,
    },
    ctx.now,
  );
  const upgraded = envelope(
    'loyalty.tier.upgraded',
    org,
    { customer_id: customerId, previous_tier: sampleTier, new_tier: sampleTier, lifetime_points: 1 },
    ctx.now,
  );
  const outcome = await earnPoints(tx, org, customerId, {
    points: input.points ?? null,
    amountCents: input.amount === undefined ? null : toCents(input.amount),
    defaults: DEFAULT_PROGRAM,
    bounds: { perOperation: MAX_POINTS_PER_OPERATION, balance: MAX_POINTS_BALANCE },
    entry: {
      transaction_id: transactionId,
      reference_type: input.reference_type,
      reference_id: input.reference_id,
      actor: ctx.principal.sub,
      created_at: ctx.now,
    },
    events: {
      customerId,
      correlationId: ctx.requestId,
      events: [
        {
          envelope: earned,
          computed: {
            points_earned: EARNED_JSON.points,
            points_balance: EARNED_JSON.pointsBalance,
            tier: EARNED_JSON.tier,
          },
        },
        {
          envelope: upgraded,
          computed: {
            previous_tier: EARNED_JSON.previousTier,
            new_tier: EARNED_JSON.tier,
            lifetime_points: EARNED_JSON.lifetimePoints,
          },
          onlyIf: EARNED_TIER_RAISED,
        },
      ],
    },
  });
  if (outcome.kind === 'no-account') {
    await writableCustomer(tx, org, customerId);
    return missingAccount(tx, org, customerId);
  }
  // The statement read the account under its lock: the reason is final.
  if (outcome.kind === 'out-of-bounds') throw earnRefusal(input, outcome.points, outcome.account);
  if (outcome.kind === 'duplicate-reference') {
    const first = await repo.findEarnByReference(tx, org, input.reference_type, input.reference_id);
    throw new DomainError(
      'duplicate-reference',
      `${input.reference_type} ${input.reference_id} already earned points in transaction ${first?.transaction_id}.`,
      { transaction_id: first?.transaction_id ?? null },
    );
  }
  const row = outcome.row;
  return {
    transaction_id: transactionId,
    points_earned: row.points,
    points_balance: row.points_balance,
    lifetime_points: row.lifetime_points,
    tier: row.tier,
  };
}

export type RedeemInput = FromSchema<typeof redeemBody>;

export type Redeemed = FromSchema<typeof redeemResponse>;

export async function redeem(
  tx: Queryable,
  ctx: UseCaseContext,
  customerId: string,
  input: RedeemInput,
): Promise<Redeemed> {
  const org = ctx.principal.org;
  await writableCustomer(tx, org, customerId);
  const taken = await guardedUpdate(
    () => repo.takePoints(tx, org, customerId, input.points, ctx.now),
    () => repo.findAccount(tx, org, customerId, true),
  );
  if (taken.kind === 'missing') return missingAccount(tx, org, customerId);
  if (taken.kind === 'refused') {
    const balance = taken.locked.points_balance;
    throw new DomainError('insufficient-points', `The balance is ${balance} points; ${input.points} were asked.`, {
      points_balance: balance,
      points_requested: input.points,
    });
  }
  const account = taken.row;
  const rate = account.redeem_rate ?? DEFAULT_PROGRAM.redeem_points_per_currency_unit;
  const discountCents = Math.floor((input.points * 100) / rate);
  const transactionId = newId('loy_txn');
  const data = {
    customer_id: customerId,
    transaction_id: transactionId,
    points_redeemed: input.points,
    points_balance: account.points_balance,
    discount_value: fromCents(discountCents),
  };
  const fromLots = await lots.takeFromLots(tx, org, customerId, input.points, null);
  await lots.recordRedemptionLots(tx, org, transactionId, fromLots);
  await repo.appendEntry(
    tx,
    org,
    customerId,
    'redeem',
    {
      transaction_id: transactionId,
      points: input.points,
      points_balance: account.points_balance,
      reference_type: input.reference_type ?? null,
      reference_id: input.reference_id ?? null,
      actor: ctx.principal.sub,
      created_at: ctx.now,
    },
    { customerId, correlationId: ctx.requestId, events: [envelope('loyalty.points.redeemed', org, data, ctx.now)] },
  );
  return {
    transaction_id: transactionId,
    points_redeemed: input.points,
    points_balance: account.points_balance,
    discount_value: data.discount_value,
  };
}
