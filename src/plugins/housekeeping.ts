import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { purgeIdempotencyKeys } from '../http/idempotency.js';

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
  },
  { name: 'housekeeping', dependencies: ['database'] },
);
