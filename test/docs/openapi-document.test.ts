import { readFileSync } from 'node:fs';
import type { FastifySchema } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError, loadConfig } from '../../src/config.js';
import { publicUrl, publishMoneyKeyword, transformRoute } from '../../src/docs/openapi-transform.js';
import { OPERATION_IDS, UNPUBLISHED } from '../../src/docs/operation-ids.js';
import { CONTACT, LICENSE } from '../../src/plugins/docs.plugin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

type Json = Record<string, unknown>;
interface Operation {
  operationId?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
}
interface Document {
  servers?: { url: string }[];
  info: { license?: unknown; contact?: unknown };
  paths: Record<string, Record<string, Operation>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const PUBLIC_URL = 'https://api.customers.test/customer-service/';

let t: TestApp;
let doc: Document;
let operations: { key: string; op: Operation }[];

beforeAll(async () => {
  t = await startTestApp({ backend: 'pglite', relay: false, env: { PUBLIC_URL } });
  const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
  expect(res.statusCode).toBe(200);
  doc = res.json() as Document;
  operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
  );
}, 120_000);

afterAll(async () => {
  await t?.close();
});

/** `GET /v1/customers/{customer_id}` → `GET /v1/customers/:customer_id`, the key of OPERATION_IDS. */
const tableKey = (key: string) => key.replace(/\{(\w+)\}/g, ':$1');

describe('the published OpenAPI document', () => {
  it('when the service serves /openapi.json, then every operation has its operationId from the table, each used once', () => {
    expect(operations.length).toBeGreaterThanOrEqual(18);
    const missing = operations.filter(({ key }) => !OPERATION_IDS[tableKey(key)]).map(({ key }) => key);
    expect(missing, 'add these routes to OPERATION_IDS in src/docs/operation-ids.ts').toEqual([]);
    for (const { key, op } of operations) expect(op.operationId, key).toBe(OPERATION_IDS[tableKey(key)]);
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size, 'two operations share an operationId').toBe(ids.length);
  });

  it('when the table is read, then its ids are camelCase and unique, and it names no route the service lacks', () => {
    const ids = Object.values(OPERATION_IDS);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    expect(new Set(ids).size).toBe(ids.length);
    const published = new Set(operations.map(({ key }) => tableKey(key)));
    const stale = Object.keys(OPERATION_IDS).filter((key) => !published.has(key) && !(key in UNPUBLISHED));
    expect(stale, 'entries for routes that are not published').toEqual([]);
    for (const key of Object.keys(UNPUBLISHED)) {
      const [method, url] = key.split(' ') as [string, string];
      expect(t.app.hasRoute({ method, url }), `${key} is served`).toBe(true);
      expect(published.has(key), `${key} is left out of the document`).toBe(false);
    }
  });

  it('when a /v1 operation is published, then it declares 401 as problem details, and every operation has a 4xx', () => {
    for (const { key, op } of operations) {
      expect(
        Object.keys(op.responses).some((code) => /^4\d\d$/.test(code)),
        `${key} has a 4xx`,
      ).toBe(true);
      if (!key.includes(' /v1/')) continue;
      const problem = op.responses['401']?.content?.['application/problem+json']?.schema;
      expect(problem, `${key} declares 401`).toEqual({ $ref: '#/components/schemas/Problem' });
    }
  });

  it('when a schema carries the money keyword, then the document publishes it as x-money and validation still applies it', async () => {
    const text = JSON.stringify(doc);
    expect(text).not.toMatch(/"money":/);
    expect(text.match(/"x-money":true/g)?.length).toBeGreaterThanOrEqual(4);
    const customer = await t.request({
      method: 'POST',
      url: '/v1/customers',
      payload: { customer_type: 'b2b', name: 'Money Check', email: `money-${t.org}@example.test` },
    });
    expect(customer.statusCode).toBe(201);
    const id = (customer.json() as { customer_id: string }).customer_id;
    const tooPrecise = await t.request({
      method: 'POST',
      url: `/v1/customers/${id}/credit`,
      payload: { credit_limit: 100.005, payment_term_days: 30 },
    });
    expect(tooPrecise.statusCode).toBe(400);
    expect(tooPrecise.body).toContain('credit_limit');
  });

  it('when PUBLIC_URL is set, then it is the only server (without a trailing slash) and the paths keep their /v1', () => {
    expect(doc.servers).toEqual([{ url: 'https://api.customers.test/customer-service', description: 'This service' }]);
    expect(Object.keys(doc.paths)).toContain('/v1/customers');
  });

  it('when the document is published, then info carries the same license and contact as asyncapi.yaml', () => {
    const asyncapi = parse(readFileSync('asyncapi.yaml', 'utf8')) as { info: { license: unknown; contact: unknown } };
    expect(doc.info.license).toEqual(LICENSE);
    expect(doc.info.contact).toEqual(CONTACT);
    expect(asyncapi.info.license).toEqual(LICENSE);
    expect(asyncapi.info.contact).toEqual(CONTACT);
  });
});

describe('the OpenAPI transform', () => {
  const route = (method: string, url: string, schema: Json) =>
    transformRoute({ schema: schema as FastifySchema, url, route: { method } });

  it('when a route has no entry in the table, then it is published without an operationId instead of failing', () => {
    const out = route('POST', '/v1/customers/:customer_id/archive', { response: {} }).schema as Json;
    expect(out.operationId).toBeUndefined();
    expect(Object.keys(out.response as Json)).toEqual(['401']);
  });

  it('when a route is transformed, then its own schema object is left as it was', () => {
    const response = { 200: { type: 'object' } };
    const schema = { response };
    const out = route('GET', '/v1/customers', schema).schema as Json;
    expect(out.operationId).toBe('listCustomers');
    expect(schema).toEqual({ response: { 200: { type: 'object' } } });
    expect(Object.keys(out.response as Json)).toEqual(['200', '401']);
  });

  it('when a route is public or outside /v1, then no 401 is added', () => {
    expect((route('GET', '/v1/public', { security: [] }).schema as Json).response).toBeUndefined();
    expect((route('GET', '/other', {}).schema as Json).response).toBeUndefined();
  });

  it('when a probe is transformed, then it is hidden from the document', () => {
    expect((route('GET', '/health/ready', {}).schema as Json).hide).toBe(true);
  });

  it('when money is a property name rather than the keyword, then it stays as it is', () => {
    const schema = { properties: { money: { type: 'number', money: true } } };
    expect(publishMoneyKeyword(schema)).toEqual({ properties: { money: { type: 'number', 'x-money': true } } });
    expect(schema.properties.money.money).toBe(true);
  });

  it('when no PUBLIC_URL is set, then the server is the listening address; a bad PUBLIC_URL stops the service', () => {
    expect(publicUrl(loadConfig({}))).toBe('http://127.0.0.1:3000');
    expect(publicUrl(loadConfig({ HOST: '0.0.0.0', PORT: '8080', JWT_SECRET: 'x'.repeat(32) }))).toBe(
      'http://localhost:8080',
    );
    expect(publicUrl(loadConfig({ HOST: '::1', PORT: '8080' }))).toBe('http://[::1]:8080');
    expect(() => loadConfig({ PUBLIC_URL: 'api.customers.test' })).toThrow(ConfigError);
    expect(() => loadConfig({ PUBLIC_URL: 'https://api.customers.test/?x=1' })).toThrow(/PUBLIC_URL/);
  });
});
