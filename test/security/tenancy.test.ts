import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { uniqueOrg } from '../helpers/app.js';
import { useTestApp } from '../helpers/fixtures.js';
import {
  customerWithEverything,
  type Endpoint,
  expectProblem,
  openApiOperations,
  uniqueEmail,
  v1Endpoints,
} from './security.helpers.js';

const t = useTestApp({ relay: false });
const orgA = uniqueOrg();
const orgB = uniqueOrg();
let customerA: string;
let customerB: string;
const NOBODY = 'cust_aaaaaaaaaaaaaaaaaaaa';

beforeAll(async () => {
  customerB = await customerWithEverything(t, orgB);
  customerA = await customerWithEverything(t, orgA);
  const program = await t.request({
    method: 'PUT',
    url: '/v1/loyalty/program',
    org: orgB,
    payload: {
      earn_points_per_currency_unit: 7,
      redeem_points_per_currency_unit: 50,
      tiers: [
        { name: 'b_basic', min_lifetime_points: 0 },
        { name: 'b_vip', min_lifetime_points: 100 },
      ],
    },
  });
  expect(program.statusCode).toBe(200);
});

function asA(opts: InjectOptions) {
  return t.request({ ...opts, org: orgA, roles: ['credit_manager', 'loyalty_admin', 'privacy_officer'] });
}

/** Everything organization B has, as B reads it through the API and as the database holds it. */
async function stateOfB() {
  const get = async (url: string) => {
    const res = await t.request({ method: 'GET', url, org: orgB });
    expect(res.statusCode, url).toBe(200);
    return res.json();
  };
  const base = `/v1/customers/${customerB}`;
  const tables = [
    'customers',
    'loyalty_accounts',
    'loyalty_transactions',
    'loyalty_programs',
    'credit_accounts',
    'credit_usages',
    'credit_payments',
    'credit_refusals',
    'idempotency_keys',
    'outbox',
  ];
  const rows: Record<string, unknown[]> = {};
  for (const table of tables) {
    // Every column but the relay's bookkeeping (sent_at changes when the outbox is drained; the relay is off here).
    const res = await t.db.query(`SELECT * FROM ${table} WHERE organization_id = $1 ORDER BY 1, 2`, [orgB]);
    rows[table] = res.rows;
  }
  return {
    customer: await get(base),
    ledger: await get(`${base}/loyalty/transactions?limit=100`),
    usages: await get(`${base}/credit/usages?limit=100`),
    payments: await get(`${base}/credit/payments?limit=100`),
    program: await get('/v1/loyalty/program'),
    list: await get('/v1/customers?limit=100'),
    rows,
  };
}

async function outboxCount(where: 'customer_id' | 'organization_id', value: string): Promise<number> {
  const res = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE ${where} = $1`, [value]);
  return res.rows[0]?.n ?? 0;
}

let serial = 0;
/** The request A sends to an endpoint, aimed at `customerId`: valid in every other respect. */
function requestFor(e: Endpoint, customerId: string): InjectOptions {
  serial += 1;
  const path = e.path.replace('{customer_id}', customerId);
  const url = e.path.endsWith('/credit/statement') ? `${path}?from=2020-01-01&to=2030-12-31` : path;
  const bodies: Record<string, object> = {
    'POST /v1/customers': { customer_type: 'b2c', name: 'Tenant A', email: uniqueEmail('a') },
    'PATCH /v1/customers/{customer_id}': { name: 'Hijacked by A', email: uniqueEmail('hijack') },
    'POST /v1/customers/{customer_id}/loyalty/earn': {
      points: 10,
      reference_type: 'purchase',
      reference_id: `a_${serial}`,
    },
    'POST /v1/customers/{customer_id}/loyalty/redeem': { points: 1 },
    'PUT /v1/loyalty/program': {
      earn_points_per_currency_unit: 2,
      redeem_points_per_currency_unit: 100,
      tiers: [{ name: 'a_only', min_lifetime_points: 0 }],
    },
    'POST /v1/customers/{customer_id}/credit': { credit_limit: 1, payment_term_days: 0 },
    'PATCH /v1/customers/{customer_id}/credit': { credit_limit: 999_999, payment_term_days: 1 },
    'POST /v1/customers/{customer_id}/credit/usages': { order_id: `a_${serial}`, amount: 1 },
    'POST /v1/customers/{customer_id}/credit/payments': { amount: 1, reference: 'a' },
    'POST /v1/customers/{customer_id}/anonymization': { reason: 'by A' },
    'POST /v1/customers/{customer_id}/credit/hold': { note: 'by A' },
  };
  const payload = bodies[`${e.method} ${e.path}`];
  return { method: e.method, url, ...(payload === undefined ? {} : { payload }) };
}

/** What a client can tell apart: status and the problem's type, title and detail. */
function visible(res: LightMyRequestResponse) {
  const body = res.json() as Record<string, unknown>;
  return { status: res.statusCode, type: body.type, title: body.title, detail: body.detail };
}

describe('organization A against organization B', () => {
  it('when the route table is compared with the OpenAPI document, then every /v1 operation is covered', () => {
    const table = v1Endpoints.map((e) => `${e.method} ${e.path}`);
    const v1 = openApiOperations(t).filter((op) => op.includes(' /v1/'));
    expect([...v1].sort()).toEqual([...table].sort());
  });

  it("when A aims every endpoint at B's customer, then 404 exactly as for a customer that does not exist, and B is untouched", async () => {
    const before = await stateOfB();
    const outboxOfB = await outboxCount('customer_id', customerB);
    const outboxOfOrgB = await outboxCount('organization_id', orgB);
    expect(outboxOfB).toBeGreaterThan(0);

    const targeted = v1Endpoints.filter((e) => e.path.includes('{customer_id}'));
    expect(targeted.length).toBe(21);
    for (const e of targeted) {
      const res = await asA(requestFor(e, customerB));
      const context = `${e.method} ${e.path} with B's customer`;
      expect(res.statusCode, `${context}: ${res.body}`).toBe(404);
      expectProblem(res, context, true);
      expect(res.body, context).not.toContain(customerB);
      // Indistinguishable from an id nobody has: neither "customer exists, but no loyalty/credit account" nor 403.
      const nobody = await asA(requestFor(e, NOBODY));
      expect(visible(res), context).toEqual(visible(nobody));
      // The same again with an Idempotency-Key: the replay machinery must not leak or write either.
      const keyed = await asA({
        ...requestFor(e, customerB),
        headers: { 'idempotency-key': `a-${e.method}-${e.path}` },
      });
      expect(keyed.statusCode, context).toBe(404);
    }

    expect(await stateOfB()).toEqual(before);
    expect(await outboxCount('customer_id', customerB)).toBe(outboxOfB);
    expect(await outboxCount('organization_id', orgB)).toBe(outboxOfOrgB);
  });

  it("when A lists and filters customers, then B's rows never appear", async () => {
    const b = (await t.request({ method: 'GET', url: `/v1/customers/${customerB}`, org: orgB })).json();
    const queries = [
      '/v1/customers?limit=100',
      `/v1/customers?email=${encodeURIComponent(b.email)}`,
      `/v1/customers?q=${encodeURIComponent(b.email)}`,
      `/v1/customers?q=${encodeURIComponent(b.name)}`,
      '/v1/customers?customer_type=b2b&limit=100',
    ];
    for (const url of queries) {
      const res = await asA({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      const items = res.json().items as { customer_id: string }[];
      expect(
        items.map((c) => c.customer_id),
        url,
      ).not.toContain(customerB);
      expect(res.body, url).not.toContain(b.email);
    }
    // B's cursor (or one forged in the old unsigned format) is refused for A: cursors are signed for their organization.
    const pageB = await t.request({ method: 'GET', url: '/v1/customers?limit=1', org: orgB });
    const cursor = pageB.json().next_cursor ?? Buffer.from('s0').toString('base64url');
    const res = await asA({ method: 'GET', url: `/v1/customers?limit=100&cursor=${cursor}` });
    expect(res.statusCode).toBe(400);
    expect(res.json().type).toMatch(/\/invalid-cursor$/);
    expect(res.body).not.toContain(customerB);

    const ledger = await asA({ method: 'GET', url: `/v1/customers/${customerA}/loyalty/transactions?limit=100` });
    expect(ledger.body).not.toContain(customerB);
    expect(ledger.json().items.length).toBe(2);
  });

  it("when A reads and replaces its loyalty program, then B's program is neither shown nor changed", async () => {
    const read = await asA({ method: 'GET', url: '/v1/loyalty/program' });
    expect(read.statusCode).toBe(200);
    expect(read.json().earn_points_per_currency_unit).toBe(1);
    expect(read.body).not.toContain('b_vip');
    const put = await asA(requestFor({ method: 'PUT', path: '/v1/loyalty/program' }, ''));
    expect(put.statusCode).toBe(200);
    const b = await t.request({ method: 'GET', url: '/v1/loyalty/program', org: orgB });
    expect(b.json()).toMatchObject({
      earn_points_per_currency_unit: 7,
      tiers: [{ name: 'b_basic' }, { name: 'b_vip' }],
    });
  });

  it("when A reuses B's unique values (email, earn reference, order id), then A is not refused: nothing of B is revealed", async () => {
    const b = (await t.request({ method: 'GET', url: `/v1/customers/${customerB}`, org: orgB })).json();
    const sameEmail = await asA({
      method: 'POST',
      url: '/v1/customers',
      payload: { customer_type: 'b2b', name: 'Copy', email: b.email },
    });
    expect(sameEmail.statusCode, sameEmail.body).toBe(201);

    const earn = await asA({
      method: 'POST',
      url: `/v1/customers/${customerA}/loyalty/earn`,
      payload: { points: 5, reference_type: 'purchase', reference_id: `o_${customerB}` },
    });
    expect(earn.statusCode, earn.body).toBe(201);

    const usage = await asA({
      method: 'POST',
      url: `/v1/customers/${customerA}/credit/usages`,
      payload: { order_id: `ord_${customerB}`, amount: 1 },
    });
    expect(usage.statusCode, usage.body).toBe(201);
  });

  it("when A sends B's Idempotency-Key, then A's request runs on its own: B's stored response is never replayed", async () => {
    const key = `shared-key-${Date.now()}`;
    const payload = { customer_type: 'b2c', name: 'Same body', email: uniqueEmail('idem') };
    const first = await t.request({
      method: 'POST',
      url: '/v1/customers',
      org: orgB,
      payload,
      headers: { 'idempotency-key': key },
    });
    expect(first.statusCode).toBe(201);

    const same = await asA({ method: 'POST', url: '/v1/customers', payload, headers: { 'idempotency-key': key } });
    expect(same.statusCode).toBe(201);
    expect(same.headers['idempotent-replayed']).toBeUndefined();
    expect(same.json().customer_id).not.toBe(first.json().customer_id);

    const other = await asA({
      method: 'POST',
      url: '/v1/customers',
      payload: { ...payload, email: uniqueEmail('idem2') },
      headers: { 'idempotency-key': `${key}-b` },
    });
    expect(other.statusCode).toBe(201);
    const differentBody = await t.request({
      method: 'POST',
      url: '/v1/customers',
      org: orgB,
      payload: { ...payload, email: uniqueEmail('idem3') },
      headers: { 'idempotency-key': `${key}-b` },
    });
    expect(differentBody.statusCode, "B's key space is B's own").toBe(201);
  });

  it('when A names an organization in the body or a header, then the token still decides', async () => {
    const body = await asA({
      method: 'POST',
      url: '/v1/customers',
      payload: { customer_type: 'b2c', name: 'Smuggler', email: uniqueEmail('smuggle'), organization_id: orgB },
    });
    expect(body.statusCode).toBe(400);
    expectProblem(body, 'organization_id in the body', true);

    const before = await outboxCount('organization_id', orgB);
    const header = await asA({
      method: 'POST',
      url: '/v1/customers',
      payload: { customer_type: 'b2c', name: 'Smuggler', email: uniqueEmail('smuggle') },
      headers: { 'x-organization-id': orgB, 'organization-id': orgB, 'x-org': orgB },
    });
    expect(header.statusCode).toBe(201);
    const created = await t.db.query<{ organization_id: string }>(
      'SELECT organization_id FROM customers WHERE customer_id = $1',
      [header.json().customer_id],
    );
    expect(created.rows).toEqual([{ organization_id: orgA }]);
    expect(await outboxCount('organization_id', orgB)).toBe(before);

    const list = await asA({ method: 'GET', url: '/v1/customers?limit=100', headers: { 'x-organization-id': orgB } });
    expect((list.json().items as { customer_id: string }[]).map((c) => c.customer_id)).not.toContain(customerB);
  });
});
