import type { Db, Queryable } from '../db/db.js';
import { DomainError } from './domain-error.js';

/**
 * Advisory-lock keys of the background jobs: one instance at a time runs each job, across instances sharing a
 * database. Transaction-scoped locks, so a crash releases them with the transaction.
 */
export const JobLock = {
  loyaltyExpiry: 727_274_101,
  creditOverdue: 727_274_102,
} as const;

/**
 * Runs `work` in one transaction that holds the job's advisory lock (a scheduled run over every organization). With
 * `wait: false` it gives up at once when another run holds it and returns `undefined`; with `wait: true` it waits.
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
async function lockJob(tx: Queryable, key: number, options: { wait: boolean }): Promise<boolean> {
  if (options.wait) {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [key]);
    return true;
  }
  const res = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [key]);
  return res.rows[0]?.locked === true;
}

/**
 * Takes the job's lock for one organization's manual run in the caller's transaction, or refuses at once with 409
 * `job-running`: while another run of the job for that organization, or a scheduled run over all of them, holds
 * it. Manual runs of different organizations go on side by side (they share the job's lock, which a scheduled run
 * takes exclusively), and no request ever waits on a lock holding a pool connection.
 */
export async function lockOrganizationJob(tx: Queryable, key: number, org: string): Promise<void> {
  const res = await tx.query<{ locked: boolean }>(
    'SELECT pg_try_advisory_xact_lock_shared($1::bigint) AND pg_try_advisory_xact_lock($1::int, hashtext($2)) AS locked',
    [key, org],
  );
  if (res.rows[0]?.locked !== true) {
    throw new DomainError('job-running', 'A run of this job is in progress for the organization; try again later.');
  }
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
