import pg from 'pg';

/**
 * Row locks held from a separate PostgreSQL connection, to force an interleaving a race test wants: the app's
 * statements that need the rows wait (for real, in PostgreSQL's lock queue) until `release`.
 */
export interface RowLock {
  /** Waits until `count` other sessions on this database are waiting for a lock (this one's or any other). */
  waitForWaiters(count: number): Promise<void>;
  /** Commits the holding transaction: the waiters go on, in the order they queued. */
  release(): Promise<void>;
}

const POLL_MS = 20;

/**
 * Opens a connection to `url`, begins a transaction and runs `lockSql` (a `SELECT … FOR UPDATE`) in it. Throws
 * unless it locked `expectedRows` rows (a lock on nothing forces nothing).
 */
export async function holdRowLock(
  url: string,
  lockSql: string,
  params: unknown[],
  expectedRows: number,
): Promise<RowLock> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let released = false;
  try {
    await client.query('BEGIN');
    const res = await client.query(lockSql, params);
    if (res.rowCount !== expectedRows) throw new Error(`locked ${res.rowCount} rows, not ${expectedRows}`);
  } catch (err) {
    await client.end();
    throw err;
  }
  return {
    async waitForWaiters(count) {
      for (;;) {
        // Inside a transaction, pg_stat_activity is a snapshot taken at its first read: take a fresh one.
        await client.query('SELECT pg_stat_clear_snapshot()');
        const res = await client.query<{ waiting: number }>(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
        );
        const waiting = res.rows[0]?.waiting ?? 0;
        if (waiting > count) throw new Error(`${waiting} sessions wait for a lock, more than the ${count} expected`);
        if (waiting === count) return;
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    },
    async release() {
      if (released) return;
      released = true;
      try {
        await client.query('COMMIT');
      } finally {
        await client.end();
      }
    },
  };
}
