import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import type { Db } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { createPostgresDb } from '../db/postgres.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
}

export async function openDatabase(config: Config): Promise<Db> {
  if (config.DATABASE_URL) return createPostgresDb(config.DATABASE_URL, config.DB_POOL_SIZE);
  // Loaded only when used: PGlite's WASM module costs memory a PostgreSQL deployment does not need.
  const { createPgliteDb } = await import('../db/pglite.js');
  return createPgliteDb(config.PGLITE_DIR);
}

export interface DatabaseOptions {
  config: Config;
  /** An already-open database (tests): migrated, not closed with the app. */
  db?: Db;
}

/** `app.db`: PostgreSQL or PGlite, migrated; closed with the app unless the caller opened it. */
export default fp(
  async function database(app: FastifyInstance, opts: DatabaseOptions) {
    const db = opts.db ?? (await openDatabase(opts.config));
    const owned = opts.db === undefined;
    try {
      await migrate(db);
    } catch (err) {
      if (owned) await db.close();
      throw err;
    }
    app.decorate('db', db);
    // Registered before the relay, so it closes after it (onClose hooks run in reverse).
    app.addHook('onClose', async () => {
      if (owned) await db.close();
    });
  },
  { name: 'database' },
);
