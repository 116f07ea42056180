import type { EventEnvelope, EventName } from '../../generated/index.js';
import { findCustomer, writableCustomer } from '../customers/customers.repository.js';
import type { Queryable } from '../db/db.js';
import { type GuardedResult, guardedUpdate } from '../db/sql.js';
import { newId } from '../ids.js';
import { type EventData, envelope } from '../outbox/events.js';
import type { UseCaseContext } from '../shared/context.js';
import type { CustomerPageReader } from '../shared/customer-rows.js';
import { customerNotFound, DomainError } from '../shared/domain-error.js';
import { fromCents, toCents } from '../shared/money.js';
import { storeEvents } from '../shared/outbox-writer.js';
import { cursorSeq, type Page, type PageRequest, toPage } from '../shared/pagination.js';
import type { FromSchema } from '../shared/schema-types.js';
import * as repo from './credit.repository.js';
import type {
  changeAccountBody,
  creditAccountSchema,
  openAccountBody,
  paymentSchema,
  usageSchema,
} from './credit.schemas.js';

/** The `CreditAccount` resource. */
export type CreditAccountView = FromSchema<typeof creditAccountSchema>;

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
    hold_reason: a.hold_reason,
    hold_note: a.hold_note,
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

/** Throws customer-not-found when the customer does not exist in this organization, else credit-account-not-found. */
export async function missingAccount(db: Queryable, org: string, customerId: string): Promise<never> {
  if (!(await findCustomer(db, org, customerId))) throw customerNotFound();
  throw new DomainError('credit-account-not-found', 'The customer has no credit account.');
}

/**
 * The customer's account for a write, its row locked until commit, taken after the customer's guard (the lock
 * order of every write); throws when the customer or the account does not exist.
 */
export async function lockAccount(tx: Queryable, org: string, customerId: string): Promise<repo.CreditAccountRow> {
  await writableCustomer(tx, org, customerId);
  return (await repo.findAccount(tx, org, customerId, true)) ?? missingAccount(tx, org, customerId);
}

/**
 * A write use case on the customer's account: it is called with the customer's id and `work` runs with the account
 * locked (`lockAccount`: the customer's guard first; a customer or an account that does not exist throws).
 */
export function onLockedAccount<Input = void, Output = unknown>(
  work: (tx: Queryable, ctx: UseCaseContext, account: repo.CreditAccountRow, input: Input) => Promise<Output>,
) {
  return async (tx: Queryable, ctx: UseCaseContext, customerId: string, input: Input): Promise<Output> =>
    work(tx, ctx, await lockAccount(tx, ctx.principal.org, customerId), input);
}

/**
 * A guarded update of the customer's account after the customer's guard, retried once under the account's row
 * lock (`guardedUpdate`): the updated row, or the locked row the guard refused; throws when the customer or the
 * account does not exist.
 */
export async function guardedAccountUpdate(
  tx: Queryable,
  org: string,
  customerId: string,
  update: () => Promise<repo.CreditAccountRow | undefined>,
): Promise<Exclude<GuardedResult<repo.CreditAccountRow, repo.CreditAccountRow>, { kind: 'missing' }>> {
  await writableCustomer(tx, org, customerId);
  const result = await guardedUpdate(update, () => repo.findAccount(tx, org, customerId, true));
  return result.kind === 'missing' ? missingAccount(tx, org, customerId) : result;
}

/** The account; throws when the customer or the account does not exist. */
export async function getCreditAccount(db: Queryable, org: string, customerId: string): Promise<CreditAccountView> {
  return (await findCreditAccount(db, org, customerId)) ?? missingAccount(db, org, customerId);
}

/** Stores one event of `customerId` in the caller's transaction. */
export function storeEvent(tx: Queryable, ctx: UseCaseContext, customerId: string, event: EventEnvelope) {
  return storeEvents(tx, { customerId, correlationId: ctx.requestId, events: [event] });
}

/** Stores event `name` of `customerId` with `data`, as the caller's organization, at the context's time. */
export function storeCreditEvent<N extends EventName>(
  tx: Queryable,
  ctx: UseCaseContext,
  customerId: string,
  name: N,
  data: EventData<N>,
) {
  return storeEvent(tx, ctx, customerId, envelope(name, ctx.principal.org, data, ctx.now));
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

export type OpenAccountInput = FromSchema<typeof openAccountBody>;

/** Any customer type may get credit: the HTTP contract does not restrict it to b2b. */
export async function openAccount(
  tx: Queryable,
  ctx: UseCaseContext,
  customerId: string,
  input: OpenAccountInput,
): Promise<CreditAccountView> {
  const org = ctx.principal.org;
  await writableCustomer(tx, org, customerId, 'update');
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
    throw new DomainError(
      'credit-account-exists',
      'The customer already has a credit account; change its terms with PATCH.',
    );
  }
  await storeEvent(tx, ctx, customerId, approvedEvent(org, account, ctx.now));
  return accountView(account);
}

export type ChangeTermsInput = FromSchema<typeof changeAccountBody>;

export const changeTerms = onLockedAccount(
  async (tx, ctx, current, input: ChangeTermsInput): Promise<CreditAccountView> => {
    const org = ctx.principal.org;
    const customerId = current.customer_id;
    const limitCents = input.credit_limit === undefined ? current.credit_limit_cents : toCents(input.credit_limit);
    const termDays = input.payment_term_days ?? current.payment_term_days;
    if (limitCents === current.credit_limit_cents && termDays === current.payment_term_days) {
      return accountView(current);
    }
    if (limitCents < current.outstanding_cents) {
      throw new DomainError(
        'credit-limit-below-outstanding',
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
    await storeEvent(tx, ctx, customerId, approvedEvent(org, updated, ctx.now));
    return accountView(updated);
  },
);

export type UsageView = FromSchema<typeof usageSchema>;

/**
 * `cancelled` when cancelled; `paid` when settled in full; `overdue` when `today` (the clock's UTC date) is after
 * the due date; else `open`.
 */
export function usageStatus(u: repo.UsageRow, today: string): UsageView['status'] {
  if (u.cancelled_at !== null) return 'cancelled';
  if (u.amount_paid_cents >= u.amount_cents) return 'paid';
  return today > u.due_date ? 'overdue' : 'open';
}

/** A usage as answered, its status as of `today` (the clock's UTC date, `YYYY-MM-DD`). */
export function usageView(u: repo.UsageRow, today: string): UsageView {
  return {
    usage_id: u.usage_id,
    order_id: u.order_id,
    amount: fromCents(u.amount_cents),
    amount_paid: fromCents(u.amount_paid_cents),
    status: usageStatus(u, today),
    credit_available: fromCents(u.available_after_cents),
    due_date: u.due_date,
    created_at: u.created_at.toISOString(),
  };
}

export type PaymentView = FromSchema<typeof paymentSchema>;

export function paymentView(p: repo.PaymentRow): PaymentView {
  return {
    payment_id: p.payment_id,
    amount: fromCents(p.amount_cents),
    reference: p.reference,
    credit_available: fromCents(p.available_after_cents),
    created_at: p.created_at.toISOString(),
  };
}

/** Usages or payments of an account, newest first; 404 when the customer has no account. */
export async function listMovements<R extends { seq: number }, V>(
  db: Queryable,
  org: string,
  customerId: string,
  query: PageRequest,
  /** Which list of the account, for its cursors. */
  name: string,
  list: CustomerPageReader<R>,
  view: (row: R) => V,
): Promise<Page<V>> {
  const scope = { key: query.signingKey, org, list: `credit/${name}/${customerId}` };
  const before = cursorSeq(query.cursor, scope);
  if (!(await repo.findAccount(db, org, customerId))) return missingAccount(db, org, customerId);
  return toPage(await list(db, org, customerId, before, query.limit), query.limit, view, scope);
}
