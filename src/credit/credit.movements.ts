import type { Queryable } from '../db/db.js';
import { type Problem, problems } from '../errors.js';
import type { Outcome } from '../http/idempotency.js';
import { fromCents, toCents } from '../http/schemas.js';
import { newId } from '../ids.js';
import { envelope } from '../outbox/events.js';
import { enqueueEvents } from '../outbox/outbox.repository.js';
import type { UseCaseContext } from '../shared/context.js';
import * as repo from './credit.repository.js';
import { dueDate, missingAccount, paymentView, usageView } from './credit.service.js';

/*
 * Usages and payments move `outstanding_cents` with a guarded UPDATE (never over the limit, never below zero).
 * Each takes the account row lock before it writes to the outbox, so one customer's events keep commit order.
 */

function duplicateOrder(orderId: string, first: { usage_id: string } | undefined): Problem {
  return problems.conflict('duplicate-order', 'Order already used credit', `Order ${orderId} already has a usage.`, {
    usage_id: first?.usage_id ?? null,
  });
}

export interface UsageInput {
  order_id: string;
  amount: number;
}

/**
 * Charges an order to the credit. A usage above the available credit is refused, and the refusal is committed
 * (audit row and credit.limit.exceeded): so it is answered as an outcome, not thrown.
 */
export async function useCredit(
  tx: Queryable,
  ctx: UseCaseContext,
  customerId: string,
  input: UsageInput,
): Promise<Outcome> {
  const org = ctx.principal.org;
  const amountCents = toCents(input.amount);
  let account = await repo.charge(tx, org, customerId, amountCents, ctx.now);
  if (!account) {
    // Lock the row, then try once more: a payment may have committed since the guarded update. Under the lock
    // the answer is final, and the refusal's event is ordered after every other event of this customer.
    const current = await repo.findAccount(tx, org, customerId, true);
    if (!current) return missingAccount(tx, org, customerId);
    account = await repo.charge(tx, org, customerId, amountCents, ctx.now);
    if (!account) {
      const first = await repo.findUsageByOrder(tx, org, input.order_id);
      if (first) throw duplicateOrder(input.order_id, first);
      return refuseUsage(tx, ctx, current, input.order_id, amountCents);
    }
  }
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
  const view = usageView(usage);
  await enqueueEvents(tx, { correlationId: ctx.requestId }, customerId, [
    envelope(
      'credit.used',
      org,
      {
        customer_id: customerId,
        usage_id: view.usage_id,
        order_id: view.order_id,
        amount: view.amount,
        credit_available: view.credit_available,
        due_date: view.due_date,
      },
      ctx.now,
    ),
  ]);
  return { status: 201, body: view };
}

async function refuseUsage(
  tx: Queryable,
  ctx: UseCaseContext,
  account: repo.CreditAccountRow,
  orderId: string,
  amountCents: number,
): Promise<Outcome> {
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
  await enqueueEvents(tx, { correlationId: ctx.requestId }, account.customer_id, [
    envelope('credit.limit.exceeded', org, data, ctx.now),
  ]);
  const problem = problems.unprocessable(
    'credit-limit-exceeded',
    'Credit limit exceeded',
    `The usage of ${data.attempted_amount} exceeds the ${data.credit_available} credit available.`,
    { attempted_amount: data.attempted_amount, credit_available: data.credit_available, shortfall: data.shortfall },
  );
  return { status: 422, body: problem.toBody() };
}

export interface PaymentInput {
  amount: number;
  reference?: string;
}

export async function receivePayment(
  tx: Queryable,
  ctx: UseCaseContext,
  customerId: string,
  input: PaymentInput,
): Promise<Outcome> {
  const org = ctx.principal.org;
  const amountCents = toCents(input.amount);
  let account = await repo.repay(tx, org, customerId, amountCents, ctx.now);
  if (!account) {
    // As for usages: under the row lock the outstanding amount cannot move any more.
    const current = await repo.findAccount(tx, org, customerId, true);
    if (!current) return missingAccount(tx, org, customerId);
    account = await repo.repay(tx, org, customerId, amountCents, ctx.now);
    if (!account) {
      throw problems.unprocessable(
        'overpayment',
        'Overpayment',
        `The payment of ${input.amount} exceeds the ${fromCents(current.outstanding_cents)} outstanding.`,
        { amount: input.amount, outstanding: fromCents(current.outstanding_cents) },
      );
    }
  }
  const payment = await repo.insertPayment(tx, org, customerId, {
    payment_id: newId('pay'),
    amount_cents: amountCents,
    reference: input.reference ?? null,
    available_after_cents: account.credit_limit_cents - account.outstanding_cents,
    created_at: ctx.now,
  });
  const view = paymentView(payment);
  await enqueueEvents(tx, { correlationId: ctx.requestId }, customerId, [
    envelope(
      'credit.payment.received',
      org,
      {
        customer_id: customerId,
        payment_id: view.payment_id,
        amount: view.amount,
        credit_available: view.credit_available,
        reference: view.reference,
      },
      ctx.now,
    ),
  ]);
  return { status: 201, body: view };
}
