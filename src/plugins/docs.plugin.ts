import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { eventSchemas, isEventName } from '../../generated/index.js';
import { publicUrl, transformDocument, transformRoute } from '../docs/openapi-transform.js';
import { PROJECT_ROOT } from '../project-root.js';

/** The maintainers, and the terms of use, in both published documents (asyncapi.yaml's `info` says the same). */
export const CONTACT = {
  name: 'Customer Service team',
  url: 'https://customer-service.dev',
  email: 'customer-service@customer-service.dev',
} as const;
export const LICENSE = { name: 'Proprietary', url: 'https://customer-service.dev/license' } as const;

/** The HTTP API's OpenAPI document (from the route schemas) and UI, and the consumer docs of the events. */
export default fp(
  async function docsPlugin(app: FastifyInstance) {
    const root = PROJECT_ROOT;
    const serverUrl = publicUrl(app.config);
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Customer Service HTTP API',
          version: '1.0.0',
          description:
            'Customers, loyalty points and tiers, and B2B store credit. Every change publishes an event to the ' +
            'RabbitMQ exchange `customer_events`; see /docs/events. Errors are RFC 9457 problem details. ' +
            'Every POST honours `Idempotency-Key`. Lists are cursor-paginated (`limit`, `cursor`). ' +
            'Probes for the platform, not part of this document: GET /health/live, GET /health/ready (no auth).',
          contact: CONTACT,
          license: LICENSE,
        },
        components: {
          securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        },
        security: [{ bearerAuth: [] }],
      },
      transform: transformRoute,
      transformObject: (document) =>
        'openapiObject' in document
          ? (transformDocument(
              document.openapiObject as Record<string, unknown>,
              serverUrl,
            ) as typeof document.openapiObject)
          : document.swaggerObject,
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: false });

    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

    const specPath = join(root, 'asyncapi.yaml');
    app.get('/asyncapi.yaml', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('application/yaml; charset=utf-8').send(readFileSync(specPath, 'utf8')),
    );

    // The consumer JSON Schemas (open objects: tolerant readers); the strict producer variant stays internal.
    app.get<{ Params: { file: string } }>('/schemas/:file', { schema: { hide: true } }, async (request, reply) => {
      const name = request.params.file.replace(/\.json$/, '');
      if (!request.params.file.endsWith('.json') || !isEventName(name)) {
        return reply
          .code(404)
          .type('application/problem+json')
          .send({
            type: 'https://customer-service.dev/problems/not-found',
            title: 'Not Found',
            status: 404,
            detail: `No event schema ${request.params.file}; the events are listed in /asyncapi.yaml.`,
          });
      }
      return reply.type('application/schema+json; charset=utf-8').send(eventSchemas[name]);
    });

    const eventsPage = join(root, 'build/docs/events/index.html');
    app.get('/docs/events', { schema: { hide: true } }, async (_request, reply) => {
      if (!existsSync(eventsPage)) {
        return reply.code(503).type('application/problem+json').send({
          type: 'https://customer-service.dev/problems/docs-not-built',
          title: 'Docs not built',
          status: 503,
          detail: 'The event docs site has not been built; run `npm run docs`.',
        });
      }
      return reply.type('text/html; charset=utf-8').send(readFileSync(eventsPage));
    });
  },
  { name: 'docs' },
);
