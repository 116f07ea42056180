import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { problems } from '../errors.js';

const DEAD_LETTERS_WARNING =
  'outbox rows that cannot be published were moved aside: npm run outbox:dead-letters -- list (docs/scripts.md)';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** METRICS_TOKEN, when set, as a Bearer token; compared in constant time (digests: equal lengths whatever is sent). */
function metricsAuthorized(request: FastifyRequest, token: string | undefined): boolean {
  if (token === undefined) return true;
  const match = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(token));
}

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
        summary: 'Ready when the database answers; reports the broker, the outbox backlog and its dead letters',
        security: [],
      },
    },
    async (_request, reply) => {
      const relay = app.relay.status();
      try {
        const b = await app.backlog.read();
        return {
          status: 'ok',
          database: 'up',
          broker: relay.broker,
          relay: relay.leader ? 'active' : 'standby',
          outbox: {
            // Ready either way: dead letters are rows set aside for an operator, publishing goes on.
            status: b.deadLetters > 0 ? 'warning' : 'ok',
            backlog: b.count,
            oldest_age_seconds: Math.round(b.oldestAgeSeconds * 1000) / 1000,
            dead_letters: b.deadLetters,
            ...(b.deadLetters > 0 && { warning: DEAD_LETTERS_WARNING }),
          },
        };
      } catch {
        return reply.code(503).send({ status: 'unavailable', database: 'down', broker: relay.broker });
      }
    },
  );

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (!metricsAuthorized(request, app.config.METRICS_TOKEN)) {
      throw problems.unauthorized('/metrics needs the METRICS_TOKEN as a Bearer token.');
    }
    try {
      await app.backlog.read();
    } catch {
      // the gauges keep their last values while the database is down
    }
    return reply.type(app.metrics.registry.contentType).send(await app.metrics.registry.metrics());
  });
}
