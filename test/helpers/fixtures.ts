import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { migrate } from '../../src/db/migrate.js';
import { createPostgresDb } from '../../src/db/postgres.js';
import { startTestApp, type TestApp, type TestAppOptions } from './app.js';
import { customerPayload, type NewCustomer } from './customers.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { EventTap } from './events.js';

/*
 * Shared fixtures for a test file: call them at the top level of the file. Each file gets its own app on its own
 * fresh database (or PGlite) and its own organization, and its own exclusive tap queue, so files can run in
 * parallel on the machine's PostgreSQL and RabbitMQ.
 */

/**
 * `T` made in beforeAll and closed in afterAll, handed out at once as a stand-in that forwards to it (methods
 * bound), for use inside tests and hooks.
 */
export function useResource<T extends object>(
  what: string,
  open: () => Promise<T>,
  close: (v: T) => Promise<unknown>,
): T {
  let current: T | undefined;
  beforeAll(async () => {
    current = await open();
  });
  afterAll(async () => {
    if (current) await close(current);
  });
  return new Proxy({} as T, {
    get(_target, property) {
      if (!current) throw new Error(`${what} is used before beforeAll ran (call it inside a test or a hook)`);
      const value = Reflect.get(current, property, current);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}

/** The real app for this file, started in beforeAll and closed in afterAll. */
export function useTestApp(opts: TestAppOptions = {}): TestApp {
  return useResource(
    'the test app',
    () => startTestApp(opts),
    (t) => t.close(),
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
  const both = useResource(
    'the database',
    async () => {
      const database = await createTestDatabase();
      const db = createPostgresDb(database.url, poolSize);
      await migrate(db);
      return { database, db };
    },
    async ({ database, db }) => {
      await db.close();
      await database.drop();
    },
  );
  return {
    get database() {
      return both.database;
    },
    get db() {
      return both.db;
    },
  };
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
