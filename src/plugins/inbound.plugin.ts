import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type Config, declaresInboundExchanges } from '../config.js';
import { createInboundConsumers, type InboundQueueStatus } from '../inbound/inbound.consumer.job.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The inbound consumers' state per queue; `off` when INBOUND=off. */
    inbound: { status(): InboundQueueStatus[] | 'off' };
  }
}

/**
 * `app.inbound`: with INBOUND=on, consumes the inbound queues of asyncapi.yaml from the moment the app is ready
 * until it closes (before the database closes). A missing producer exchange, or a broker that is down, never stops
 * the app: the consumers keep retrying and `/health/ready` says what they wait for.
 */
export default fp(
  async function inbound(app: FastifyInstance, opts: { config: Config }) {
    const { config } = opts;
    if (config.INBOUND === 'off') {
      app.decorate('inbound', { status: () => 'off' as const });
      return;
    }
    const consumers = createInboundConsumers({
      db: app.db,
      url: config.AMQP_URL,
      prefetch: config.INBOUND_PREFETCH,
      declareExchanges: declaresInboundExchanges(config),
      clock: app.clock,
      log: app.log,
      metrics: app.metrics,
    });
    app.decorate('inbound', { status: () => consumers.status() });
    app.addHook('onReady', async () => consumers.start());
    app.addHook('onClose', async () => consumers.close());
  },
  { name: 'inbound', dependencies: ['database', 'metrics'] },
);
