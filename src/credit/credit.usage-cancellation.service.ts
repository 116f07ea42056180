import type { Queryable } from '../db/db.js';
import { utcDate } from '../shared/clock.js';
import type { UseCaseContext } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { fromCents } from '../shared/money.js';
import { liftOverdueHoldIfCleared } from './credit.holds.service.js';
import * as repo from './credit.repository.js';
import { lockAccount, storeCreditEvent, type UsageView, usageView } from './credit.service.js';
import * as cancellation from './credit.usage-cancellation.repository.js';

/*
 * Cancelling a usage (a credit manager over HTTP, or an order.cancelled for its order): its amount returns to
 * `credit_available` and credit.usage.cancelled is stored in the same transaction. A usage with a payment allocated
 * is never cancelled (usage-partly-paid). Like every credit writer, it takes the account row lock first, so the
 * customer's events keep commit order and no payment can be allocated to the usage meanwhile.
 */

/** The reason stored when a credit manager gives none. */
export const MANUAL_CANCELLATION_REASON = 'cancelled by a credit manager';
/** The reason stored for a usage cancelled because its order was cancelled, when the order gives none. */
export const ORDER_CANCELLATION_REASON = 'order cancelled';

/** What cancelling an order's usage did: cancelled it, or found nothing left to cancel. */
export type UsageCancellation = { status: 'cancelled'; usage: UsageView } | { status: 'none' };

function usageNotFound(usageId: string): DomainError {
  return new DomainError('usage-not-found', `The customer has no credit usage ${usageId}.`);
}

function alreadyCancelled(usageId: string, cancelledAt: Date): DomainError {
  return new DomainError('usage-already-cancelled', `The credit usage ${usageId} is already cancelled.`, {
    usage_id: usageId,
    cancelled_at: cancelledAt.toISOString(),
  });
}

function partlyPaid(u: repo.UsageRow): DomainError {
  const paid = fromCents(u.amount_paid_cents);
  return new DomainError(
    'usage-partly-paid',
    `The credit usage ${u.usage_id} has ${paid} of ${fromCents(u.amount_cents)} paid: a usage with payments ` +
      'allocated is not cancelled.',
    { usage_id: u.usage_id, amount_paid: paid },
  );
}

/**
 * Cancels the customer's usage `usageId`: 404 usage-not-found (also for another customer's usage), 409
 * usage-already-cancelled, 422 usage-partly-paid; customer-not-found / credit-account-not-found as elsewhere.
 */
export async function cancelUsage(
  tx: Queryable,
  ctx: UseCaseContext,
  customerId: string,
  usageId: string,
  reason: string = MANUAL_CANCELLATION_REASON,
): Promise<UsageView> {
  const org = ctx.principal.org;
  const account = await lockAccount(tx, org, customerId);
  const usage = await cancellation.findUsage(tx, org, customerId, usageId);
  if (!usage) throw usageNotFound(usageId);
  return cancelLocked(tx, ctx, account, usage, reason);
}

/**
 * Cancels the usage of order `orderId` in the caller's organization, if there is one still to cancel: `none` when
 * the order has no usage or its usage is already cancelled (an order is cancelled once, whichever way came first).
 * Throws usage-partly-paid when the usage has a payment allocated, and customer-anonymized as every write does.
 */
export async function cancelUsageForOrder(
  tx: Queryable,
  ctx: UseCaseContext,
  orderId: string,
  reason: string = ORDER_CANCELLATION_REASON,
): Promise<UsageCancellation> {
  const org = ctx.principal.org;
  const found = await repo.findUsageByOrder(tx, org, orderId);
  if (!found) return { status: 'none' };
  // The same lock order as a usage: the customer (shared), then the account.
  const account = await lockAccount(tx, org, found.customer_id);
  // Read again under the lock: a cancellation or a payment may have committed since the first read.
  const usage = await cancellation.findUsage(tx, org, found.customer_id, found.usage_id);
  if (!usage || usage.cancelled_at !== null) return { status: 'none' };
  return { status: 'cancelled', usage: await cancelLocked(tx, ctx, account, usage, reason) };
}

/** The account row is locked by the caller. */
async function cancelLocked(
  tx: Queryable,
  ctx: UseCaseContext,
  account: repo.CreditAccountRow,
  usage: repo.UsageRow,
  reason: string,
): Promise<UsageView> {
  const org = ctx.principal.org;
  const customerId = account.customer_id;
  if (usage.cancelled_at !== null) throw alreadyCancelled(usage.usage_id, usage.cancelled_at);
  if (usage.amount_paid_cents > 0) throw partlyPaid(usage);
  const cancelled = await cancellation.markCancelled(tx, org, usage.usage_id, {
    at: ctx.now,
    by: ctx.principal.sub,
    reason,
  });
  // Under the account lock nothing moved the usage since it was read: a miss is a broken invariant, not a refusal.
  if (!cancelled) throw new Error(`credit usage ${usage.usage_id} changed under the account lock`);
  // The same guarded decrement of `outstanding` as a payment (an unpaid usage is always part of it).
  const released = await repo.repay(tx, org, customerId, usage.amount_cents, ctx.now);
  if (!released) throw new Error(`credit account of ${customerId} owes less than its unpaid usage ${usage.usage_id}`);
  const view = usageView(cancelled, utcDate(ctx.now));
  await storeCreditEvent(tx, ctx, customerId, 'credit.usage.cancelled', {
    customer_id: customerId,
    credit_account_id: released.credit_account_id,
    usage_id: view.usage_id,
    order_id: view.order_id,
    amount: view.amount,
    credit_available: fromCents(released.credit_limit_cents - released.outstanding_cents),
  });
  // A cancelled overdue usage is no longer overdue: a hold placed for overdue lifts when none is left.
  await liftOverdueHoldIfCleared(tx, ctx, released);
  return view;
}
