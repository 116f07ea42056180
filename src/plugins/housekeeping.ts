import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { purgeIdempotencyKeys } from '../http/idempotency.js';
import { runExpiry } from '../loyalty/expiry.service.js';
import { JobLock, scheduleJob, withJobLock } from '../shared/jobs.js';

const HOUR_MS = 3_600_000;

/**
 * Periodic clean-up of what the service keeps only for a while: idempotency keys past their TTL, hourly.
 * (Sent outbox rows are purged by the relay, which owns the outbox.)
 */
export default fp(
  async function housekeeping(app: FastifyInstance, opts: { config: Config }) {
    const timer = setInterval(() => {
      purgeIdempotencyKeys(app.db, opts.config.IDEMPOTENCY_TTL_HOURS).catch((err) =>
        app.log.warn({ err: (err as Error).message }, 'idempotency purge failed'),
      );
    }, HOUR_MS);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));

    // Loyalty expiry for every organization, one instance at a time (a busy lock skips this tick).
    const expiry = scheduleJob(
      opts.config.LOYALTY_EXPIRY_INTERVAL_SECONDS * 1000,
      async () => {
        const run = await withJobLock(app.db, JobLock.loyaltyExpiry, { wait: false }, (tx) =>
          runExpiry(tx, { org: null, actor: 'system', correlationId: null }, app.clock.now()),
        );
        if (run && (run.points_expired > 0 || run.notices_sent > 0)) {
          app.relay.wake();
          app.log.info(run, 'loyalty expiry run');
        }
      },
      (err) => app.log.warn({ err: (err as Error).message }, 'loyalty expiry run failed'),
    );
    app.addHook('onClose', async () => expiry.stop());
  },
  { name: 'housekeeping', dependencies: ['database', 'relay'] },
);
