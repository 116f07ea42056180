import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { Db } from '../../src/db/db.js';
import type { TestApp } from '../helpers/app.js';

export const OFFICER = ['privacy_officer'];
export const ALL_ROLES = ['credit_manager', 'loyalty_admin', 'privacy_officer'];

/** Personal data of a customer, unique to one test so that a search can only find this customer's traces. */
export function personalData() {
  const tag = randomBytes(4).toString('hex');
  const digits = String(randomBytes(4).readUInt32BE() % 10_000_000).padStart(7, '0');
  return {
    name: `Zoila Quintanar ${tag}`,
    email: `zoila.${tag}@example.com`,
    phone: `+507 6${digits.slice(0, 3)}-${digits.slice(3)}`,
    tax_id: `8-${tag}-RUC`,
  };
}

export type PersonalData = ReturnType<typeof personalData>;

/** Every value to search for: each field as written, and each phone's digits. */
export function searchTerms(...people: PersonalData[]): string[] {
  return people.flatMap((p) => [p.name, p.email, p.phone, p.phone.replace(/\D/g, ''), p.tax_id]);
}

/**
 * Searches every column of every table of the database (each row cast to text, case-insensitively) for each
 * term; returns `table: term` for every hit. The tables are read from the catalog, so a table added later is
 * searched too.
 */
export async function searchEveryTable(db: Db, terms: readonly string[]): Promise<string[]> {
  const tables = await db.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
      ORDER BY 1, 2`,
  );
  expect(tables.rows.map((t) => t.name)).toEqual(expect.arrayContaining(['customers', 'outbox', 'idempotency_keys']));
  const hits: string[] = [];
  for (const t of tables.rows) {
    const quoted = `"${t.schema.replace(/"/g, '""')}"."${t.name.replace(/"/g, '""')}"`;
    for (const term of terms) {
      const res = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${quoted} AS r WHERE strpos(lower(r::text), lower($1)) > 0`,
        [term],
      );
      if ((res.rows[0]?.n ?? 0) > 0) hits.push(`${t.name}: ${term}`);
    }
  }
  return hits;
}

export async function anonymizeRequest(t: TestApp, id: string, body: object = {}, roles = OFFICER) {
  return t.request({ method: 'POST', url: `/v1/customers/${id}/anonymization`, roles, payload: body });
}

export async function exportRequest(t: TestApp, id: string, roles = OFFICER) {
  return t.request({ method: 'GET', url: `/v1/customers/${id}/export`, roles });
}

/** POST with an Idempotency-Key, all roles; expects `status`. */
export async function post(t: TestApp, url: string, payload: object, status = 201, key?: string) {
  const res = await t.request({
    method: 'POST',
    url,
    payload,
    roles: ALL_ROLES,
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });
  expect(res.statusCode, res.body).toBe(status);
  return res;
}

/**
 * A b2b customer with a whole history: created and changed (name, phone, tax id) with Idempotency-Keys, 300
 * points earned and 50 redeemed, 1000.00 of credit approved, 200 used and paid back, a usage refused. Returns the
 * id, the personal data before and after the change, and the idempotency keys used.
 */
export async function customerWithHistory(t: TestApp) {
  const first = personalData();
  const second = personalData();
  const keys = { create: `k-${randomBytes(6).toString('hex')}`, patch: `k-${randomBytes(6).toString('hex')}` };
  const createBody = { customer_type: 'b2b', ...first };
  const created = await post(t, '/v1/customers', createBody, 201, keys.create);
  const id = created.json().customer_id as string;
  const patched = await t.request({
    method: 'PATCH',
    url: `/v1/customers/${id}`,
    payload: { name: second.name, phone: second.phone, tax_id: second.tax_id },
    headers: { 'idempotency-key': keys.patch },
  });
  expect(patched.statusCode, patched.body).toBe(200);
  const base = `/v1/customers/${id}`;
  const ref = randomBytes(4).toString('hex');
  await post(t, `${base}/loyalty/earn`, { points: 300, reference_type: 'purchase', reference_id: `o-${ref}` });
  await post(t, `${base}/loyalty/redeem`, { points: 50 });
  await post(t, `${base}/credit`, { credit_limit: 1000, payment_term_days: 30 });
  await post(t, `${base}/credit/usages`, { order_id: `PO-${ref}`, amount: 200 });
  await post(t, `${base}/credit/usages`, { order_id: `PO-${ref}-big`, amount: 5000 }, 422);
  await post(t, `${base}/credit/payments`, { amount: 200, reference: `TRF-${ref}` });
  return { id, first, second: { ...second, email: first.email }, keys, createBody };
}
