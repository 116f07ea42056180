import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { type Backend, startTestApp, type TestApp } from './app.js';
import { EventTap } from './events.js';

/*
 * Shared fixtures for a test file: call them at the top level of the file. Each file gets its own app on its own
 * fresh database (or PGlite) and its own organization, and its own exclusive tap queue, so files can run in
 * parallel on the machine's PostgreSQL and RabbitMQ.
 */

function lazy<T extends object>(what: string, get: () => T | undefined): () => T {
  return () => {
    const value = get();
    if (!value) throw new Error(`${what} is used before beforeAll ran (call it inside a test or a hook)`);
    return value;
  };
}

/** The real app for this file, started in beforeAll and closed in afterAll. */
export function useTestApp(opts: { backend?: Backend; env?: Record<string, string>; relay?: boolean } = {}): TestApp {
  let current: TestApp | undefined;
  beforeAll(async () => {
    current = await startTestApp(opts);
  });
  afterAll(async () => {
    await current?.close();
  });
  const get = lazy('the test app', () => current);
  return {
    get app() {
      return get().app;
    },
    get db() {
      return get().db;
    },
    get config() {
      return get().config;
    },
    get org() {
      return get().org;
    },
    token: (claims) => get().token(claims),
    request: (o) => get().request(o),
    close: () => get().close(),
  };
}

/** A tap on the real `customer_events` exchange for this file, bound with `pattern`. */
export function useEventTap(pattern = '#'): EventTap {
  let current: EventTap | undefined;
  beforeAll(async () => {
    current = await EventTap.open(pattern);
  });
  afterAll(async () => {
    await current?.close();
  });
  const get = lazy('the event tap', () => current);
  return new Proxy({} as EventTap, {
    get(_target, property) {
      const tap = get();
      const value = Reflect.get(tap, property, tap);
      return typeof value === 'function' ? value.bind(tap) : value;
    },
  });
}

export interface NewCustomer {
  org?: string;
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

/** The customer factory: creates a customer (b2c, enrolled, unique email unless told otherwise) and returns its id. */
export async function createCustomer(t: TestApp, c: NewCustomer = {}): Promise<string> {
  const { org, ...fields } = c;
  const res = await t.request({
    method: 'POST',
    url: '/v1/customers',
    org,
    payload: {
      customer_type: 'b2c',
      name: 'Cliente de prueba',
      ...(fields.phone === undefined ? { email: uniqueEmail() } : {}),
      ...fields,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().customer_id;
}
