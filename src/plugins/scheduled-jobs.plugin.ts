import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { runOverdue } from '../credit/credit.overdue.job.js';
import type { Queryable } from '../db/db.js';
import { purgeIdempotencyKeys } from '../http/idempotency.js';
import { purgeInbox } from '../inbound/inbound.repository.js';
import { runExpiry } from '../loyalty/loyalty.expiry.job.js';
import { JobLock, scheduleJob, withJobLock } from '../shared/jobs.js';

const HOUR_MS = 3_600_000;

/**
 * Everything the service does by itself on a timer, in one place: idempotency keys past their TTL and inbox rows past
 * INBOX_RETENTION_DAYS are purged hourly;
 * loyalty expiry and the credit overdue run go for every organization, one instance at a time (a busy job lock skips
 * the tick), judged by the service clock. All stop when the app closes. (Sent outbox rows are purged by the relay,
 * which owns the outbox.)
 */
export default fp(
  async function scheduledJobs(app: FastifyInstance, opts: { config: Config }) {
    const warn = (what: string) => (err: unknown) => app.log.warn({ err: (err as Error).message }, `${what} failed`);

    /** A job of all organizations under its lock; wakes the relay and logs when it changed something. */
    const exclusive =
      <R extends object>(
        what: string,
        key: number,
        run: (tx: Queryable) => Promise<R>,
        changed: (result: R) => boolean,
      ) =>
      async () => {
        const result = await withJobLock(app.db, key, { wait: false }, run);
        if (result && changed(result)) {
          app.relay.wake();
          app.log.info(result as Record<string, unknown>, what);
        }
      };

    const jobs = [
      scheduleJob(
        HOUR_MS,
        () => purgeIdempotencyKeys(app.db, opts.config.IDEMPOTENCY_TTL_HOURS).then(() => {}),
        warn('idempotency purge'),
      ),
      scheduleJob(
        HOUR_MS,
        async () => {
          let deleted = 0;
          for (;;) {
            const n = await purgeInbox(app.db, opts.config.INBOX_RETENTION_DAYS, app.clock.now());
            deleted += n;
            if (n === 0) break;
          }
          if (deleted > 0) app.log.info({ deleted }, 'purged inbox rows past retention');
        },
        warn('inbox purge'),
      ),
      scheduleJob(
        opts.config.LOYALTY_EXPIRY_INTERVAL_SECONDS * 1000,
        exclusive(
          'loyalty expiry run',
          JobLock.loyaltyExpiry,
          (tx) => runExpiry(tx, { org: null, actor: 'system', correlationId: null }, app.clock.now()),
          (run) => run.points_expired > 0 || run.notices_sent > 0,
        ),
        warn('loyalty expiry run'),
      ),
      scheduleJob(
        opts.config.CREDIT_OVERDUE_INTERVAL_SECONDS * 1000,
        exclusive(
          'credit overdue run',
          JobLock.creditOverdue,
          (tx) => runOverdue(tx, { org: null, correlationId: null }, app.clock.now()),
          (run) => run.usages_overdue > 0 || run.accounts_held > 0,
        ),
        warn('credit overdue run'),
      ),
    ];
    app.addHook('onClose', async () => {
      await Promise.all(jobs.map((job) => job.stop()));
    });
  },
  { name: 'scheduled-jobs', dependencies: ['database', 'relay'] },
);
