import { randomBytes } from 'node:crypto';

/*
 * The customer factory's payloads, shared by the in-process fixtures (fixtures.ts) and by whatever drives a
 * service over HTTP (the fault tests, the bench). No vitest here: bench/ runs outside a test runner.
 */

export interface NewCustomer {
  customer_type?: 'b2c' | 'b2b';
  name?: string;
  email?: string;
  phone?: string;
  tax_id?: string;
  enroll_loyalty?: boolean;
}

/** A unique email for a test customer. */
export function uniqueEmail(tag = 'c'): string {
  return `${tag}.${randomBytes(5).toString('hex')}@example.com`;
}

/** The body of POST /v1/customers: b2c, enrolled, a unique email unless a phone or an email is given. */
export function customerPayload(c: NewCustomer = {}): Record<string, unknown> {
  return {
    customer_type: 'b2c',
    name: 'Cliente de prueba',
    ...(c.phone === undefined ? { email: uniqueEmail() } : {}),
    ...c,
  };
}

/** Creates `count` customers (`<name> <i>`) through the HTTP API of a running service; returns their ids. */
export async function createCustomersOver(
  baseUrl: string,
  token: string,
  count: number,
  name = 'Load',
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${baseUrl}/v1/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(customerPayload({ name: `${name} ${i}` })),
    });
    if (res.status !== 201) throw new Error(`POST /v1/customers → ${res.status} ${await res.text()}`);
    ids.push(((await res.json()) as { customer_id: string }).customer_id);
  }
  return ids;
}
