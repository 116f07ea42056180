import type { EventEnvelope } from '../../generated/index.js';
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
import { addPoints } from './loyalty.earn.repository.js';
import * as lots from './loyalty.lots.repository.js';
import { DEFAULT_PROGRAM, getProgram, tierAfterEarn, tierFor } from './loyalty.program.service.js';
import { type LoyaltySummary, missingAccount, summarize } from './loyalty.queries.service.js';
import * as repo from './loyalty.repository.js';
import type { earnBody, earnResponse, redeemBody, redeemResponse } from './loyalty.schemas.js';

const DAY_MS = 86_400_000;

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
function earnRefusal(input: EarnInput, points: number, account: repo.LoyaltyAccountRow): DomainError {
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
  // Unreachable: under the account lock the earn statement refuses only for the reasons above.
  throw new Error(`the earn of ${points} points was refused for no known reason`);
}

export async function earn(tx: Queryable, ctx: UseCaseContext, customerId: string, input: EarnInput): Promise<Earned> {
  const org = ctx.principal.org;
  // One statement checks the customer, locks it and credits the account; the reasons are read on refusal only.
  const credit = () =>
    addPoints(
      tx,
      org,
      customerId,
      {
        points: input.points ?? null,
        amountCents: input.amount === undefined ? null : toCents(input.amount),
        defaultRate: DEFAULT_PROGRAM.earn_points_per_currency_unit,
      },
      { perOperation: MAX_POINTS_PER_OPERATION, balance: MAX_POINTS_BALANCE },
      ctx.now,
    );
  let credited = await credit();
  if (credited.kind === 'not-earned') {
    await writableCustomer(tx, org, customerId);
    const locked = await repo.findAccount(tx, org, customerId, true);
    if (!locked) return missingAccount(tx, org, customerId);
    // A concurrent movement may have changed the balance since: tried again under the lock, the answer is final.
    credited = await credit();
    if (credited.kind === 'not-earned') throw earnRefusal(input, credited.points, locked);
  }
  const account = credited.row;
  const program = account.program ?? DEFAULT_PROGRAM;
  const tier = tierAfterEarn(program, account.tier, account.lifetime_points);
  const transactionId = newId('loy_txn');
  const events: EventEnvelope[] = [
    envelope(
      'loyalty.points.earned',
      org,
      {
        customer_id: customerId,
        transaction_id: transactionId,
        points_earned: account.points,
        points_balance: account.points_balance,
        tier,
        reference_type: input.reference_type,
        reference_id: input.reference_id,
      },
      ctx.now,
    ),
  ];
  if (tier !== account.tier) {
    events.push(
      envelope(
        'loyalty.tier.upgraded',
        org,
        {
          customer_id: customerId,
          previous_tier: account.tier,
          new_tier: tier,
          lifetime_points: account.lifetime_points,
        },
        ctx.now,
      ),
    );
  }
  const entry = {
    transaction_id: transactionId,
    points: account.points,
    points_balance: account.points_balance,
    reference_type: input.reference_type,
    reference_id: input.reference_id,
    actor: ctx.principal.sub,
    created_at: ctx.now,
  };
  const batch = { customerId, correlationId: ctx.requestId, events };
  const validity = program.points_validity_days ?? null;
  const lot = {
    transactionId,
    points: account.points,
    earnedAt: ctx.now,
    expiresAt: validity === null ? null : new Date(ctx.now.getTime() + validity * DAY_MS),
  };
  if (!(await repo.appendEarn(tx, org, customerId, entry, tier !== account.tier ? tier : null, lot, batch))) {
    const first = await repo.findEarnByReference(tx, org, input.reference_type, input.reference_id);
    throw new DomainError(
      'duplicate-reference',
      `${input.reference_type} ${input.reference_id} already earned points in transaction ${first?.transaction_id}.`,
      { transaction_id: first?.transaction_id ?? null },
    );
  }
  return {
    transaction_id: transactionId,
    points_earned: account.points,
    points_balance: account.points_balance,
    lifetime_points: account.lifetime_points,
    tier,
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
