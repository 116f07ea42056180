import { createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import net from 'node:net';
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_JWT_SECRET, uniqueOrg } from '../helpers/app.js';
import { answeredRequests, recordFigures } from '../helpers/figures.js';
import { useTestApp } from '../helpers/fixtures.js';
import {
  craftToken,
  customerWithEverything,
  type Endpoint,
  expectProblem,
  failingFields,
  isDocumented5xx,
  nowSeconds,
  openApiOperations,
  operationsEndpoints,
  uniqueEmail,
  v1Endpoints,
} from './security.helpers.js';

/** Fixed so a failure replays; FC_SEED=… explores other inputs. fast-check prints the seed and path on failure. */
const SEED = Number(process.env.FC_SEED ?? 20_251_124);
const RUNS = Number(process.env.FC_RUNS ?? 300);

const t = useTestApp({ relay: false });
/** The customer the fixed tests below use. */
let customerId: string;
/** The generated requests' own customer: they may anonymize it (their tokens can hold privacy_officer). */
let fuzzedId: string;
let sent = 0;

beforeAll(async () => {
  customerId = await customerWithEverything(t);
  fuzzedId = await customerWithEverything(t);
});
afterAll(async () => {
  const answered = await answeredRequests(t.app);
  recordFigures('hostile input', {
    requests: sent,
    answered_4xx: answered['4xx'] ?? 0,
    answered_5xx: answered['5xx'] ?? 0,
  });
});

type Auth = { kind: 'token'; roles: string[] } | { kind: 'header'; value: string | undefined };

async function send(
  opts: InjectOptions & { auth?: Auth; org?: string; roles?: string[]; sub?: string },
): Promise<LightMyRequestResponse> {
  sent += 1;
  const { auth, ...rest } = opts;
  if (auth?.kind === 'header') {
    const headers = { ...(rest.headers as Record<string, string>) };
    if (auth.value !== undefined) headers.authorization = auth.value;
    return t.app.inject({ ...rest, headers });
  }
  return t.request({ ...rest, roles: auth?.kind === 'token' ? auth.roles : rest.roles });
}

function expectNo5xx(res: LightMyRequestResponse, context: string) {
  const url = context.split(' ')[1] ?? '';
  if (res.statusCode >= 500) {
    expect(isDocumented5xx(url, res.statusCode), `${context} → ${res.statusCode} ${res.body.slice(0, 300)}`).toBe(true);
  }
  if (res.statusCode >= 400 && !context.startsWith('HEAD')) expectProblem(res, context);
}

/** `encodeURIComponent`, or an encoded lone surrogate for the strings it refuses. */
function encode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
}

const defaultProgram = {
  earn_points_per_currency_unit: 1,
  redeem_points_per_currency_unit: 100,
  tiers: [
    { name: 'bronze', min_lifetime_points: 0 },
    { name: 'silver', min_lifetime_points: 500 },
    { name: 'gold', min_lifetime_points: 1000 },
    { name: 'platinum', min_lifetime_points: 5000 },
  ],
};

let serial = 0;
/** A valid body per endpoint that takes one; the generators break it. */
function baseline(e: Endpoint): Record<string, unknown> | undefined {
  serial += 1;
  const tail = e.path.replace('/v1/customers/{customer_id}', '');
  switch (`${e.method} ${e.path === '/v1/customers' ? e.path : tail}`) {
    case 'POST /v1/customers':
      return {
        customer_type: 'b2c',
        name: 'Ana Pérez',
        email: uniqueEmail(),
        tax_id: '8-123-456',
        enroll_loyalty: true,
      };
    case 'PATCH ':
      return { name: 'Ana B', tax_id: null };
    case 'POST /loyalty/earn':
      return { points: 5, reference_type: 'purchase', reference_id: `fc_${serial}` };
    case 'POST /loyalty/redeem':
      return { points: 1, reference_type: 'reward', reference_id: `fc_${serial}` };
    case 'PUT /v1/loyalty/program':
      return structuredClone(defaultProgram);
    case 'POST /credit':
      return { credit_limit: 100, payment_term_days: 30 };
    case 'PATCH /credit':
      return { credit_limit: 5000, payment_term_days: 45 };
    case 'POST /credit/usages':
      return { order_id: `fc_${serial}`, amount: 0.01 };
    case 'POST /credit/payments':
      return { amount: 0.01, reference: 'wire' };
    case 'POST /credit/hold':
      return { note: 'manual' };
    case 'POST /anonymization':
      return { reason: 'request' };
    default:
      return undefined;
  }
}

const bodyEndpoints = v1Endpoints.filter((e) => baseline(e) !== undefined);

const NASTY = [
  "'; DROP TABLE customers; --",
  "' OR '1'='1",
  '\\',
  '%',
  '_',
  '"',
  '$1',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  '😀',
  '\u202e',
  '\ufeff',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '#{7*7}{{7*7}}',
  '',
  ' ',
  'null',
  '__proto__',
];

const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 201, max: 20_000 }).map((n) => 'x'.repeat(n)) },
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  {
    weight: 1,
    arbitrary: fc.constantFrom(0, -1, 1.005, 0.001, 1e12, 999999999999.99, 1e308, 2 ** 53 + 2, 1_000_000_001),
  },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 3 }) },
);

const EXTRA_KEYS = ['organization_id', 'customer_id', 'extra', '__proto__', 'constructor', 'prototype', 'outstanding'];

/** A valid body with some fields replaced by hostile values, removed, or added (own `__proto__` included). */
function mutatedBody(e: Endpoint): fc.Arbitrary<string> {
  const keys = [...Object.keys(baseline(e) ?? {}), ...EXTRA_KEYS];
  const edit = fc.tuple(fc.constantFrom(...keys), fc.option(hostileValue, { nil: undefined, freq: 5 }));
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    const body: Record<string, unknown> = baseline(e) ?? {};
    for (const [key, value] of edits) {
      if (value === undefined) delete body[key];
      else Object.defineProperty(body, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return JSON.stringify(body);
  });
}

const rawBody: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    '[',
    '}',
    'null',
    'true',
    '0',
    '"x"',
    '[]',
    '{}',
    '{"a":1,"a":2}',
    '\ufeff{}',
    '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
  ),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.integer({ min: 1, max: 3000 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
  fc.integer({ min: 1, max: 3000 }).map((d) => `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`),
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
);

const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/merge-patch+json',
      'application/json; charset=latin1',
      'application/json; charset="utf-16"',
      'application/json;',
      'text/plain',
      'text/html',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/vnd.api+json',
      'application/json, text/plain',
      '*/*',
      ';',
      '',
    ),
  },
);

const hostileSegment = fc.oneof(
  fc.constantFrom(
    '..',
    '../..',
    '..%2F..%2Fetc%2Fpasswd',
    '%2e%2e',
    '%00',
    'cust_%00',
    '%',
    '%zz',
    '%E0%A4%A',
    '%ED%A0%80',
    '%C0%AF',
    '%FF',
    '%0d%0aX-Injected:%201',
    ';',
    '*',
    "cust_'%20OR%20'1'%3D'1",
    'cust_%3B%20DROP%20TABLE%20customers%3B%20--',
    '$1',
    '%7Bcustomer_id%7D',
    'cust_%25',
    'cust_%5F',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }).map(encode),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map(encode),
  fc.constantFrom(64, 65, 100, 101, 300, 5000).map((n) => 'a'.repeat(n)),
);

const queryKey = fc.oneof(
  fc.constantFrom('limit', 'cursor', 'email', 'phone', 'q', 'customer_type', '__proto__', 'constructor', 'a[b]', 'q[]'),
  fc.string({ unit: 'grapheme-ascii', maxLength: 10 }).map(encode),
);
const queryValue = fc.oneof(
  fc.constantFrom('0', '-1', '1', '100', '101', '1e3', '2.5', '%00', '%', '%zz', '%E0%A4%A', 'b2c', 'b2x', 'czE', ''),
  fc.constantFrom('czk5OTk5OTk5OTk5OTk5OQ', 'czE4NDQ2NzQ0MDczNzA5NTUxNjE2', 'cy0x', 'czAx'),
  hostileString.map(encode),
);
const queryString = fc.option(
  fc
    .array(fc.tuple(queryKey, queryValue), { minLength: 1, maxLength: 4 })
    .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`),
  { nil: '', freq: 2 },
);

const latin1 = fc.string({
  unit: fc
    .integer({ min: 0x20, max: 0xff })
    .filter((c) => c !== 0x7f)
    .map((c) => String.fromCharCode(c)),
  maxLength: 40,
});
const idempotencyKey = fc.option(
  fc.oneof(latin1, fc.constantFrom('', 'k'.repeat(255), 'k'.repeat(256), '\u0000', 'a\u0000b', "' OR 1=1 --", '%00')),
  { nil: undefined, freq: 2 },
);
const requestId = fc.option(fc.oneof(latin1, fc.constantFrom('../../etc/passwd', 'r'.repeat(201), 'req-1', '\u0000')), {
  nil: undefined,
  freq: 2,
});
const auth: fc.Arbitrary<Auth> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .subarray(['credit_manager', 'loyalty_admin', 'privacy_officer'])
      .map((roles) => ({ kind: 'token', roles }) as Auth),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        undefined,
        '',
        'Bearer',
        'Bearer x.y.z',
        'Basic YTpi',
        `Bearer ${'a'.repeat(3000)}.b.c`,
        'Bearer a.b.',
      )
      .map((value) => ({ kind: 'header', value }) as Auth),
  },
);

interface HostileRequest {
  method: string;
  url: string;
  payload: string | Buffer | undefined;
  headers: Record<string, string>;
  auth: Auth;
}

/** How fast-check prints a counterexample: a 3,000-level body is shortened. */
function describeRequest(this: HostileRequest): string {
  const body = this.payload === undefined ? '' : String(this.payload);
  const shown = body.length > 300 ? `${body.slice(0, 300)}… (${body.length} characters)` : body;
  return JSON.stringify({ ...this, payload: shown });
}

function hostileRequest(): fc.Arbitrary<HostileRequest> {
  const endpoints = [...v1Endpoints, ...operationsEndpoints];
  return fc.constantFrom(...endpoints).chain((e) => {
    const takesBody = baseline(e) !== undefined;
    const segment = e.path.includes('{file}')
      ? fc.oneof(
          fc.constantFrom('swagger-ui.css', 'index.html', '..%2f..%2fpackage.json', '../../package.json'),
          hostileSegment,
        )
      : fc.oneof(
          { weight: 3, arbitrary: fc.constant(fuzzedId) },
          { weight: 1, arbitrary: fc.constant('cust_aaaaaaaaaaaaaaaaaaaa') },
          { weight: 4, arbitrary: hostileSegment },
        );
    const body = fc.oneof(
      { weight: takesBody ? 6 : 0, arbitrary: takesBody ? mutatedBody(e) : fc.constant(undefined) },
      { weight: 2, arbitrary: rawBody },
      { weight: takesBody ? 1 : 4, arbitrary: fc.constant(undefined) },
    );
    return fc
      .record({
        method: fc.oneof(
          { weight: 9, arbitrary: fc.constant(e.method) },
          { weight: 1, arbitrary: fc.constantFrom('DELETE', 'PUT', 'PATCH', 'POST', 'OPTIONS') },
        ),
        path: segment.map((s) => e.path.replace(/\{[a-z_]+\}/, s)),
        query: queryString,
        payload: body,
        contentType,
        idempotencyKey,
        requestId,
        auth,
      })
      .map((r) => {
        const headers: Record<string, string> = {};
        if (r.payload !== undefined) headers['content-type'] = r.contentType;
        if (r.idempotencyKey !== undefined) headers['idempotency-key'] = r.idempotencyKey;
        if (r.requestId !== undefined) headers['x-request-id'] = r.requestId;
        const request = { method: r.method, url: r.path + r.query, payload: r.payload, headers, auth: r.auth };
        return Object.defineProperty(request, fc.toStringMethod, { value: describeRequest, enumerable: false });
      });
  });
}

describe('generated hostile requests to every endpoint', () => {
  it('when the route table is compared with the OpenAPI document, then it lists every operation', () => {
    const table = [...v1Endpoints, ...operationsEndpoints].map((e) => `${e.method} ${e.path}`);
    for (const op of openApiOperations(t)) expect(table, `${op} is missing from security.helpers.ts`).toContain(op);
  });

  it('when bodies, paths, query strings and headers are hostile, then never a 5xx and every 4xx is problem details', async () => {
    /** Answers of the privacy endpoints to generated tokens holding privacy_officer. */
    const privacy: number[] = [];
    await fc.assert(
      fc.asyncProperty(hostileRequest(), async (r) => {
        const res = await send({
          method: r.method as InjectOptions['method'],
          url: r.url,
          payload: r.payload,
          headers: r.headers,
          auth: r.auth,
        });
        expectNo5xx(res, `${r.method} ${r.url}`);
        const officer = r.auth.kind === 'token' && r.auth.roles.includes('privacy_officer');
        if (officer && /\/(export|anonymization)(\?|$)/.test(r.url)) privacy.push(res.statusCode);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // The privacy endpoints were fuzzed past their role check, not only refused with 403.
    expect(privacy.filter((status) => status !== 403).length).toBeGreaterThan(0);
    const live = await send({ method: 'GET', url: '/health/live', auth: { kind: 'header', value: undefined } });
    expect(live.statusCode).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('request size and shape', () => {
  it('when a body is over 1 MiB, then 413 problem details on every endpoint that takes one', async () => {
    for (const e of bodyEndpoints) {
      const url = e.path.replace('{customer_id}', customerId);
      const payload = JSON.stringify({ name: 'x'.repeat(1_048_577) });
      const res = await send({ method: e.method, url, payload, headers: { 'content-type': 'application/json' } });
      expect(res.statusCode, `${e.method} ${url}`).toBe(413);
      expectProblem(res, `${e.method} ${url}`, true);
    }
  });

  it('when a body is exactly 1 MiB, then it is read and judged by the schema (400), not refused as too large', async () => {
    const pad = 1_048_576 - JSON.stringify({ name: '' }).length;
    const payload = JSON.stringify({ name: 'x'.repeat(pad) });
    expect(Buffer.byteLength(payload)).toBe(1_048_576);
    const res = await send({
      method: 'POST',
      url: '/v1/customers',
      payload,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expectProblem(res, 'POST /v1/customers (1 MiB)');
  });

  it.each([10_000, 100_000])('when JSON is nested %i levels deep, then 400 and the process stays up', async (depth) => {
    const shapes = {
      arrays: '['.repeat(depth) + ']'.repeat(depth),
      objects: `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
      'unterminated arrays': '['.repeat(depth),
      'unterminated objects': '{"a":'.repeat(depth),
    };
    for (const e of bodyEndpoints) {
      const url = e.path.replace('{customer_id}', customerId);
      for (const [shape, payload] of Object.entries(shapes)) {
        const contentType = e.method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
        const res = await send({ method: e.method, url, payload, headers: { 'content-type': contentType } });
        expect(res.statusCode, `${e.method} ${url} with ${depth} ${shape}`).toBe(400);
        expectProblem(res, `${e.method} ${url} with ${depth} ${shape}`, true);
      }
    }
    // The enrolment endpoint declares no body; with an Idempotency-Key its body is hashed, recursively.
    const enroll = `/v1/customers/${customerId}/loyalty`;
    for (const [shape, payload] of Object.entries(shapes)) {
      const res = await send({
        method: 'POST',
        url: enroll,
        payload,
        headers: { 'content-type': 'application/json', 'idempotency-key': `deep-${depth}-${shape}` },
      });
      expect(res.statusCode, `POST ${enroll} with ${depth} ${shape}: ${res.body}`).toBe(400);
    }
    const live = await send({ method: 'GET', url: '/health/live', auth: { kind: 'header', value: undefined } });
    expect(live.statusCode).toBe(200);
  });

  it('when the body is not JSON, then 415 problem details', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
    ]) {
      const res = await send({
        method: 'POST',
        url: '/v1/customers',
        payload: 'a=b',
        headers: { 'content-type': type },
      });
      expect(res.statusCode, type).toBe(415);
      expectProblem(res, `POST /v1/customers as ${type}`, true);
    }
  });
});

describe('prototype poisoning', () => {
  const poisons = {
    '__proto__ at the top': (body: string) => `{"__proto__":{"polluted":"yes"},${body.slice(1)}`,
    '__proto__ nested': (body: string) => `{"x":{"__proto__":{"polluted":"yes"}},${body.slice(1)}`,
    'constructor.prototype': (body: string) => `{"constructor":{"prototype":{"polluted":"yes"}},${body.slice(1)}`,
    'constructor alone': (body: string) => `{"constructor":"x",${body.slice(1)}`,
    'prototype alone': (body: string) => `{"prototype":{"polluted":"yes"},${body.slice(1)}`,
  };

  it('when a body carries __proto__, constructor or prototype keys, then 400 on every endpoint and nothing is polluted', async () => {
    for (const e of bodyEndpoints) {
      const url = e.path.replace('{customer_id}', customerId);
      for (const [name, poison] of Object.entries(poisons)) {
        const payload = poison(JSON.stringify(baseline(e)));
        const res = await send({
          method: e.method,
          url,
          payload,
          headers: { 'content-type': 'application/json' },
          roles: ['credit_manager', 'loyalty_admin', 'privacy_officer'],
        });
        expect(res.statusCode, `${e.method} ${url}: ${name}: ${res.body}`).toBe(400);
        expectProblem(res, `${e.method} ${url}: ${name}`, true);
      }
    }
    const program = `{"earn_points_per_currency_unit":1,"redeem_points_per_currency_unit":100,"tiers":[{"__proto__":{"polluted":"yes"},"name":"bronze","min_lifetime_points":0}]}`;
    const res = await send({
      method: 'PUT',
      url: '/v1/loyalty/program',
      payload: program,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);

    const query = await send({
      method: 'GET',
      url: '/v1/customers?__proto__[polluted]=yes&constructor[prototype][polluted]=yes',
    });
    expect(query.statusCode).toBe(400);

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
    const list = await send({ method: 'GET', url: '/v1/customers' });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('polluted');
  });
});

describe('SQL metacharacters and text PostgreSQL cannot store', () => {
  const metachars = ["'; DROP TABLE customers; --", "' OR '1'='1", '\\', '%', '_', '"', '$1', '😀'];
  /** NUL is refused by PostgreSQL; a lone surrogate would be silently replaced by U+FFFD. */
  const unstorable = ['\u0000', 'a\u0000b', '\ud800', 'x\udfff'];

  /**
   * Accepted and stored exactly as sent, or refused with a 400 naming the field: never a 5xx. Returns whether it
   * was accepted.
   */
  async function expectVerbatimOr400(
    res: LightMyRequestResponse,
    field: string,
    sent: string,
    stored: () => unknown,
  ): Promise<boolean> {
    const context = `${field} = ${JSON.stringify(sent)} → ${res.statusCode} ${res.body.slice(0, 200)}`;
    if (res.statusCode === 400) {
      expectProblem(res, context);
      expect(failingFields(res), context).toContain(field);
      return false;
    }
    expect(res.statusCode, context).toBeLessThan(300);
    expect(await stored(), context).toBe(sent);
    return true;
  }

  it('when customer fields carry metacharacters, then creating and patching both store them verbatim or both refuse them with 400', async () => {
    let i = 0;
    const outcomes = new Set<boolean>();
    for (const v of metachars) {
      i += 1;
      // The value a create sends and the one a patch sends differ only where no rule looks (the patch's email and
      // phone must not be the created customer's: they are unique). The patch's email is the created one read as a
      // LIKE pattern (`_` for its first letter): a uniqueness check with wildcards would refuse it.
      const values: Record<string, (who: 'a' | 'b') => string> = {
        name: (who) => `Ana ${v} Pérez ${who}`,
        email: (who) => `${who === 'a' ? 'a' : '_'}${v}${i}@example.com`,
        phone: (who) => `+507 6${who === 'a' ? '0' : '1'}00-${String(1000 + i)}${v}`,
        tax_id: (who) => `8-${v}-${i}${who}`,
      };
      for (const [field, value] of Object.entries(values)) {
        const payload = { customer_type: 'b2c', name: 'Ana', email: uniqueEmail(), [field]: value('a') };
        const created = await send({ method: 'POST', url: '/v1/customers', payload });
        const createdOk = await expectVerbatimOr400(created, field, value('a'), async () => {
          const read = await send({ method: 'GET', url: `/v1/customers/${created.json().customer_id}` });
          expect(created.json()[field]).toBe(value('a'));
          return read.json()[field];
        });
        const patched = await send({
          method: 'PATCH',
          url: `/v1/customers/${customerId}`,
          payload: { [field]: value('b') },
        });
        const patchedOk = await expectVerbatimOr400(patched, field, value('b'), async () => {
          const read = await send({ method: 'GET', url: `/v1/customers/${customerId}` });
          expect(patched.json()[field]).toBe(value('b'));
          return read.json()[field];
        });
        expect(patchedOk, `${field} = ${JSON.stringify(value('b'))}: the patch and the create agree`).toBe(createdOk);
        outcomes.add(createdOk);
      }
    }
    // Both ways were seen: some values are stored, some refused.
    expect([...outcomes].sort()).toEqual([false, true]);
  });

  it('when loyalty and credit text fields carry metacharacters, then they are stored verbatim or refused with 400', async () => {
    const base = `/v1/customers/${customerId}`;
    let i = 0;
    for (const v of metachars) {
      i += 1;
      const earn = await send({
        method: 'POST',
        url: `${base}/loyalty/earn`,
        payload: { points: 1, reference_type: `purchase${v}`, reference_id: `${v}-${i}` },
      });
      await expectVerbatimOr400(earn, 'reference_type', `purchase${v}`, async () => {
        const ledger = await send({ method: 'GET', url: `${base}/loyalty/transactions?limit=1` });
        const entry = ledger.json().items[0];
        expect(entry).toMatchObject({ transaction_id: earn.json().transaction_id, reference_id: `${v}-${i}` });
        return entry.reference_type;
      });
      const usage = await send({
        method: 'POST',
        url: `${base}/credit/usages`,
        payload: { order_id: `o${v}${i}`, amount: 0.02 },
      });
      await expectVerbatimOr400(usage, 'order_id', `o${v}${i}`, () => usage.json().order_id);
      const payment = await send({
        method: 'POST',
        url: `${base}/credit/payments`,
        payload: { amount: 0.01, reference: `w${v}` },
      });
      await expectVerbatimOr400(payment, 'reference', `w${v}`, () => payment.json().reference);
    }
  });

  it('when text fields carry NUL or a lone surrogate, then 400 naming the field (not 500, not altered)', async () => {
    const base = `/v1/customers/${customerId}`;
    for (const v of unstorable) {
      const cases: [InjectOptions['method'], string, Record<string, unknown>, string][] = [
        ['POST', '/v1/customers', { customer_type: 'b2c', name: `n${v}`, email: uniqueEmail() }, 'name'],
        ['POST', '/v1/customers', { customer_type: 'b2c', name: 'n', email: uniqueEmail(), tax_id: `t${v}` }, 'tax_id'],
        ['PATCH', base, { name: `n${v}` }, 'name'],
        ['PATCH', base, { tax_id: `t${v}` }, 'tax_id'],
        ['POST', `${base}/loyalty/earn`, { points: 1, reference_type: `p${v}`, reference_id: 'x' }, 'reference_type'],
        ['POST', `${base}/loyalty/earn`, { points: 1, reference_type: 'p', reference_id: `x${v}` }, 'reference_id'],
        ['POST', `${base}/loyalty/redeem`, { points: 1, reference_type: 'p', reference_id: `x${v}` }, 'reference_id'],
        ['POST', `${base}/credit/usages`, { order_id: `o${v}`, amount: 1 }, 'order_id'],
        ['POST', `${base}/credit/payments`, { amount: 0.01, reference: `w${v}` }, 'reference'],
      ];
      for (const [method, url, payload, field] of cases) {
        const res = await send({ method, url, payload });
        const context = `${method} ${url} ${field}=${JSON.stringify(payload[field])}`;
        expect(res.statusCode, `${context}: ${res.body}`).toBe(400);
        expectProblem(res, context);
        expect(failingFields(res), context).toContain(field);
      }
    }
    for (const [url, field] of [
      ['/v1/customers?q=a%00b', 'querystring.q'],
      ['/v1/customers?email=a%00b', 'querystring.email'],
      ['/v1/customers?phone=%2B507%00', 'querystring.phone'],
      [`/v1/customers/cust_%00`, 'params.customer_id'],
      [`/v1/customers/cust_%00/credit/usages`, 'params.customer_id'],
      [`/v1/customers/${customerId}/credit/usages?cursor=%00`, 'querystring.cursor'],
    ] as const) {
      const res = await send({ method: 'GET', url });
      expect(res.statusCode, `GET ${url}: ${res.body}`).toBe(400);
      expect(failingFields(res), url).toContain(field);
    }
    const key = await send({
      method: 'POST',
      url: '/v1/customers',
      payload: { customer_type: 'b2c', name: 'n', email: uniqueEmail() },
      headers: { 'idempotency-key': 'k\u0000' },
    });
    expect(key.statusCode).toBe(400);
    expect(failingFields(key)).toContain('headers.idempotency-key');
  });

  it('when filters and cursors carry metacharacters, then they match literally or are refused with 400, and nothing else is listed', async () => {
    const org = uniqueOrg();
    const people = [
      { name: '100% algodón', email: 'pct%@example.com' },
      { name: 'snake_case S.A.', email: 'snake_@example.com' },
      { name: 'back\\slash', email: uniqueEmail() },
      { name: 'plain name', email: uniqueEmail(), phone: '+507 6000-1234' },
    ];
    for (const person of people) {
      const res = await send({
        org,
        method: 'POST',
        url: '/v1/customers',
        payload: { customer_type: 'b2c', ...person },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    // Another organization's customer, newer than them all: a page after a cursor must not reach it.
    const other = await send({
      method: 'POST',
      url: '/v1/customers',
      payload: { customer_type: 'b2c', name: 'plain name', email: 'pct%@example.com', phone: '+507 6000-1234' },
    });
    expect(other.statusCode, other.body).toBe(201);
    const names = people.map((p) => p.name);
    /** The names `query` lists in `org` (a 200 is required). */
    const listed = async (query: string) => {
      const res = await send({ method: 'GET', url: `/v1/customers?limit=100&${query}`, org });
      expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
      return (res.json().items as { name: string }[]).map((c) => c.name);
    };
    const search = (q: string) => listed(`q=${encodeURIComponent(q)}`);
    expect(await search('%')).toEqual(['100% algodón']);
    expect(await search('_')).toEqual(['snake_case S.A.']);
    expect(await search('\\')).toEqual(['back\\slash']);
    expect(await search("'; DROP TABLE customers; --")).toEqual([]);

    // email is one address, case-insensitively; phone is compared by its digits. Metacharacters are plain text.
    const email = (v: string) => listed(`email=${encodeURIComponent(v)}`);
    const phone = (v: string) => listed(`phone=${encodeURIComponent(v)}`);
    for (const v of metachars) {
      expect(await email(v), `email=${v}`).toEqual([]);
      expect(await phone(v), `phone=${v}`).toEqual([]);
    }
    expect(await email('PCT%@EXAMPLE.COM')).toEqual(['100% algodón']);
    expect(await email('snake_@example.com')).toEqual(['snake_case S.A.']);
    for (const v of ['%@example.com', '%', 'pct_@example.com', 's_ake_@example.com', "pct%@example.com' OR '1'='1"]) {
      expect(await email(v), `email=${v}`).toEqual([]);
    }
    expect(await phone('507-6000-1234')).toEqual(['plain name']);
    expect(await phone("+507 6000-1234' OR '1'='1")).toEqual([]);
    expect(await phone('+507 6000-123%')).toEqual([]);

    // Cursors are sealed by the service: anything else is refused (400 naming it); one it gave out pages on
    // through that list's own items, never another list's or organization's.
    const usage = await send({
      method: 'POST',
      url: `/v1/customers/${customerId}/credit/usages`,
      payload: { order_id: `cursor_${org}`, amount: 0.02 },
    });
    expect(usage.statusCode, usage.body).toBe(201);
    const lists = [
      { url: '/v1/customers', org, key: 'customer_id' },
      { url: `/v1/customers/${customerId}/loyalty/transactions`, org: t.org, key: 'transaction_id' },
      { url: `/v1/customers/${customerId}/credit/usages`, org: t.org, key: 'usage_id' },
    ];
    for (const list of lists) {
      const get = (query: string) => send({ method: 'GET', url: `${list.url}?${query}`, org: list.org });
      const all = await get('limit=100');
      expect(all.statusCode, all.body).toBe(200);
      expect(all.json().next_cursor ?? null, `${list.url} fits one page`).toBeNull();
      const own = (all.json().items as Record<string, string>[]).map((item) => item[list.key]);
      expect(own.length, list.url).toBeGreaterThan(1);
      for (const v of [...metachars, 'czk5OTk5OTk5OTk5OTk5OTk5OQ', 'cy0x', 'czE4NDQ2NzQ0MDczNzA5NTUxNjE2']) {
        const res = await get(`limit=100&cursor=${encodeURIComponent(v)}`);
        const context = `${list.url} cursor=${v}: ${res.body.slice(0, 200)}`;
        expect(res.statusCode, context).toBe(400);
        expect(failingFields(res), context).toContain('querystring.cursor');
      }
      const first = await get('limit=1');
      expect(first.statusCode, first.body).toBe(200);
      const rest = await get(`limit=100&cursor=${encodeURIComponent(first.json().next_cursor)}`);
      expect(rest.statusCode, rest.body).toBe(200);
      const paged = [...first.json().items, ...rest.json().items].map((item: Record<string, string>) => item[list.key]);
      expect(paged, list.url).toEqual(own);
    }

    // The table and this organization's rows are still there.
    const count = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM customers WHERE organization_id = $1',
      [org],
    );
    expect(count.rows[0]?.n).toBe(names.length);
  });
});

async function countCustomers(): Promise<number> {
  const res = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers');
  return res.rows[0]?.n ?? 0;
}

describe('bearer tokens', () => {
  const secret = createSecretKey(Buffer.from(TEST_JWT_SECRET));
  const claims = () => ({ org: t.org, sub: 'user_test', roles: [], iat: nowSeconds(), exp: nowSeconds() + 600 });

  async function expect401(authorization: string | undefined, why: string, method: 'GET' | 'POST' = 'GET') {
    const res = await send({
      method,
      url: '/v1/customers',
      payload: method === 'POST' ? { customer_type: 'b2c', name: 'x', email: uniqueEmail() } : undefined,
      auth: { kind: 'header', value: authorization },
    });
    expect(res.statusCode, `${why}: ${res.body}`).toBe(401);
    expectProblem(res, why, true);
    expect(res.headers['www-authenticate']).toBe('Bearer');
  }

  it('when the token is missing, malformed, forged, expired or unsigned, then 401 problem details', async () => {
    const valid = await t.token();
    const [h, p] = valid.split('.');
    const cases: [string | undefined, string][] = [
      [undefined, 'no Authorization header'],
      ['', 'empty header'],
      ['Bearer', 'scheme only'],
      [valid, 'token without scheme'],
      [`Basic ${Buffer.from('a:b').toString('base64')}`, 'basic auth'],
      [`Bearer ${valid} extra`, 'trailing junk'],
      [`Bearer ${h}.${p}`, 'two parts'],
      [`Bearer ${h}.${p}.`, 'signature stripped'],
      [
        `Bearer ${craftToken({ alg: 'HS256', typ: 'JWT' }, claims(), 'another-secret-that-is-long-enough-123')}`,
        'another secret',
      ],
      [`Bearer ${craftToken({ alg: 'HS256' }, { ...claims(), exp: nowSeconds() - 60 }, TEST_JWT_SECRET)}`, 'expired'],
      [
        `Bearer ${craftToken({ alg: 'HS256' }, { ...claims(), nbf: nowSeconds() + 3600 }, TEST_JWT_SECRET)}`,
        'not yet valid',
      ],
      [`Bearer ${craftToken({ alg: 'none', typ: 'JWT' }, claims(), null)}`, 'alg none'],
      [`Bearer ${craftToken({ alg: 'None' }, claims(), null)}`, 'alg None'],
      [`Bearer ${craftToken({ alg: 'none' }, claims(), TEST_JWT_SECRET)}`, 'alg none with a signature'],
      [
        `Bearer ${h}.${Buffer.from(JSON.stringify({ ...claims(), org: 'org_other' })).toString('base64url')}.${valid.split('.')[2]}`,
        'payload swapped',
      ],
      [
        `Bearer ${await new SignJWT(claims()).setProtectedHeader({ alg: 'HS512' }).sign(createSecretKey(Buffer.from(TEST_JWT_SECRET.repeat(2))))}`,
        'HS512 is not allowed',
      ],
    ];
    for (const [header, why] of cases) await expect401(header, why);
    const expired = craftToken({ alg: 'HS256' }, { ...claims(), exp: nowSeconds() - 60 }, TEST_JWT_SECRET);
    const res = await send({
      method: 'GET',
      url: '/v1/customers',
      auth: { kind: 'header', value: `Bearer ${expired}` },
    });
    expect(res.json().detail).toBe('The token has expired.');
  });

  it('when the claims are missing or not usable, then 401 and nothing is written', async () => {
    const { org: _org, ...withoutOrg } = claims();
    const { sub: _sub, ...withoutSub } = claims();
    const cases: [Record<string, unknown>, string][] = [
      [withoutOrg, 'no org'],
      [withoutSub, 'no sub'],
      [{ ...claims(), org: '' }, 'empty org'],
      [{ ...claims(), org: 42 }, 'numeric org'],
      [{ ...claims(), org: ['a'] }, 'array org'],
      [{ ...claims(), org: 'o'.repeat(201) }, 'org over 200 characters'],
      [{ ...claims(), org: 'org\u0000x' }, 'NUL in org'],
      [{ ...claims(), sub: 'user\u0000x' }, 'NUL in sub'],
      [{ ...claims(), org: 'org\ud800' }, 'lone surrogate in org'],
      [{ ...claims(), roles: 'credit_manager' }, 'roles not an array'],
      [{ ...claims(), roles: [1] }, 'roles not strings'],
    ];
    const before = await countCustomers();
    for (const [c, why] of cases) {
      await expect401(`Bearer ${await new SignJWT(c).setProtectedHeader({ alg: 'HS256' }).sign(secret)}`, why, 'POST');
    }
    expect(await countCustomers()).toBe(before);
  });

  it('when the scheme is written in lower case, then the token is still accepted (RFC 9110 §11.1)', async () => {
    const res = await send({
      method: 'GET',
      url: '/v1/customers',
      auth: { kind: 'header', value: `bearer ${await t.token()}` },
    });
    expect(res.statusCode).toBe(200);
  });

  describe('when the server verifies RS256 (JWT_PUBLIC_KEY)', () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const privateKey: KeyObject = pair.privateKey;
    const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rs = useTestApp({ env: { JWT_PUBLIC_KEY: publicPem, JWT_SECRET: '' }, relay: false });

    const rsClaims = () => ({ org: rs.org, roles: [] as string[] });
    async function call(token: string) {
      sent += 1;
      return rs.app.inject({ method: 'GET', url: '/v1/customers', headers: { authorization: `Bearer ${token}` } });
    }

    it('then an RS256 token of its key is accepted and every HS256 or foreign token is 401', async () => {
      expect(rs.app.auth.mode).toBe('public-key');
      const good = await new SignJWT(rsClaims())
        .setProtectedHeader({ alg: 'RS256' })
        .setSubject('u')
        .setExpirationTime('5m')
        .sign(privateKey);
      expect((await call(good)).statusCode).toBe(200);

      const forged: [string, string][] = [
        [await rs.token(), 'HS256 with the test secret'],
        [
          craftToken({ alg: 'HS256' }, { ...rsClaims(), sub: 'u', exp: nowSeconds() + 60 }, publicPem),
          'HS256 keyed with the public key PEM',
        ],
        [craftToken({ alg: 'none' }, { ...rsClaims(), sub: 'u' }, null), 'alg none'],
        [
          await new SignJWT(rsClaims())
            .setProtectedHeader({ alg: 'RS256' })
            .setSubject('u')
            .setExpirationTime('5m')
            .sign(attacker.privateKey),
          'another RSA key',
        ],
        [
          await new SignJWT(rsClaims())
            .setProtectedHeader({
              alg: 'RS256',
              jwk: attacker.publicKey.export({ format: 'jwk' }) as Record<string, string>,
            })
            .setSubject('u')
            .setExpirationTime('5m')
            .sign(attacker.privateKey),
          'attacker key embedded as jwk',
        ],
        [
          await new SignJWT(rsClaims()).setProtectedHeader({ alg: 'RS256' }).setExpirationTime('5m').sign(privateKey),
          'no sub',
        ],
        [
          await new SignJWT({ roles: [] })
            .setProtectedHeader({ alg: 'RS256' })
            .setSubject('u')
            .setExpirationTime('5m')
            .sign(privateKey),
          'no org',
        ],
      ];
      for (const [token, why] of forged) {
        const res = await call(token);
        expect(res.statusCode, `${why}: ${res.body}`).toBe(401);
        expectProblem(res, why, true);
      }
    });
  });
});

describe('malformed HTTP on a real socket', () => {
  let port: number;
  beforeAll(async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as net.AddressInfo).port;
  });

  function raw(request: string): Promise<string> {
    sent += 1;
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
      let data = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk) => {
        data += chunk;
      });
      socket.on('error', () => resolve(data));
      socket.on('close', () => resolve(data));
      socket.setTimeout(5_000, () => reject(new Error(`no answer to ${JSON.stringify(request.slice(0, 60))}`)));
    });
  }

  function parse(response: string) {
    const [head = '', body = ''] = response.split('\r\n\r\n');
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
    const type = /^content-type:\s*(.*)$/im.exec(head)?.[1] ?? '';
    return { status, type, body };
  }

  it('when the request is not well-formed HTTP, then 400/431 problem details and the server keeps serving', async () => {
    const cases: [string, string, number][] = [
      ['NUL in a header', 'GET /health/live HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n', 400],
      ['headers over 16 KiB', `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
      ['garbage request line', 'HELLO THERE\r\n\r\n', 400],
      ['bad Content-Length', 'POST /v1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n', 400],
      ['CR LF injected into a header', 'GET /health/live HTTP/1.1\r\nHost: x\r\nX-A: a\rInjected: 1\r\n\r\n', 400],
    ];
    for (const [why, request, status] of cases) {
      const res = parse(await raw(request));
      expect(res.status, `${why}: ${res.body}`).toBe(status);
      expect(res.type, `${why}: ${res.body}`).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body)).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
    }
    const live = await fetch(`http://127.0.0.1:${port}/health/live`);
    expect(live.status).toBe(200);
  });

  it('when the path has bad percent-encoding or an over-long parameter, then 400/414 problem details', async () => {
    for (const [url, status] of [
      ['/v1/customers/%E0%A4%A', 400],
      ['/docs/static/%zz', 400],
      [`/v1/customers/${'a'.repeat(101)}`, 414],
    ] as const) {
      const res = await send({ method: 'GET', url });
      expect(res.statusCode, url).toBe(status);
      expectProblem(res, `GET ${url}`, true);
    }
  });
});
