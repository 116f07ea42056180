import { findCustomer } from '../customers/customers.repository.js';
import type { Queryable } from '../db/db.js';
import { Problem, problems } from '../errors.js';
import type { Outcome } from '../http/idempotency.js';
import { decodeCursor, encodeCursor, fromCents, toCents } from '../http/schemas.js';
import { newId } from '../ids.js';
import { envelope } from '../outbox/events.js';
import { enqueueEvents } from '../outbox/outbox.repository.js';
import type { UseCaseContext } from '../shared/context.js';
import * as repo from './credit.repository.js';

/** The `CreditAccount` resource (credit.schemas.ts). */
export interface CreditAccountView {
  credit_account_id: string;
  customer_id: string;
  credit_limit: number;
  outstanding: number;
  credit_available: number;
  payment_term_days: number;
  approved_by: string;
  status: string;
  created_at: string;
  updated_at: string;
}

export function accountView(a: repo.CreditAccountRow): CreditAccountView {
  return {
    credit_account_id: a.credit_account_id,
    customer_id: a.customer_id,
    credit_limit: fromCents(a.credit_limit_cents),
    outstanding: fromCents(a.outstanding_cents),
    credit_available: fromCents(a.credit_limit_cents - a.outstanding_cents),
    payment_term_days: a.payment_term_days,
    approved_by: a.approved_by,
    status: a.status,
    created_at: a.created_at.toISOString(),
    updated_at: a.updated_at.toISOString(),
  };
}

export async function findCreditAccount(
  db: Queryable,
  org: string,
  customerId: string,
): Promise<CreditAccountView | null> {
  const account = await repo.findAccount(db, org, customerId);
  return account ? accountView(account) : null;
}

export function creditAccountNotFound(): Problem {
  return new Problem(404, 'credit-account-not-found', 'Credit account not found', 'The customer has no credit account.');
}

/** 404 customer-not-found when the customer does not exist in this organization, else credit-account-not-found. */
export async function missingAccount(db: Queryable, org: string, customerId: string): Promise<never> {
  if (!(await findCustomer(db, org, customerId))) throw problems.customerNotFound();
  throw creditAccountNotFound();
}

/** The usage day (UTC) plus the payment term, `YYYY-MM-DD`. */
export function dueDate(at: Date, termDays: number): string {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + termDays);
  return new Date(day).toISOString().slice(0, 10);
}

function approvedEvent(org: string, a: repo.CreditAccountRow, at: Date) {
  return envelope(
    'credit.approved',
    org,
    {
      customer_id: a.customer_id,
      credit_account_id: a.credit_account_id,
      credit_limit: fromCents(a.credit_limit_cents),
      payment_term_days: a.payment_term_days,
      approved_by: a.approved_by,
    },
    at,
  );
}

export interface OpenAccountInput {
  credit_limit: number;
  payment_term_days: number;
}

/** Any customer type may get credit: the HTTP contract does not restrict it to b2b. */
export async function openAccount(
  tx: Queryable,
  ctx: UseCaseContext,
  customerId: string,
  input: OpenAccountInput,
): Promise<Outcome> {
  const org = ctx.principal.org;
  if (!(await findCustomer(tx, org, customerId, true))) throw problems.customerNotFound();
  const account = await repo.insertAccount(
    tx,
    org,
    customerId,
    {
      credit_account_id: newId('credit'),
      credit_limit_cents: toCents(input.credit_limit),
      payment_term_days: input.payment_term_days,
      approved_by: ctx.principal.sub,
    },
    ctx.now,
  );
  if (!account) {
    throw problems.conflict(
      'credit-account-exists',
      'Credit account exists',
      'The customer already has a credit account; change its terms with PATCH.',
    );
  }
  await enqueueEvents(tx, { correlationId: ctx.requestId }, customerId, [approvedEvent(org, account, ctx.now)]);
  return { status: 201, body: accountView(account) };
}

export type ChangeTermsInput = Partial<OpenAccountInput>;

export async function changeTerms(
  tx: Queryable,
  ctx: UseCaseContext,
  customerId: string,
  input: ChangeTermsInput,
): Promise<Outcome> {
  const org = ctx.principal.org;
  const current = await repo.findAccount(tx, org, customerId, true);
  if (!current) return missingAccount(tx, org, customerId);
  const limitCents = input.credit_limit === undefined ? current.credit_limit_cents : toCents(input.credit_limit);
  const termDays = input.payment_term_days ?? current.payment_term_days;
  if (limitCents === current.credit_limit_cents && termDays === current.payment_term_days) {
    return { status: 200, body: accountView(current) };
  }
  if (limitCents < current.outstanding_cents) {
    throw problems.unprocessable(
      'credit-limit-below-outstanding',
      'Credit limit below outstanding',
      `The new limit ${fromCents(limitCents)} is below the ${fromCents(current.outstanding_cents)} outstanding.`,
      { credit_limit: fromCents(limitCents), outstanding: fromCents(current.outstanding_cents) },
    );
  }
  const updated = await repo.updateTerms(
    tx,
    org,
    customerId,
    { credit_limit_cents: limitCents, payment_term_days: termDays, approved_by: ctx.principal.sub },
    ctx.now,
  );
  await enqueueEvents(tx, { correlationId: ctx.requestId }, customerId, [approvedEvent(org, updated, ctx.now)]);
  return { status: 200, body: accountView(updated) };
}

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
export async function useCredit(tx: Queryable, ctx: UseCaseContext, customerId: string, input: UsageInput): Promise<Outcome> {
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

export function usageView(u: repo.UsageRow) {
  return {
    usage_id: u.usage_id,
    order_id: u.order_id,
    amount: fromCents(u.amount_cents),
    credit_available: fromCents(u.available_after_cents),
    due_date: u.due_date,
    created_at: u.created_at.toISOString(),
  };
}

export function paymentView(p: repo.PaymentRow) {
  return {
    payment_id: p.payment_id,
    amount: fromCents(p.amount_cents),
    reference: p.reference,
    credit_available: fromCents(p.available_after_cents),
    created_at: p.created_at.toISOString(),
  };
}

export interface PageQuery {
  limit: number;
  cursor?: string;
}

/** Usages or payments of an account, newest first; 404 when the customer has no account. */
export async function listMovements<R extends { seq: number }, V>(
  db: Queryable,
  org: string,
  customerId: string,
  query: PageQuery,
  list: (db: Queryable, org: string, customerId: string, before: number | undefined, limit: number) => Promise<R[]>,
  view: (row: R) => V,
): Promise<{ items: V[]; next_cursor: string | null }> {
  const before = decodeCursor(query.cursor);
  if (Number.isNaN(before)) {
    throw problems.validation([{ field: 'querystring.cursor', message: 'is not a valid cursor' }]);
  }
  if (!(await repo.findAccount(db, org, customerId))) return missingAccount(db, org, customerId);
  const rows = await list(db, org, customerId, before, query.limit);
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return {
    items: items.map(view),
    next_cursor: rows.length > query.limit && last ? encodeCursor(last.seq) : null,
  };
}
