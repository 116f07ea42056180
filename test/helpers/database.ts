import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Databases created and not dropped yet, for `dropAllTestDatabases`. */
const created = new Set<TestDatabase>();

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * A fresh, empty PostgreSQL database (`<prefix>_<random>`) on the machine's real server; the app's migrations
 * build its schema. Dropped by `drop()` or `dropAllTestDatabases()`.
 */
export async function createTestDatabase(prefix = 'cs_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const db: TestDatabase = {
    url: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`),
    name,
    async drop() {
      created.delete(db);
      // The shared server may be restarting: retry for a while.
      for (let attempt = 1; ; attempt++) {
        try {
          await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
          return;
        } catch (err) {
          if (attempt >= 15) throw err;
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    },
  };
  created.add(db);
  return db;
}

/** Drops every database `createTestDatabase` made in this process and nobody dropped yet. */
export async function dropAllTestDatabases(): Promise<void> {
  for (const db of [...created]) await db.drop().catch((err) => console.error(`drop ${db.name}: ${err.message}`));
}
