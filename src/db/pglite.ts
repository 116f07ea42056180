import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import type { Db, Queryable, QueryResult, Session } from './db.js';

const parsers = { [types.INT8]: (v: string) => Number(v), [types.NUMERIC]: (v: string) => Number(v) };

function wrap(target: Pick<PGlite, 'query'>): Queryable {
  return {
    async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const res = await target.query<R>(sql, params as unknown[] | undefined);
      return { rows: res.rows, rowCount: Math.max(res.affectedRows ?? 0, res.rows.length) };
    },
  };
}

/**
 * Embedded PostgreSQL (WASM). One connection in-process: every query and transaction is serialised.
 * `dataDir` undefined means in-memory (tests).
 */
export async function createPgliteDb(dataDir: string | undefined): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = new PGlite({ dataDir, parsers });
  await db.waitReady;
  const base = wrap(db);
  const listeners = new Map<string, Set<() => void>>();
  return {
    kind: 'pglite',
    query: base.query,
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      return db.transaction((tx) => work(wrap(tx)));
    },
    async session(): Promise<Session> {
      return {
        query: base.query,
        async exec(sql) {
          await db.exec(sql);
        },
        async onNotify(channel, listener) {
          let set = listeners.get(channel);
          if (!set) {
            set = new Set();
            listeners.set(channel, set);
          }
          set.add(listener);
        },
        onError() {},
        async release() {},
      };
    },
    async notify(channel) {
      for (const l of listeners.get(channel) ?? []) l();
    },
    async close() {
      if (db.closed) return;
      await db.query('CHECKPOINT').catch(() => {});
      await db.close();
    },
  };
}
