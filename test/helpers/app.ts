import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { signToken } from '../../src/auth/auth.js';
import { type Config, loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/db.js';
import { createPgliteDb } from '../../src/db/pglite.js';
import { createPostgresDb } from '../../src/db/postgres.js';
import type { Clock } from '../../src/shared/clock.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { AMQP_URL } from './events.js';
import { TEST_JWT_SECRET } from './settings.js';

export { TEST_JWT_SECRET };

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
  /** Closes the database pool now (an outage under a running app); `close` does not close it again. */
  closeDb(): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  backend?: Backend;
  env?: Record<string, string>;
  relay?: boolean;
  /** PostgreSQL: the URL the app connects with, from the fresh database's (e.g. through a TcpProxy). */
  databaseUrl?: (url: string) => string;
  /** Extra routes, added before the app is ready. */
  routes?: (app: FastifyInstance) => void;
  /** When given, the app logs at `logLevel` (default `info`) into this array (one parsed object per line). */
  log?: Record<string, unknown>[];
  logLevel?: 'info' | 'debug' | 'trace';
}

export function uniqueOrg(): string {
  return `org_${randomBytes(5).toString('hex')}`;
}

/**
 * The real app on a real database: a fresh PostgreSQL database (default) or an in-memory PGlite, and the real
 * RabbitMQ. Nothing is mocked.
 */
export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const backend = opts.backend ?? 'postgres';
  let testDb: TestDatabase | undefined;
  const env: Record<string, string> = {
    JWT_SECRET: TEST_JWT_SECRET,
    AMQP_URL,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    RELAY_POLL_MS: '50',
    // Off unless a test asks: the inbound queues have fixed names, and an app on another test's database would
    // take (and dead-letter) that test's messages. Inbound tests turn it on in a vhost of their own.
    INBOUND: 'off',
    ...opts.env,
  };
  let db: Db;
  if (backend === 'postgres') {
    testDb = await createTestDatabase();
    const url = opts.databaseUrl?.(testDb.url) ?? testDb.url;
    env.DATABASE_URL = url;
    db = createPostgresDb(url, 10);
  } else {
    db = await createPgliteDb(undefined);
  }
  const config = loadConfig(env);
  const log = opts.log;
  const logger = log && {
    level: opts.logLevel ?? 'info',
    stream: new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) log.push(JSON.parse(line));
        done();
      },
    }),
  };
  const app = await buildApp({ config, db, relay: opts.relay }, logger ? { logger } : {});
  opts.routes?.(app);
  await app.ready();
  let dbClosed = false;
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
    async closeDb() {
      dbClosed = true;
      await db.close();
    },
    async close() {
      await app.close();
      if (!dbClosed) await db.close();
      await testDb?.drop();
    },
  };
}

/**
 * A second app on the test app's database with its own clock or config (no relay: the test app's relay
 * publishes what it writes). Closed by the caller.
 */
export async function appWith(t: TestApp, opts: { clock?: Clock; config?: Partial<Config> }): Promise<FastifyInstance> {
  const app = await buildApp({ config: { ...t.config, ...opts.config }, db: t.db, relay: false, clock: opts.clock });
  await app.ready();
  return app;
}
