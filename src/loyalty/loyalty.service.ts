import type { EventEnvelope } from '../../generated/index.js';
import { findCustomer } from '../customers/customers.repository.js';
import type { Queryable } from '../db/db.js';
import { problems } from '../errors.js';
import type { Outcome } from '../http/idempotency.js';
import { fromCents, toCents } from '../http/schemas.js';
import { newId } from '../ids.js';
import { envelope } from '../outbox/events.js';
import { outboxInsert } from '../outbox/outbox.repository.js';
import type { UseCaseContext } from '../shared/context.js';
import {
  DEFAULT_PROGRAM,
  getProgram,
  type LoyaltyProgram,
  nextTier,
  tierAfterEarn,
  tierFor,
} from './loyalty.program.js';
import * as repo from './loyalty.repository.js';

export interface LoyaltySummary {
  customer_id: string;
  points_balance: number;
  lifetime_points: number;
  tier: string;
  next_tier: string | null;
  points_to_next_tier: number | null;
}

export function summarize(program: LoyaltyProgram, a: repo.LoyaltyAccountRow): LoyaltySummary {
  return {
    customer_id: a.customer_id,
    points_balance: a.points_balance,
    lifetime_points: a.lifetime_points,
    tier: a.tier,
    ...nextTier(program, a.tier, a.lifetime_points),
  };
}

export async function loyaltySummary(db: Queryable, org: string, customerId: string): Promise<LoyaltySummary | null> {
  const account = await repo.findAccount(db, org, customerId);
  if (!account) return null;
  return summarize(await getProgram(db, org), account);
}

/** 404 customer-not-found when the customer does not exist in this organization, else loyalty-account-not-found. */
async function missingAccount(db: Queryable, org: string, customerId: string): Promise<never> {
  if (!(await findCustomer(db, org, customerId))) throw problems.customerNotFound();
  throw problems.loyaltyAccountNotFound();
}

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

export async function enrollCustomer(tx: Queryable, ctx: UseCaseContext, customerId: string): Promise<Outcome> {
  const org = ctx.principal.org;
  if (!(await findCustomer(tx, org, customerId, true))) throw problems.customerNotFound();
  const summary = await enroll(tx, org, customerId, ctx.now);
  if (!summary) {
    throw problems.conflict(
      'loyalty-account-exists',
      'Already enrolled',
      'The customer already has a loyalty account.',
    );
  }
  return { status: 201, body: summary };
}

export interface EarnInput {
  points?: number;
  amount?: number;
  reference_type: string;
  reference_id: string;
}

export async function earn(tx: Queryable, ctx: UseCaseContext, customerId: string, input: EarnInput): Promise<Outcome> {
  const org = ctx.principal.org;
  const account = await repo.addPoints(
    tx,
    org,
    customerId,
    {
      points: input.points ?? null,
      amountCents: input.amount === undefined ? null : toCents(input.amount),
      defaultRate: DEFAULT_PROGRAM.earn_points_per_currency_unit,
    },
    ctx.now,
  );
  if (!account) {
    if (!(await repo.findAccount(tx, org, customerId))) return missingAccount(tx, org, customerId);
    throw problems.unprocessable('no-points', 'No points to earn', 'The amount converts to 0 points.', {
      amount: input.amount,
    });
  }
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
  // 11 ledger/tier parameters come first; the outbox rows are stored only if the entry was.
  const outbox = outboxInsert({ correlationId: ctx.requestId }, customerId, events, 11, 'EXISTS (SELECT 1 FROM entry)');
  if (!(await repo.appendEarn(tx, org, customerId, entry, tier !== account.tier ? tier : null, outbox))) {
    const first = await repo.findEarnByReference(tx, org, input.reference_type, input.reference_id);
    throw problems.conflict(
      'duplicate-reference',
      'Reference already earned',
      `${input.reference_type} ${input.reference_id} already earned points in transaction ${first?.transaction_id}.`,
      { transaction_id: first?.transaction_id ?? null },
    );
  }
  return {
    status: 201,
    body: {
      transaction_id: transactionId,
      points_earned: account.points,
      points_balance: account.points_balance,
      lifetime_points: account.lifetime_points,
      tier,
    },
  };
}

export interface RedeemInput {
  points: number;
  reference_type?: string;
  reference_id?: string;
}

export async function redeem(
  tx: Queryable,
  ctx: UseCaseContext,
  customerId: string,
  input: RedeemInput,
): Promise<Outcome> {
  const org = ctx.principal.org;
  const account = await repo.takePoints(tx, org, customerId, input.points, ctx.now);
  if (!account) {
    const current = await repo.findAccount(tx, org, customerId);
    if (!current) return missingAccount(tx, org, customerId);
    throw problems.unprocessable(
      'insufficient-points',
      'Insufficient points',
      `The balance is ${current.points_balance} points; ${input.points} were asked.`,
      { points_balance: current.points_balance, points_requested: input.points },
    );
  }
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
  const events = outboxInsert(
    { correlationId: ctx.requestId },
    customerId,
    [envelope('loyalty.points.redeemed', org, data, ctx.now)],
    10,
  );
  await repo.appendRedeem(
    tx,
    org,
    customerId,
    {
      transaction_id: transactionId,
      points: input.points,
      points_balance: account.points_balance,
      reference_type: input.reference_type ?? null,
      reference_id: input.reference_id ?? null,
      actor: ctx.principal.sub,
      created_at: ctx.now,
    },
    events,
  );
  return {
    status: 201,
    body: {
      transaction_id: transactionId,
      points_redeemed: input.points,
      points_balance: account.points_balance,
      discount_value: data.discount_value,
    },
  };
}
