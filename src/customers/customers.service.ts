import { findCreditAccount } from '../credit/credit.service.js';
import { PgCode, pgConstraint, pgErrorCode, type Queryable } from '../db/db.js';
import { problems } from '../errors.js';
import type { Outcome } from '../http/idempotency.js';
import { cursorSeq, toPage } from '../http/pagination.js';
import { newId } from '../ids.js';
import { enroll, loyaltySummary } from '../loyalty/loyalty.service.js';
import { envelope } from '../outbox/events.js';
import { enqueueEvents } from '../outbox/outbox.repository.js';
import type { UseCaseContext } from '../shared/context.js';
import * as repo from './customers.repository.js';

export interface CreateCustomerInput {
  customer_type: 'b2c' | 'b2b';
  name: string;
  email?: string;
  phone?: string;
  tax_id?: string;
  enroll_loyalty?: boolean;
}

export type CustomerPatch = {
  name?: string;
  email?: string | null;
  phone?: string | null;
  tax_id?: string | null;
};

export function customerView(c: repo.CustomerRow) {
  return {
    customer_id: c.customer_id,
    customer_type: c.customer_type,
    name: c.name,
    email: c.email,
    phone: c.phone,
    tax_id: c.tax_id,
    created_at: c.created_at.toISOString(),
    updated_at: c.updated_at.toISOString(),
  };
}

function contactRequired() {
  return problems.validation(
    [
      { field: 'email', message: 'email or phone is required' },
      { field: 'phone', message: 'email or phone is required' },
    ],
    'A customer needs an email or a phone.',
  );
}

/** Maps the unique-index violations on email/phone to 409 customer-conflict. */
async function uniquely<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (pgErrorCode(err) !== PgCode.uniqueViolation) throw err;
    const constraint = pgConstraint(err) ?? String((err as Error).message);
    const field = constraint.includes('phone') ? 'phone' : constraint.includes('email') ? 'email' : undefined;
    if (!field) throw err;
    throw problems.conflict(
      'customer-conflict',
      'Customer already exists',
      `Another customer of this organization has this ${field}.`,
      { field },
    );
  }
}

export async function createCustomer(tx: Queryable, ctx: UseCaseContext, input: CreateCustomerInput): Promise<Outcome> {
  if (input.email === undefined && input.phone === undefined) throw contactRequired();
  const org = ctx.principal.org;
  const customer = await uniquely(() =>
    repo.insertCustomer(tx, org, {
      customer_id: newId('cust'),
      customer_type: input.customer_type,
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      tax_id: input.tax_id ?? null,
      created_at: ctx.now,
    }),
  );
  const loyalty = input.enroll_loyalty === false ? null : await enroll(tx, org, customer.customer_id, ctx.now);
  await enqueueEvents(tx, { correlationId: ctx.requestId }, customer.customer_id, [
    envelope(
      'customer.created',
      org,
      {
        customer_id: customer.customer_id,
        customer_type: customer.customer_type,
        email: customer.email,
        phone: customer.phone,
        loyalty_account_created: loyalty !== null,
      },
      ctx.now,
    ),
  ]);
  return { status: 201, body: customerView(customer) };
}

export async function getCustomer(db: Queryable, org: string, customerId: string) {
  const customer = await repo.findCustomer(db, org, customerId);
  if (!customer) throw problems.customerNotFound();
  const [loyalty, credit] = await Promise.all([
    loyaltySummary(db, org, customerId),
    findCreditAccount(db, org, customerId),
  ]);
  return { ...customerView(customer), loyalty, credit };
}

const patchable = ['name', 'email', 'phone', 'tax_id'] as const;

export async function patchCustomer(
  tx: Queryable,
  ctx: UseCaseContext,
  customerId: string,
  patch: CustomerPatch,
): Promise<Outcome> {
  const org = ctx.principal.org;
  const current = await repo.findCustomer(tx, org, customerId, true);
  if (!current) throw problems.customerNotFound();
  const changes: repo.CustomerChanges = {};
  for (const field of patchable) {
    const value = patch[field];
    if (value !== undefined && value !== current[field]) Object.assign(changes, { [field]: value });
  }
  if (Object.keys(changes).length === 0) return { status: 200, body: customerView(current) };
  const email = changes.email !== undefined ? changes.email : current.email;
  const phone = changes.phone !== undefined ? changes.phone : current.phone;
  if (email === null && phone === null) throw contactRequired();
  const updated = await uniquely(() => repo.updateCustomer(tx, org, customerId, changes, ctx.now));
  await enqueueEvents(tx, { correlationId: ctx.requestId }, customerId, [
    envelope('customer.updated', org, { customer_id: customerId, changes }, ctx.now),
  ]);
  return { status: 200, body: customerView(updated) };
}

export interface ListQuery {
  email?: string;
  phone?: string;
  customer_type?: 'b2c' | 'b2b';
  q?: string;
  limit: number;
  cursor?: string;
}

export async function listCustomers(db: Queryable, org: string, query: ListQuery) {
  const afterSeq = cursorSeq(query.cursor);
  const rows = await repo.listCustomers(db, org, { ...query, afterSeq });
  return toPage(rows, query.limit, customerView);
}
