import type { FastifyInstance } from 'fastify';
import { backlog } from '../outbox/outbox.repository.js';

export default async function operationsRoutes(app: FastifyInstance) {
  app.get(
    '/health/live',
    { schema: { tags: ['operations'], summary: 'The process is up', security: [] } },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'Ready when the database answers; reports the broker and the outbox backlog',
        security: [],
      },
    },
    async (_request, reply) => {
      const relay = app.relay.status();
      try {
        const b = await backlog(app.db);
        app.metrics.backlog.set(b.count);
        app.metrics.oldestAge.set(b.oldestAgeSeconds);
        return {
          status: 'ok',
          database: 'up',
          broker: relay.broker,
          relay: relay.leader ? 'active' : 'standby',
          outbox: { backlog: b.count, oldest_age_seconds: Math.round(b.oldestAgeSeconds * 1000) / 1000 },
        };
      } catch {
        return reply.code(503).send({ status: 'unavailable', database: 'down', broker: relay.broker });
      }
    },
  );

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    try {
      const b = await backlog(app.db);
      app.metrics.backlog.set(b.count);
      app.metrics.oldestAge.set(b.oldestAgeSeconds);
    } catch {
      // the gauges keep their last values while the database is down
    }
    return reply.type(app.metrics.registry.contentType).send(await app.metrics.registry.metrics());
  });
}
