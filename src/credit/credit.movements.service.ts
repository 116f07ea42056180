import type { Queryable } from '../db/db.js';
import { newId } from '../ids.js';
import { utcDate } from '../shared/clock.js';
import type { UseCaseContext } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { fromCents, toCents } from '../shared/money.js';
import type { FromSchema } from '../shared/schema-types.js';
import { liftOverdueHoldIfCleared } from './credit.holds.service.js';
import { allocatePayment } from './credit.lifecycle.repository.js';
import * as repo from './credit.repository.js';
import type { paymentBody, usageBody } from './credit.schemas.js';
import {
  dueDate,
  guardedAccountUpdate,
  type PaymentView,
  paymentView,
  storeCreditEvent,
  type UsageView,
  usageView,
} from './credit.service.js';

/*
 * Usages and payments move `outstanding_cents` with a guarded UPDATE (never over the limit, never below zero, no
 * usage while on hold); a payment is allocated to the unpaid usages, earliest due date first, then oldest.
 * Each takes the account row lock before it writes to the outbox, so one customer's events keep commit order.
 */

function duplicateOrder(orderId: string, first: { usage_id: string } | undefined): DomainError {
  return new DomainError('duplicate-order', `Order ${orderId} already has a usage.`, {
    usage_id: first?.usage_id ?? null,
  });
}

function onHold(): DomainError {
  return new DomainError(
    'credit-on-hold',
    'The credit account is on hold: no usage is accepted until the hold is released (payments are).',
  );
}

export type UsageInput = FromSchema<typeof usageBody>;

/** A usage either charged the order, or was refused with its refusal committed (audit row and event). */
export type UsageResult = { kind: 'used'; usage: UsageView } | { kind: 'refused'; refusal: DomainError };

/**
 * Charges an order to the credit. A usage above the available credit is refused, and the refusal is committed
 * (audit row and credit.limit.exceeded): so it is returned, not thrown (a throw would roll it back).
 */
export async function useCredit(
  tx: Queryable,
  ctx: UseCaseContext,
  customerId: string,
  input: UsageInput,
): Promise<UsageResult> {
  const org = ctx.principal.org;
  const amountCents = toCents(input.amount);
  // Under the lock the refusal's event is ordered after every other event of this customer.
  const charged = await guardedAccountUpdate(tx, org, customerId, () =>
    repo.charge(tx, org, customerId, amountCents, ctx.now),
  );
  if (charged.kind === 'refused') {
    // A hold refuses the usage and publishes nothing (thrown: the transaction rolls back).
    if (charged.locked.status === 'on_hold') throw onHold();
    const first = await repo.findUsageByOrder(tx, org, input.order_id);
    if (first) throw duplicateOrder(input.order_id, first);
    return { kind: 'refused', refusal: await refuseUsage(tx, ctx, charged.locked, input.order_id, amountCents) };
  }
  const account = charged.row;
  const availableCents = account.credit_limit_cents - account.outstanding_cents;
  const usage = await repo.insertUsage(tx, org, customerId, {
    usage_id: newId('usage'),
    order_id: input.order_id,
    amount_cents: amountCents,
    available_after_cents: availableCents,
    due_date: dueDate(ctx.now, account.payment_term_days),
    created_at: ctx.now,
  });
  // Throwing rolls the charge back with everything else.
  if (!usage) throw duplicateOrder(input.order_id, await repo.findUsageByOrder(tx, org, input.order_id));
  const view = usageView(usage, utcDate(ctx.now));
  await storeCreditEvent(tx, ctx, customerId, 'credit.used', {
    customer_id: customerId,
    usage_id: view.usage_id,
    order_id: view.order_id,
    amount: view.amount,
    credit_available: view.credit_available,
    due_date: view.due_date,
  });
  return { kind: 'used', usage: view };
}

async function refuseUsage(
  tx: Queryable,
  ctx: UseCaseContext,
  account: repo.CreditAccountRow,
  orderId: string,
  amountCents: number,
): Promise<DomainError> {
  const org = ctx.principal.org;
  const availableCents = account.credit_limit_cents - account.outstanding_cents;
  await repo.insertRefusal(tx, org, account.customer_id, {
    order_id: orderId,
    attempted_cents: amountCents,
    available_cents: availableCents,
    actor: ctx.principal.sub,
    created_at: ctx.now,
  });
  const data = {
    customer_id: account.customer_id,
    attempted_amount: fromCents(amountCents),
    credit_available: fromCents(availableCents),
    shortfall: fromCents(amountCents - availableCents),
  };
  await storeCreditEvent(tx, ctx, account.customer_id, 'credit.limit.exceeded', data);
  return new DomainError(
    'credit-limit-exceeded',
    `The usage of ${data.attempted_amount} exceeds the ${data.credit_available} credit available.`,
    { attempted_amount: data.attempted_amount, credit_available: data.credit_available, shortfall: data.shortfall },
  );
}

export type PaymentInput = FromSchema<typeof paymentBody>;

export async function receivePayment(
  tx: Queryable,
  ctx: UseCaseContext,
  customerId: string,
  input: PaymentInput,
): Promise<PaymentView> {
  const org = ctx.principal.org;
  const amountCents = toCents(input.amount);
  const repaid = await guardedAccountUpdate(tx, org, customerId, () =>
    repo.repay(tx, org, customerId, amountCents, ctx.now),
  );
  if (repaid.kind === 'refused') {
    const outstanding = fromCents(repaid.locked.outstanding_cents);
    throw new DomainError('overpayment', `The payment of ${input.amount} exceeds the ${outstanding} outstanding.`, {
      amount: input.amount,
      outstanding,
    });
  }
  const account = repaid.row;
  const payment = await repo.insertPayment(tx, org, customerId, {
    payment_id: newId('pay'),
    amount_cents: amountCents,
    reference: input.reference ?? null,
    available_after_cents: account.credit_limit_cents - account.outstanding_cents,
    created_at: ctx.now,
  });
  await allocatePayment(tx, org, customerId, payment.payment_id, amountCents, ctx.now);
  const view = paymentView(payment);
  await storeCreditEvent(tx, ctx, customerId, 'credit.payment.received', {
    customer_id: customerId,
    payment_id: view.payment_id,
    amount: view.amount,
    credit_available: view.credit_available,
    reference: view.reference,
  });
  await liftOverdueHoldIfCleared(tx, ctx, account);
  return view;
}
