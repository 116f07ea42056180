import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';
import type { Db } from './db.js';

/** The migrations live in src/db/migrations; compiled code (dist/src/db) finds them from the package root. */
function migrationsDir(): string {
  return resolve(PROJECT_ROOT, 'src/db/migrations');
}

export interface Migration {
  version: string;
  sql: string;
}

export function loadMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: f.replace(/\.sql$/, ''), sql: readFileSync(join(dir, f), 'utf8') }));
}

/**
 * Applies pending migrations, each in its own transaction. An advisory lock keeps two instances that start
 * together from applying the same migration twice. `through` stops after that version (e.g. `0002_lean_indexes`:
 * the upgrade tests populate a database as an older release left it).
 */
export async function migrate(db: Db, opts: { through?: string } = {}): Promise<string[]> {
  const applied: string[] = [];
  const session = await db.session();
  try {
    await session.query('SELECT pg_advisory_lock(727274001)');
    await session.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await session.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version),
    );
    for (const m of loadMigrations()) {
      if (opts.through !== undefined && m.version > opts.through) break;
      if (done.has(m.version)) continue;
      await session.query('BEGIN');
      try {
        await session.exec(m.sql);
        await session.query('INSERT INTO schema_migrations (version) VALUES ($1)', [m.version]);
        await session.query('COMMIT');
      } catch (err) {
        await session.query('ROLLBACK');
        throw err;
      }
      applied.push(m.version);
    }
    await session.query('SELECT pg_advisory_unlock(727274001)');
  } finally {
    await session.release();
  }
  return applied;
}
