import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { migrate } from '../../src/db/migrate.js';
import { createPostgresDb } from '../../src/db/postgres.js';
import { appWith, startTestApp, type TestApp, type TestAppOptions } from './app.js';
import { customerPayload, type NewCustomer } from './customers.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { EventTap } from './events.js';

/*
 * Shared fixtures for a test file: call them at the top level of the file. Each file gets its own app on its own
 * fresh database (or PGlite) and its own organization, and its own exclusive tap queue, so files can run in
 * parallel on the machine's PostgreSQL and RabbitMQ.
 */

/** A stand-in for the value `get` returns once it exists (methods bound), so fixtures can be handed out at once. */
function lazy<T extends object>(what: string, get: () => T | undefined): T {
  return new Proxy({} as T, {
    get(_target, property) {
      const current = get();
      if (!current) throw new Error(`${what} is used before beforeAll ran (call it inside a test or a hook)`);
      const value = Reflect.get(current, property, current);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}

/** `T` made in beforeAll and closed in afterAll, handed out at once (see `lazy`). */
function useResource<T extends object>(what: string, open: () => Promise<T>, close: (v: T) => Promise<unknown>): T {
  let current: T | undefined;
  beforeAll(async () => {
    current = await open();
  });
  afterAll(async () => {
    if (current) await close(current);
  });
  return lazy(what, () => current);
}

/** The real app for this file, started in beforeAll and closed in afterAll. */
export function useTestApp(opts: TestAppOptions = {}): TestApp {
  return useResource(
    'the test app',
    () => startTestApp(opts),
    (t) => t.close(),
  );
}

/** A second app on the test app's database (see `appWith`), for this file. */
export function useAppWith(t: TestApp, opts: Parameters<typeof appWith>[1]): FastifyInstance {
  return useResource(
    'the second app',
    () => appWith(t, opts),
    (app) => app.close(),
  );
}

/** A tap on the real `customer_events` exchange for this file, bound with `pattern`. */
export function useEventTap(pattern = '#'): EventTap {
  return useResource(
    'the event tap',
    () => EventTap.open(pattern),
    (tap) => tap.close(),
  );
}

/** A fresh PostgreSQL database for this file, migrated, and a pool of `poolSize` on it (no app). */
export function useMigratedDatabase(poolSize = 4): { database: TestDatabase; db: Db } {
  let current: { database: TestDatabase; db: Db } | undefined;
  beforeAll(async () => {
    const database = await createTestDatabase();
    current = { database, db: createPostgresDb(database.url, poolSize) };
    await migrate(current.db);
  });
  afterAll(async () => {
    await current?.db.close();
    await current?.database.drop();
  });
  return { database: lazy('the database', () => current?.database), db: lazy('the database', () => current?.db) };
}

/** POST /v1/customers with `payload` as it is (for the answers other than 201), in `org` (the app's own by default). */
export function postCustomer(
  t: TestApp,
  payload: Record<string, unknown>,
  org?: string,
): Promise<LightMyRequestResponse> {
  return t.request({ method: 'POST', url: '/v1/customers', payload, org });
}

/** The customer factory: creates a customer (b2c, enrolled, unique email unless told otherwise) and returns its id. */
export async function createCustomer(t: TestApp, c: NewCustomer & { org?: string } = {}): Promise<string> {
  const { org, ...fields } = c;
  const res = await postCustomer(t, customerPayload(fields), org);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().customer_id;
}
