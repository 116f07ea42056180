import type { Queryable } from '../db/db.js';
import { onlyRow, SqlParams, selectPage } from '../db/sql.js';
import { customerNotFound, DomainError } from '../shared/domain-error.js';

export type CustomerStatus = 'active' | 'anonymized';

export interface CustomerRow {
  seq: number;
  customer_id: string;
  customer_type: 'b2c' | 'b2b';
  name: string;
  email: string | null;
  phone: string | null;
  tax_id: string | null;
  status: CustomerStatus;
  created_at: Date;
  updated_at: Date;
}

const columns = 'seq, customer_id, customer_type, name, email, phone, tax_id, status, created_at, updated_at';

function phoneDigits(phone: string | null | undefined): string | null {
  return phone == null ? null : phone.replace(/\D/g, '');
}

export async function insertCustomer(
  tx: Queryable,
  org: string,
  c: Omit<CustomerRow, 'seq' | 'status' | 'updated_at'>,
): Promise<CustomerRow> {
  const res = await tx.query<CustomerRow>(
    `INSERT INTO customers (organization_id, customer_id, customer_type, name, email, phone, phone_digits, tax_id,
                            created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
     RETURNING ${columns}`,
    [org, c.customer_id, c.customer_type, c.name, c.email, c.phone, phoneDigits(c.phone), c.tax_id, c.created_at],
  );
  return onlyRow(res, 'customer');
}

/**
 * `lock`: `true` or `'update'` locks the row against every other writer until commit (a change of the customer);
 * `'share'` lets other sharers in but waits for, and blocks, a change of the customer (a write that depends on it).
 */
export async function findCustomer(
  db: Queryable,
  org: string,
  customerId: string,
  lock: boolean | 'update' | 'share' = false,
): Promise<CustomerRow | undefined> {
  const clause = lock === 'share' ? ' FOR SHARE' : lock ? ' FOR UPDATE' : '';
  const res = await db.query<CustomerRow>(
    `SELECT ${columns} FROM customers WHERE organization_id = $1 AND customer_id = $2${clause}`,
    [org, customerId],
  );
  return res.rows[0];
}

export const customerAnonymized = () =>
  new DomainError('customer-anonymized', 'The customer was anonymized; it can no longer be changed.');

/**
 * THE customer guard, the one place the rule "the customer exists in the organization and is not anonymized" is
 * written; loyalty, credit, privacy and customers call it before every write. It locks the customer row (`share` for
 * a write that depends on the customer, `update` to change it) so an anonymization either waits for the write or is
 * seen by it.
 */
export async function writableCustomer(
  tx: Queryable,
  org: string,
  customerId: string,
  lock: 'share' | 'update' = 'share',
): Promise<CustomerRow> {
  const customer = await findCustomer(tx, org, customerId, lock);
  if (!customer) throw customerNotFound();
  if (customer.status === 'anonymized') throw customerAnonymized();
  return customer;
}

/**
 * The same guard as a CTE named `customer` for a statement that guards itself (one round trip on a hot path): it
 * yields one row, share-locked, only while the customer exists and is not anonymized. `org` and `id` are the
 * statement's parameter placeholders.
 */
export function writableCustomerCte(org: string, id: string): string {
  return `customer AS (
       SELECT 1 FROM customers
        WHERE organization_id = ${org} AND customer_id = ${id} AND status <> 'anonymized' FOR SHARE
     )`;
}

/** The name an anonymized customer keeps (the column is required); it identifies no one. */
export const ANONYMIZED_NAME = 'Anonymized customer';

/** Erases the customer's personal data and marks it anonymized; the email and phone become free. */
export async function anonymizeCustomer(
  tx: Queryable,
  org: string,
  customerId: string,
  at: Date,
): Promise<CustomerRow> {
  const res = await tx.query<CustomerRow>(
    `UPDATE customers
        SET name = $3, email = NULL, phone = NULL, phone_digits = NULL, tax_id = NULL, status = 'anonymized',
            updated_at = $4
      WHERE organization_id = $1 AND customer_id = $2
      RETURNING ${columns}`,
    [org, customerId, ANONYMIZED_NAME, at],
  );
  return onlyRow(res, 'customer');
}

export type CustomerChanges = Partial<Pick<CustomerRow, 'name' | 'email' | 'phone' | 'tax_id'>>;

export async function updateCustomer(
  tx: Queryable,
  org: string,
  customerId: string,
  changes: CustomerChanges,
  at: Date,
): Promise<CustomerRow> {
  const params = new SqlParams();
  const sets: string[] = [];
  // Column names come from this fixed list, never from the caller's keys.
  for (const field of ['name', 'email', 'phone', 'tax_id'] as const) {
    const value = changes[field];
    if (value === undefined) continue;
    sets.push(`${field} = ${params.add(value)}`);
    if (field === 'phone') sets.push(`phone_digits = ${params.add(phoneDigits(value))}`);
  }
  const res = await tx.query<CustomerRow>(
    `UPDATE customers SET ${sets.join(', ')}, updated_at = ${params.add(at)}
      WHERE organization_id = ${params.add(org)} AND customer_id = ${params.add(customerId)}
      RETURNING ${columns}`,
    params.values,
  );
  return onlyRow(res, 'customer');
}

export interface CustomerFilter {
  email?: string;
  phone?: string;
  customer_type?: string;
  q?: string;
  status: CustomerStatus;
  afterSeq?: number;
  limit: number;
}

function likePattern(s: string): string {
  return `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

/** Customers in creation order, filtered; one more row than `limit` tells whether there is a next page. */
export async function listCustomers(db: Queryable, org: string, f: CustomerFilter): Promise<CustomerRow[]> {
  const params = new SqlParams();
  const where = [`organization_id = ${params.add(org)}`, `status = ${params.add(f.status)}`];
  if (f.email !== undefined) where.push(`lower(email) = lower(${params.add(f.email)})`);
  if (f.phone !== undefined) where.push(`phone_digits = ${params.add(phoneDigits(f.phone))}`);
  if (f.customer_type !== undefined) where.push(`customer_type = ${params.add(f.customer_type)}`);
  if (f.q !== undefined) {
    const p = params.add(likePattern(f.q));
    where.push(`(name ILIKE ${p} OR email ILIKE ${p} OR phone ILIKE ${p})`);
  }
  return selectPage<CustomerRow>(db, {
    columns,
    table: 'customers',
    where,
    params,
    order: 'asc',
    afterSeq: f.afterSeq,
    limit: f.limit,
  });
}
