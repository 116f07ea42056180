import { createHmac } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { uniqueEmail } from '../helpers/customers.js';
import { createCustomer } from '../helpers/fixtures.js';

/** A method and an OpenAPI-style path (`{customer_id}`), as the route is declared. */
export interface Endpoint {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
}

/** Every `/v1` endpoint. tenancy and hostile-input both check that the OpenAPI document has no other. */
export const v1Endpoints: readonly Endpoint[] = [
  { method: 'POST', path: '/v1/customers' },
  { method: 'GET', path: '/v1/customers' },
  { method: 'GET', path: '/v1/customers/{customer_id}' },
  { method: 'PATCH', path: '/v1/customers/{customer_id}' },
  { method: 'POST', path: '/v1/customers/{customer_id}/loyalty' },
  { method: 'GET', path: '/v1/customers/{customer_id}/loyalty' },
  { method: 'GET', path: '/v1/customers/{customer_id}/loyalty/transactions' },
  { method: 'POST', path: '/v1/customers/{customer_id}/loyalty/earn' },
  { method: 'POST', path: '/v1/customers/{customer_id}/loyalty/redeem' },
  { method: 'GET', path: '/v1/loyalty/program' },
  { method: 'PUT', path: '/v1/loyalty/program' },
  { method: 'POST', path: '/v1/customers/{customer_id}/loyalty/transactions/{transaction_id}/reversal' },
  { method: 'POST', path: '/v1/loyalty/expiry-runs' },
  { method: 'POST', path: '/v1/customers/{customer_id}/credit' },
  { method: 'PATCH', path: '/v1/customers/{customer_id}/credit' },
  { method: 'GET', path: '/v1/customers/{customer_id}/credit' },
  { method: 'GET', path: '/v1/customers/{customer_id}/credit/usages' },
  { method: 'POST', path: '/v1/customers/{customer_id}/credit/usages' },
  { method: 'POST', path: '/v1/customers/{customer_id}/credit/usages/{usage_id}/cancellation' },
  { method: 'GET', path: '/v1/customers/{customer_id}/credit/payments' },
  { method: 'POST', path: '/v1/customers/{customer_id}/credit/payments' },
  { method: 'POST', path: '/v1/customers/{customer_id}/credit/hold' },
  { method: 'DELETE', path: '/v1/customers/{customer_id}/credit/hold' },
  { method: 'GET', path: '/v1/customers/{customer_id}/credit/statement' },
  { method: 'POST', path: '/v1/credit/overdue-runs' },
  { method: 'GET', path: '/v1/credit/aging' },
  { method: 'GET', path: '/v1/customers/{customer_id}/export' },
  { method: 'POST', path: '/v1/customers/{customer_id}/anonymization' },
];

/** The endpoints outside `/v1`: no token, mostly no OpenAPI entry. */
export const operationsEndpoints: readonly Endpoint[] = [
  { method: 'GET', path: '/health/live' },
  { method: 'GET', path: '/health/ready' },
  { method: 'GET', path: '/metrics' },
  { method: 'GET', path: '/docs' },
  { method: 'GET', path: '/docs/' },
  { method: 'GET', path: '/docs/json' },
  { method: 'GET', path: '/docs/yaml' },
  { method: 'GET', path: '/docs/static/{file}' },
  { method: 'GET', path: '/docs/events' },
  { method: 'GET', path: '/openapi.json' },
  { method: 'GET', path: '/asyncapi.yaml' },
];

/** The documented exception to "no 5xx": the event docs site answers 503 problem details until it is built. */
export function isDocumented5xx(url: string, status: number): boolean {
  return status === 503 && url.split('?')[0] === '/docs/events';
}

/** `(method, path)` of every operation the app's OpenAPI document declares. */
export function openApiOperations(t: TestApp): string[] {
  const doc = t.app.swagger() as { paths?: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths ?? {}).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
}

const LEAKS: [string, RegExp][] = [
  ['a stack frame', /\bat \S+ \(|\bat (file:|node:|\/)|\n\s+at /],
  ['a file path', /\/work\/|\/src\/|\/home\/|node_modules|\.ts:\d+|\.js:\d+/],
  ['SQL', /\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b|organization_id\s*=|\$\d+\b.*\bWHERE\b/],
  [
    'a driver error',
    /ECONNREFUSED|pg_|duplicate key value|violates .* constraint|syntax error at|invalid byte sequence/i,
  ],
];

/**
 * The body of an error response is problem details. With `checkLeaks`, it also reveals nothing internal (only for
 * requests whose own input does not carry such text: a 404 names the path it was asked for).
 */
export function expectProblem(
  res: LightMyRequestResponse,
  context: string,
  checkLeaks = false,
): Record<string, unknown> {
  const where = `${context} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  expect(String(res.headers['content-type']), where).toMatch(/^application\/problem\+json/);
  const body = res.json() as Record<string, unknown>;
  expect(typeof body.type, where).toBe('string');
  expect(body.type as string, where).toMatch(/^https:\/\//);
  expect(typeof body.title, where).toBe('string');
  expect(body.status, where).toBe(res.statusCode);
  if (res.statusCode === 400) {
    const errors = body.errors as { field?: unknown; message?: unknown }[] | undefined;
    expect(Array.isArray(errors) && errors.length > 0, `${where}: a 400 names the failing fields`).toBe(true);
    for (const e of errors ?? []) {
      expect(typeof e.field === 'string' && e.field.length > 0, where).toBe(true);
      expect(typeof e.message, where).toBe('string');
    }
  }
  if (checkLeaks) {
    for (const [what, pattern] of LEAKS) expect(res.body, `${where}: leaks ${what}`).not.toMatch(pattern);
  }
  return body;
}

/** The field names a 400 lists. */
export function failingFields(res: LightMyRequestResponse): string[] {
  return ((res.json() as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field);
}

function b64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** A JWT with any header and claims, HMAC-SHA256-signed with `secret` (or with an empty signature when null). */
export function craftToken(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  secret: string | null,
): string {
  const input = `${b64url(header)}.${b64url(claims)}`;
  const signature = secret === null ? '' : createHmac('sha256', secret).update(input).digest('base64url');
  return `${input}.${signature}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export { uniqueEmail } from '../helpers/customers.js';

/** A customer with a loyalty account holding points and a credit account with one usage and one payment. */
export async function customerWithEverything(t: TestApp, org?: string): Promise<string> {
  const id = await createCustomer(t, {
    org,
    customer_type: 'b2b',
    name: 'Ferretería Central',
    email: uniqueEmail('b2b'),
    tax_id: '155596713-2-2015',
  });
  const base = `/v1/customers/${id}`;
  const steps = [
    { url: `${base}/loyalty/earn`, payload: { points: 700, reference_type: 'purchase', reference_id: `o_${id}` } },
    { url: `${base}/loyalty/redeem`, payload: { points: 100, reference_type: 'reward', reference_id: `r_${id}` } },
    { url: `${base}/credit`, payload: { credit_limit: 5000, payment_term_days: 30 } },
    { url: `${base}/credit/usages`, payload: { order_id: `ord_${id}`, amount: 1200.5 } },
    { url: `${base}/credit/payments`, payload: { amount: 200.25, reference: `wire_${id}` } },
  ];
  for (const s of steps) {
    const res = await t.request({ method: 'POST', url: s.url, org, payload: s.payload });
    expect(res.statusCode, `${s.url}: ${res.body}`).toBe(201);
  }
  return id;
}
