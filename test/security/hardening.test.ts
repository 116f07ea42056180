import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, uniqueOrg } from '../helpers/app.js';
import { PG_ADMIN_URL } from '../helpers/database.js';
import { postCustomer, useTestApp } from '../helpers/fixtures.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { customerWithEverything, expectProblem, uniqueEmail } from './security.helpers.js';

const HELMET_HEADERS: Record<string, string | RegExp> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'strict-transport-security': /^max-age=\d+/,
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'x-xss-protection': '0',
};

function expectSecurityHeaders(res: LightMyRequestResponse, context: string) {
  for (const [name, value] of Object.entries(HELMET_HEADERS)) {
    const actual = res.headers[name];
    const where = `${context}: ${name}`;
    if (typeof value === 'string') expect(actual, where).toBe(value);
    else expect(String(actual), where).toMatch(value);
  }
  expect(res.headers['x-powered-by'], `${context}: x-powered-by`).toBeUndefined();
}

describe('security headers', () => {
  const t = useTestApp({ relay: false });
  let customerId: string;
  beforeAll(async () => {
    customerId = await customerWithEverything(t);
  });

  it('when any response leaves, success or error, then the helmet headers are on it', async () => {
    const responses: [string, LightMyRequestResponse][] = [
      ['200 list', await t.request({ method: 'GET', url: '/v1/customers' })],
      ['200 customer', await t.request({ method: 'GET', url: `/v1/customers/${customerId}` })],
      [
        '201 create',
        await t.request({
          method: 'POST',
          url: '/v1/customers',
          payload: { customer_type: 'b2c', name: 'Headers', email: uniqueEmail() },
        }),
      ],
      ['400 schema', await t.request({ method: 'POST', url: '/v1/customers', payload: { name: 1 } })],
      ['401 no token', await t.app.inject({ method: 'GET', url: '/v1/customers' })],
      ['403 role', await t.request({ method: 'PUT', url: '/v1/loyalty/program', roles: [], payload: {} })],
      ['404 customer', await t.request({ method: 'GET', url: '/v1/customers/cust_nobody' })],
      ['404 route', await t.app.inject({ method: 'GET', url: '/nothing-here' })],
      [
        '415 media type',
        await t.request({
          method: 'POST',
          url: '/v1/customers',
          payload: 'x',
          headers: { 'content-type': 'text/plain' },
        }),
      ],
      ['200 health', await t.app.inject({ method: 'GET', url: '/health/live' })],
      ['200 openapi', await t.app.inject({ method: 'GET', url: '/openapi.json' })],
      ['200 metrics', await t.app.inject({ method: 'GET', url: '/metrics' })],
    ];
    for (const [context, res] of responses) {
      expectSecurityHeaders(res, context);
      expect(res.headers['x-request-id'], context).toBeTruthy();
    }
  });
});

describe('rate limiting per organization', () => {
  const t = useTestApp({ env: { RATE_LIMIT_PER_MINUTE: '5' }, relay: false });

  it('when organization A makes its 6th request in a minute, then 429 problem details, while B is still served', async () => {
    const orgA = uniqueOrg();
    const orgB = uniqueOrg();
    for (let i = 1; i <= 5; i += 1) {
      const res = await t.request({ method: 'GET', url: '/v1/customers', org: orgA });
      expect(res.statusCode, `request ${i}`).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('5');
      expect(res.headers['x-ratelimit-remaining']).toBe(String(5 - i));
    }
    const limited = await t.request({ method: 'GET', url: '/v1/customers', org: orgA });
    expect(limited.statusCode).toBe(429);
    const body = expectProblem(limited, '6th request of A', true);
    expect(body).toMatchObject({ status: 429, type: 'https://customer-service.dev/problems/rate-limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expectSecurityHeaders(limited, '429');

    // Writes count against the same budget, and another user of A shares it: the key is the organization.
    const write = await t.request({
      method: 'POST',
      url: '/v1/customers',
      org: orgA,
      sub: 'another_user',
      payload: { customer_type: 'b2c', name: 'Late', email: uniqueEmail() },
    });
    expect(write.statusCode).toBe(429);
    const rows = await t.db.query('SELECT 1 FROM customers WHERE organization_id = $1', [orgA]);
    expect(rows.rows).toEqual([]);

    const other = await t.request({ method: 'GET', url: '/v1/customers', org: orgB });
    expect(other.statusCode).toBe(200);
    // Operations endpoints are outside /v1 and its limit: probes keep working.
    expect((await t.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });
});

describe('what error bodies reveal', () => {
  const t = useTestApp({ relay: false });
  let customerId: string;
  beforeAll(async () => {
    customerId = await customerWithEverything(t);
  });

  it('when a sample of client errors is provoked, then no body carries a stack trace, SQL, a file path or a driver message', async () => {
    const existing = (await t.request({ method: 'GET', url: `/v1/customers/${customerId}` })).json();
    const base = `/v1/customers/${customerId}`;
    const json = { 'content-type': 'application/json' };
    const samples: [string, Promise<LightMyRequestResponse>][] = [
      ['400 schema', t.request({ method: 'POST', url: '/v1/customers', payload: { customer_type: 'x', name: '' } })],
      ['400 bad JSON', t.request({ method: 'POST', url: '/v1/customers', payload: '{"name":', headers: json })],
      ['400 empty JSON', t.request({ method: 'POST', url: '/v1/customers', payload: '', headers: json })],
      [
        '400 proto',
        t.request({ method: 'POST', url: '/v1/customers', payload: '{"__proto__":{"x":1}}', headers: json }),
      ],
      ['400 cursor', t.request({ method: 'GET', url: '/v1/customers?cursor=zzz' })],
      ['400 NUL', t.request({ method: 'PATCH', url: base, payload: { name: 'a\u0000' } })],
      ['401', t.app.inject({ method: 'GET', url: '/v1/customers', headers: { authorization: 'Bearer a.b.c' } })],
      ['403', t.request({ method: 'POST', url: `${base}/credit`, roles: [], payload: {} })],
      ['404', t.request({ method: 'GET', url: '/v1/customers/cust_nobody/credit' })],
      [
        '409 unique email (a unique index violation inside)',
        t.request({
          method: 'POST',
          url: '/v1/customers',
          payload: { customer_type: 'b2c', name: 'Dup', email: existing.email },
        }),
      ],
      [
        '409 credit exists',
        t.request({ method: 'POST', url: `${base}/credit`, payload: { credit_limit: 1, payment_term_days: 1 } }),
      ],
      ['409 loyalty exists', t.request({ method: 'POST', url: `${base}/loyalty` })],
      [
        '422 insufficient points',
        t.request({ method: 'POST', url: `${base}/loyalty/redeem`, payload: { points: 1e9 } }),
      ],
      [
        '422 over the limit',
        t.request({ method: 'POST', url: `${base}/credit/usages`, payload: { order_id: 'big', amount: 999_999 } }),
      ],
      ['422 overpayment', t.request({ method: 'POST', url: `${base}/credit/payments`, payload: { amount: 999_999 } })],
      [
        '413',
        t.request({
          method: 'POST',
          url: '/v1/customers',
          payload: JSON.stringify({ n: 'x'.repeat(1_100_000) }),
          headers: json,
        }),
      ],
      [
        '415',
        t.request({ method: 'POST', url: '/v1/customers', payload: 'a=b', headers: { 'content-type': 'text/csv' } }),
      ],
    ];
    for (const [context, pending] of samples) {
      const res = await pending;
      expect(res.statusCode, `${context}: ${res.body}`).toBe(Number(context.slice(0, 3)));
      expectProblem(res, context, true);
    }
  });

  it('when a handler fails unexpectedly, then 500 problem details with a generic detail, and the log has it with the request id', async () => {
    const log: Record<string, unknown>[] = [];
    const own = await startTestApp({
      relay: false,
      log,
      routes: (app) =>
        app.get('/v1/boom', async () => {
          throw new Error('SELECT secret FROM customers at /work/main/src/x.ts:1:1 node_modules/pg');
        }),
    });
    try {
      const res = await own.app.inject({ method: 'GET', url: '/v1/boom', headers: { 'x-request-id': 'req-boom-1' } });
      expect(res.statusCode).toBe(500);
      const body = expectProblem(res, '500', true);
      expect(body).toEqual({
        type: 'https://customer-service.dev/problems/internal-error',
        title: 'Internal error',
        status: 500,
        detail: 'An unexpected error occurred.',
      });
      const logged = log.find((l) => l.reqId === 'req-boom-1' && l.level === 50);
      expect(logged, 'the 500 is logged with its request id').toBeDefined();
      expect(JSON.stringify(logged)).toContain('SELECT secret FROM customers');
    } finally {
      await own.close();
    }
  });
});

describe('when the database is unreachable', () => {
  it('when the pool is closed, then every /v1 endpoint answers 503 problem details with Retry-After and nothing internal', async () => {
    const own = await startTestApp({ relay: false });
    try {
      const created = await postCustomer(own, {
        customer_type: 'b2b',
        name: 'Before the outage',
        email: uniqueEmail(),
      });
      expect(created.statusCode).toBe(201);
      const id = created.json().customer_id;
      await own.closeDb();

      const calls: ['GET' | 'POST', string, object?][] = [
        ['GET', '/v1/customers'],
        ['GET', `/v1/customers/${id}`],
        ['POST', '/v1/customers', { customer_type: 'b2c', name: 'During', email: uniqueEmail() }],
        ['POST', `/v1/customers/${id}/loyalty/earn`, { points: 1, reference_type: 'p', reference_id: 'x' }],
        ['GET', `/v1/customers/${id}/credit/usages`],
        ['POST', `/v1/customers/${id}/credit`, { credit_limit: 10, payment_term_days: 1 }],
        ['GET', '/v1/loyalty/program'],
      ];
      for (const [method, url, payload] of calls) {
        const res = await own.request({ method, url, payload });
        expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(503);
        const body = expectProblem(res, `${method} ${url}`, true);
        expect(body.type).toBe('https://customer-service.dev/problems/service-unavailable');
        expect(res.headers['retry-after']).toBe('1');
      }
      const ready = await own.app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ status: 'unavailable', database: 'down' });
      expect((await own.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
      expect((await own.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    } finally {
      await own.close();
    }
  });

  it('when the network to PostgreSQL is cut, then 503 problem details, and service resumes when it is back', async () => {
    const target = new URL(PG_ADMIN_URL);
    const proxy = await TcpProxy.start(Number(target.port || 5432), target.hostname);
    const own = await startTestApp({
      relay: false,
      databaseUrl: (url) => proxy.url(url),
    });
    try {
      expect((await own.request({ method: 'GET', url: '/v1/customers' })).statusCode).toBe(200);
      proxy.cut();
      for (const [method, url, payload] of [
        ['GET', '/v1/customers', undefined],
        ['POST', '/v1/customers', { customer_type: 'b2c', name: 'Cut', email: uniqueEmail() }],
      ] as const) {
        const res = await own.request({ method, url, payload });
        expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(503);
        expectProblem(res, `${method} ${url} during the cut`, true);
      }
      proxy.restore();
      let status = 0;
      for (let i = 0; i < 20 && status !== 200; i += 1) {
        status = (await own.request({ method: 'GET', url: '/v1/customers' })).statusCode;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
    } finally {
      await own.close();
      await proxy.close();
    }
  });
});
