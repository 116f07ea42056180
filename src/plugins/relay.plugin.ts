import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { createRelay, type Relay } from '../outbox/relay.js';

declare module 'fastify' {
  interface FastifyInstance {
    relay: Relay;
  }
}

export interface RelayPluginOptions {
  config: Config;
  /** Start publishing when the app is ready (default true); tests that only read the outbox pass false. */
  start?: boolean;
}

/** `app.relay`: publishes the outbox to RabbitMQ from the moment the app is ready until it closes. */
export default fp(
  async function relay(app: FastifyInstance, opts: RelayPluginOptions) {
    const { config } = opts;
    const relay = createRelay({
      db: app.db,
      amqpUrl: config.AMQP_URL,
      batchSize: config.RELAY_BATCH_SIZE,
      maxInFlight: config.RELAY_MAX_IN_FLIGHT,
      pollMs: config.RELAY_POLL_MS,
      retentionHours: config.OUTBOX_RETENTION_HOURS,
      logger: app.log,
      metrics: app.metrics,
    });
    app.decorate('relay', relay);
    if (opts.start !== false) app.addHook('onReady', async () => relay.start());
    app.addHook('onClose', async () => relay.stop());
  },
  { name: 'relay', dependencies: ['database', 'metrics'] },
);
