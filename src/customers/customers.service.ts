import { PgCode, pgConstraint, pgErrorCode, type Queryable } from '../db/db.js';
import { newId } from '../ids.js';
import { envelope } from '../outbox/events.js';
import type { UseCaseContext } from '../shared/context.js';
import { DomainError, invalid } from '../shared/domain-error.js';
import { storeEvents } from '../shared/outbox-writer.js';
import { cursorSeq, type Page, toPage } from '../shared/pagination.js';
import type { FromSchema } from '../shared/schema-types.js';
import * as repo from './customers.repository.js';
import type { customerSchema, listCustomersQuery, patchCustomerBody } from './customers.schemas.js';

export interface NewCustomerInput {
  customer_type: 'b2c' | 'b2b';
  name: string;
  email?: string;
  phone?: string;
  tax_id?: string;
}

export type CustomerPatch = FromSchema<typeof patchCustomerBody>;

/** The `Customer` resource. */
export type CustomerView = FromSchema<typeof customerSchema>;

export function customerView(c: repo.CustomerRow): CustomerView {
  return {
    customer_id: c.customer_id,
    customer_type: c.customer_type,
    name: c.name,
    email: c.email,
    phone: c.phone,
    tax_id: c.tax_id,
    status: c.status,
    created_at: c.created_at.toISOString(),
    updated_at: c.updated_at.toISOString(),
  };
}

function contactRequired(): DomainError {
  return invalid(
    [
      { field: 'email', message: 'email or phone is required' },
      { field: 'phone', message: 'email or phone is required' },
    ],
    'A customer needs an email or a phone.',
  );
}

/** Maps the unique-index violations on email/phone to customer-conflict. */
async function uniquely<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (pgErrorCode(err) !== PgCode.uniqueViolation) throw err;
    const constraint = pgConstraint(err) ?? String((err as Error).message);
    const field = constraint.includes('phone') ? 'phone' : constraint.includes('email') ? 'email' : undefined;
    if (!field) throw err;
    throw new DomainError('customer-conflict', `Another customer of this organization has this ${field}.`, { field });
  }
}

/**
 * Inserts a new customer and returns its row. It publishes nothing by itself: the sign-up (src/profile/) stores
 * customer.created once it knows whether a loyalty account was opened too.
 */
export async function insertNewCustomer(
  tx: Queryable,
  ctx: UseCaseContext,
  input: NewCustomerInput,
): Promise<repo.CustomerRow> {
  if (input.email === undefined && input.phone === undefined) throw contactRequired();
  return uniquely(() =>
    repo.insertCustomer(tx, ctx.principal.org, {
      customer_id: newId('cust'),
      customer_type: input.customer_type,
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      tax_id: input.tax_id ?? null,
      created_at: ctx.now,
    }),
  );
}

export function customerCreatedEvent(org: string, c: repo.CustomerRow, loyaltyAccountCreated: boolean, at: Date) {
  return envelope(
    'customer.created',
    org,
    {
      customer_id: c.customer_id,
      customer_type: c.customer_type,
      email: c.email,
      phone: c.phone,
      loyalty_account_created: loyaltyAccountCreated,
    },
    at,
  );
}

const patchable = ['name', 'email', 'phone', 'tax_id'] as const;

/** Applies a JSON merge patch; publishes customer.updated only when something changed. */
export async function patchCustomer(
  tx: Queryable,
  ctx: UseCaseContext,
  customerId: string,
  patch: CustomerPatch,
): Promise<CustomerView> {
  const org = ctx.principal.org;
  const current = await repo.writableCustomer(tx, org, customerId, 'update');
  const changes: repo.CustomerChanges = {};
  for (const field of patchable) {
    const value = patch[field];
    if (value !== undefined && value !== current[field]) Object.assign(changes, { [field]: value });
  }
  if (Object.keys(changes).length === 0) return customerView(current);
  const email = changes.email !== undefined ? changes.email : current.email;
  const phone = changes.phone !== undefined ? changes.phone : current.phone;
  if (email === null && phone === null) throw contactRequired();
  const updated = await uniquely(() => repo.updateCustomer(tx, org, customerId, changes, ctx.now));
  await storeEvents(tx, {
    customerId,
    correlationId: ctx.requestId,
    events: [envelope('customer.updated', org, { customer_id: customerId, changes }, ctx.now)],
  });
  return customerView(updated);
}

/** The list query as validated (defaults applied), and the key cursors are sealed with. */
export type ListQuery = FromSchema<typeof listCustomersQuery> & { signingKey: string };

export async function listCustomers(db: Queryable, org: string, query: ListQuery): Promise<Page<CustomerView>> {
  // The filters are part of the list: a cursor of one search does not page another.
  const list = `customers?${query.status ?? 'active'}&${query.customer_type ?? ''}&${query.email ?? ''}&${query.phone ?? ''}&${query.q ?? ''}`;
  const scope = { key: query.signingKey, org, list };
  const afterSeq = cursorSeq(query.cursor, scope);
  const rows = await repo.listCustomers(db, org, { ...query, status: query.status ?? 'active', afterSeq });
  return toPage(rows, query.limit, customerView, scope);
}
