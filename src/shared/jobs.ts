import type { Db, Queryable } from '../db/db.js';

/**
 * Advisory-lock keys of the background jobs: one instance at a time runs each job, across instances sharing a
 * database. Transaction-scoped locks, so a crash releases them with the transaction.
 */
export const JobLock = {
  loyaltyExpiry: 727_274_101,
  creditOverdue: 727_274_102,
} as const;

/**
 * Runs `work` in one transaction that holds the job's advisory lock. With `wait: false` (scheduled runs) it gives up
 * at once when another instance holds it and returns `undefined`; with `wait: true` (a manual run) it waits its turn,
 * so a manual and a scheduled run never overlap.
 */
export async function withJobLock<T>(
  db: Db,
  key: number,
  options: { wait: boolean },
  work: (tx: Queryable) => Promise<T>,
): Promise<T | undefined> {
  return db.transaction(async (tx) => ((await lockJob(tx, key, options)) ? work(tx) : undefined));
}

/**
 * Takes the job's lock in the caller's transaction (a manual run inside a request's transaction, with its
 * Idempotency-Key); false when `wait` is false and another instance holds it.
 */
export async function lockJob(tx: Queryable, key: number, options: { wait: boolean }): Promise<boolean> {
  if (options.wait) {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [key]);
    return true;
  }
  const res = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [key]);
  return res.rows[0]?.locked === true;
}

export interface ScheduledJob {
  stop(): Promise<void>;
}

/**
 * Runs `run` every `intervalMs` (never two runs of it at once in this process); a failure is reported and the next
 * tick tries again. `stop()` waits for a run in progress.
 */
export function scheduleJob(
  intervalMs: number,
  run: () => Promise<void>,
  onError: (err: unknown) => void,
): ScheduledJob {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = run()
      .catch(onError)
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
