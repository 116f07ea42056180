import pg from 'pg';
import type { Db, Queryable, QueryResult, Session } from './db.js';

// BIGINT (20) and NUMERIC (1700) come back as strings by default; every amount here is integer cents
// or a count far below 2^53, so numbers are exact.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/**
 * Statements with parameters run as named prepared statements, parsed and planned once per connection (most of
 * PostgreSQL's CPU per request otherwise). The SQL texts are the service's own, so the map stays small.
 */
const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `cs${statementNames.size}`;
    statementNames.set(sql, name);
  }
  return name;
}

function wrap(client: pg.Pool | pg.PoolClient | pg.Client): Queryable {
  return {
    async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const res =
        params && params.length > 0
          ? await client.query({ name: statementName(sql), text: sql, values: params as unknown[] })
          : await client.query(sql);
      return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
    },
  };
}

export function createPostgresDb(url: string, poolSize: number): Db {
  // Bounded waits: a stalled server (network cut, not refused) fails a query after 10 s instead of hanging it.
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    query_timeout: 10_000,
    keepAlive: true,
  });
  // An idle client that loses its server emits here; without a listener the process would crash.
  pool.on('error', () => {});
  const base = wrap(pool);
  return {
    kind: 'postgres',
    query: base.query,
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken = false;
      // A connection lost between two statements emits 'error' on the checked-out client (no query to fail):
      // unhandled, it would end the process. The next statement fails instead, and the client is discarded.
      const lost = () => {
        broken = true;
      };
      client.on('error', lost);
      try {
        await client.query('BEGIN');
        const result = await work(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw err;
      } finally {
        client.removeListener('error', lost);
        client.release(broken);
      }
    },
    async session(): Promise<Session> {
      const client = new pg.Client({
        connectionString: url,
        connectionTimeoutMillis: 5_000,
        keepAlive: true,
        query_timeout: 10_000,
      });
      const errorListeners: ((err: Error) => void)[] = [];
      client.on('error', (err) => {
        for (const l of errorListeners) l(err);
      });
      client.on('end', () => {
        for (const l of errorListeners) l(new Error('session connection ended'));
      });
      await client.connect();
      const q = wrap(client);
      return {
        query: q.query,
        async exec(sql) {
          await client.query(sql);
        },
        async onNotify(channel, listener) {
          client.on('notification', (msg) => {
            if (msg.channel === channel) listener();
          });
          await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        },
        onError(listener) {
          errorListeners.push(listener);
        },
        async release() {
          errorListeners.length = 0;
          await client.end().catch(() => {});
        },
      };
    },
    async notify(channel) {
      await pool.query('SELECT pg_notify($1, $2)', [channel, '']);
    },
    async close() {
      await pool.end();
    },
  };
}
