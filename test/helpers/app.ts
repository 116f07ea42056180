import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { signToken } from '../../src/auth/auth.js';
import { type Config, loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/db.js';
import { createPgliteDb } from '../../src/db/pglite.js';
import { createPostgresDb } from '../../src/db/postgres.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { AMQP_URL } from './events.js';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-0123456789';

export type Backend = 'postgres' | 'pglite';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  /** A fresh organization id for this test app. */
  org: string;
  token(claims?: { org?: string; sub?: string; roles?: string[] }): Promise<string>;
  /** app.inject with a bearer token for `org` (all roles unless given). */
  request(opts: InjectOptions & { org?: string; roles?: string[]; sub?: string }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export function uniqueOrg(): string {
  return `org_${randomBytes(5).toString('hex')}`;
}

/**
 * The real app on a real database: a fresh PostgreSQL database (default) or an in-memory PGlite, and the real
 * RabbitMQ. Nothing is mocked.
 */
export async function startTestApp(
  opts: { backend?: Backend; env?: Record<string, string>; relay?: boolean } = {},
): Promise<TestApp> {
  const backend = opts.backend ?? 'postgres';
  let testDb: TestDatabase | undefined;
  const env: Record<string, string> = {
    JWT_SECRET: TEST_JWT_SECRET,
    AMQP_URL,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    RELAY_POLL_MS: '50',
    ...opts.env,
  };
  let db: Db;
  if (backend === 'postgres') {
    testDb = await createTestDatabase();
    env.DATABASE_URL = testDb.url;
    db = createPostgresDb(testDb.url, 10);
  } else {
    db = await createPgliteDb(undefined);
  }
  const config = loadConfig(env);
  const app = await buildApp({ config, db, relay: opts.relay });
  await app.ready();
  const org = uniqueOrg();
  const token: TestApp['token'] = (claims = {}) =>
    signToken(TEST_JWT_SECRET, {
      org: claims.org ?? org,
      sub: claims.sub ?? 'user_test',
      roles: claims.roles ?? ['credit_manager', 'loyalty_admin'],
    });
  return {
    app,
    db,
    config,
    org,
    token,
    async request(o) {
      const { org: o2, roles, sub, headers, ...rest } = o;
      const t = await token({ org: o2, roles, sub });
      return app.inject({ ...rest, headers: { authorization: `Bearer ${t}`, ...headers } });
    },
    async close() {
      await app.close();
      await db.close();
      await testDb?.drop();
    },
  };
}
