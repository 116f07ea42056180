import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The machine's PostgreSQL and RabbitMQ (the same defaults and variables as the tests). */
export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

const created = new Set<BenchDatabase>();

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh, empty database (`cs_bench_…`), dropped by `drop()` or `dropAllDatabases()`. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `cs_bench_${randomBytes(5).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const db: BenchDatabase = {
    name,
    url: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`),
    async drop() {
      created.delete(db);
      // The shared server may be restarting (other tests stop it): retry for a while.
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

export async function dropAllDatabases(): Promise<void> {
  for (const db of [...created]) await db.drop().catch((err) => console.error(`drop ${db.name}: ${err.message}`));
}

/** A ~1 KB text value, as written twice per transaction by ceilings A and C. */
export const KB = 'x'.repeat(1024);

export const SCRATCH_TABLE_SQL = `CREATE TABLE IF NOT EXISTS bench_scratch (
  id BIGSERIAL PRIMARY KEY, k TEXT NOT NULL, payload TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())`;
