import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/db.js';
import { type Backlog, backlog } from '../outbox/outbox.repository.js';

/** How long one count of the outbox backlog is served before the next request counts again. */
const BACKLOG_CACHE_MS = 1000;

export interface BacklogFigures {
  /** The backlog, counted at most once per BACKLOG_CACHE_MS whatever the request rate; rejects when the count fails. */
  read(): Promise<Backlog>;
  /** How many times the count ran (the proof that the cache holds). */
  readonly computations: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    backlog: BacklogFigures;
  }
}

/**
 * `count(*)` of the backlog scans every unpublished row: `/health/ready` and `/metrics` are unauthenticated, so
 * they share one count per second, and concurrent callers share the query in flight. The oldest row's age is
 * advanced by the time since the count, so a cached answer never understates it.
 */
function backlogFigures(db: Db, now: () => number = () => performance.now()): BacklogFigures {
  let computations = 0;
  // A failed count is kept for the window too: while the database is down, a flood of probes does not queue
  // one connection attempt each.
  let last: { at: number; value: Backlog } | { at: number; error: unknown } | undefined;
  let inFlight: Promise<Backlog> | undefined;
  return {
    get computations() {
      return computations;
    },
    read() {
      const t = now();
      if (last && t - last.at < BACKLOG_CACHE_MS) {
        if ('error' in last) return Promise.reject(last.error);
        const { count, oldestAgeSeconds, deadLetters } = last.value;
        return Promise.resolve({
          count,
          deadLetters,
          oldestAgeSeconds: count > 0 ? oldestAgeSeconds + (t - last.at) / 1000 : 0,
        });
      }
      inFlight ??= (async () => {
        computations += 1;
        try {
          const value = await backlog(db);
          last = { at: now(), value };
          return value;
        } catch (error) {
          last = { at: now(), error };
          throw error;
        } finally {
          inFlight = undefined;
        }
      })();
      return inFlight;
    },
  };
}

/** `app.backlog`: the cached backlog figures (with the dead-letter count); each read also sets their gauges. */
export default fp(
  async function backlogPlugin(app: FastifyInstance) {
    const figures = backlogFigures(app.db);
    app.decorate('backlog', {
      get computations() {
        return figures.computations;
      },
      async read() {
        const b = await figures.read();
        app.metrics.backlog.set(b.count);
        app.metrics.oldestAge.set(b.oldestAgeSeconds);
        app.metrics.deadLetters.set(b.deadLetters);
        return b;
      },
    });
  },
  { name: 'backlog', dependencies: ['database', 'metrics'] },
);
