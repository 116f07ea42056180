import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { runOverdue } from '../credit/credit.overdue.js';
import { JobLock, scheduleJob, withJobLock } from '../shared/jobs.js';

/**
 * The scheduled overdue run: every CREDIT_OVERDUE_INTERVAL_SECONDS, for every organization, on one instance at a
 * time (a busy job lock skips this tick), judged by the service clock. Stopped when the app closes.
 */
export default fp(
  async function creditOverdue(app: FastifyInstance, opts: { config: Config }) {
    const job = scheduleJob(
      opts.config.CREDIT_OVERDUE_INTERVAL_SECONDS * 1000,
      async () => {
        const run = await withJobLock(app.db, JobLock.creditOverdue, { wait: false }, (tx) =>
          runOverdue(tx, { org: null, correlationId: null }, app.clock.now()),
        );
        if (run && (run.usages_overdue > 0 || run.accounts_held > 0)) {
          app.relay.wake();
          app.log.info(run, 'credit overdue run');
        }
      },
      (err) => app.log.warn({ err: (err as Error).message }, 'credit overdue run failed'),
    );
    app.addHook('onClose', async () => job.stop());
  },
  { name: 'credit-overdue', dependencies: ['database', 'relay'] },
);
