import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { type Config, clockOf } from './config.js';
import creditRoutes from './credit/credit.routes.js';
import { creditAccountSchema } from './credit/credit.schemas.js';
import customersRoutes from './customers/customers.routes.js';
import { customerSchema } from './customers/customers.schemas.js';
import type { Db } from './db/db.js';
import { requestId, serializeError, serializeRequest } from './http/logging.js';
import { problemSchema } from './http/schemas.js';
import loyaltyRoutes from './loyalty/loyalty.routes.js';
import { loyaltyAccountSchema } from './loyalty/loyalty.schemas.js';
import operationsRoutes from './operations/operations.routes.js';
import authPlugin from './plugins/auth.plugin.js';
import backlogPlugin from './plugins/backlog.plugin.js';
import databasePlugin from './plugins/database.plugin.js';
import docsPlugin from './plugins/docs.plugin.js';
import errorsPlugin, { problemServerOptions } from './plugins/errors.plugin.js';
import inboundPlugin from './plugins/inbound.plugin.js';
import metricsPlugin from './plugins/metrics.plugin.js';
import rateLimitPlugin, { organizationRateLimit } from './plugins/rate-limit.plugin.js';
import relayPlugin from './plugins/relay.plugin.js';
import scheduledJobsPlugin from './plugins/scheduled-jobs.plugin.js';
import securityHeadersPlugin from './plugins/security-headers.plugin.js';
import tracingPlugin from './plugins/tracing.plugin.js';
import privacyRoutes from './privacy/privacy.routes.js';
import profileRoutes from './profile/profile.routes.js';
import type { Clock } from './shared/clock.js';
import { hasAtMostTwoDecimals } from './shared/money.js';
import { traceIds } from './telemetry/trace-ids.js';

export { openDatabase } from './plugins/database.plugin.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    /** The one service clock: every business "now". */
    clock: Clock;
  }
}

export interface AppOptions {
  config: Config;
  /** An already-open database (tests); otherwise opened from the config and closed with the app. */
  db?: Db;
  /** Start the outbox relay (default true). */
  relay?: boolean;
  /** The service clock (tests); otherwise the system clock shifted by CLOCK_OFFSET. */
  clock?: Clock;
}

/** Two validators: bodies are never coerced ("10" is not 10); params and query strings are. */
function validatorCompiler() {
  const options = { allErrors: true, strict: false, removeAdditional: false, useDefaults: true } as const;
  const body = new Ajv({ ...options, coerceTypes: false });
  const other = new Ajv({ ...options, coerceTypes: 'array' });
  for (const ajv of [body, other]) {
    addFormats.default(ajv);
    ajv.addKeyword({
      keyword: 'money',
      type: 'number',
      schemaType: 'boolean',
      error: { message: 'must have at most 2 decimals' },
      validate: (enabled: boolean, data: number) => !enabled || hasAtMostTwoDecimals(data),
    });
  }
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) =>
    (httpPart === 'body' ? body : other).compile(schema);
}

/** The whole service as one plugin: infrastructure plugins (src/plugins/), then routes. */
const appPlugin = fp(
  async function customerService(app: FastifyInstance, opts: AppOptions) {
    const { config } = opts;
    app.decorate('config', config);
    app.decorate('clock', opts.clock ?? clockOf(config));
    // First: its per-IP limit is the first onRequest hook, ahead of authentication and of any database work.
    await app.register(rateLimitPlugin, { config });
    await app.register(databasePlugin, { config, db: opts.db });
    await app.register(metricsPlugin);
    await app.register(tracingPlugin);
    await app.register(authPlugin, { config });
    await app.register(backlogPlugin);
    await app.register(relayPlugin, { config, start: opts.relay });
    await app.register(scheduledJobsPlugin, { config });
    await app.register(inboundPlugin, { config });

    for (const schema of [problemSchema, customerSchema, loyaltyAccountSchema, creditAccountSchema]) {
      app.addSchema(schema);
    }
    await app.register(errorsPlugin);
    await app.register(securityHeadersPlugin);
    // Only JSON is accepted; PATCH also takes the JSON merge patch media type.
    app.removeContentTypeParser('text/plain');
    app.addContentTypeParser(
      'application/merge-patch+json',
      { parseAs: 'string' },
      app.getDefaultJsonParser('error', 'error'),
    );

    await app.register(docsPlugin);
    await app.register(operationsRoutes);
    await app.register(
      async (v1) => {
        v1.addHook('onRequest', async (request) => {
          request.principal = await app.auth.verify(request.headers.authorization);
        });
        v1.addHook('preHandler', organizationRateLimit(app, config));
        await v1.register(profileRoutes);
        await v1.register(customersRoutes);
        await v1.register(loyaltyRoutes);
        await v1.register(creditRoutes);
        await v1.register(privacyRoutes);
      },
      { prefix: '/v1' },
    );
  },
  { name: 'customer-service' },
);

export function serverOptions(config: Config): FastifyServerOptions {
  return {
    logger: {
      level: config.LOG_LEVEL,
      redact: ['req.headers.authorization'],
      // No query strings, bodies or driver details at any level (src/http/logging.ts).
      serializers: { req: serializeRequest, err: serializeError },
      // trace_id and span_id on every line written inside a trace (src/telemetry/trace-ids.ts).
      mixin: traceIds,
    },
    trustProxy: trustProxy(config.TRUST_PROXY),
    bodyLimit: 1_048_576,
    requestIdHeader: false,
    genReqId: requestId,
    ajv: { customOptions: { removeAdditional: false } },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // A request that has not been answered in 30 s is answered 503 by Node rather than left hanging.
    requestTimeout: 30_000,
    // Opening a fresh PGlite data directory initialises a whole PostgreSQL cluster in WASM: ~3 s on a quiet machine,
    // over 20 s on a loaded one. Fastify's default 10 s plugin limit would stop a first `npm start` there.
    pluginTimeout: 120_000,
    ...problemServerOptions,
  };
}

/** TRUST_PROXY as Fastify reads it: `true`/`false`, or a comma-separated list of proxy addresses/CIDRs. */
function trustProxy(value: string | undefined): boolean | string {
  if (value === undefined || value === 'false') return false;
  return value === 'true' ? true : value;
}

/** Builds the app (tests call this; server.ts adds the process concerns). */
export async function buildApp(opts: AppOptions, overrides: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const base = serverOptions(opts.config);
  // A logger given as options (a test's stream, server.ts's transport) keeps the serializers and redaction.
  const logger =
    typeof overrides.logger === 'object' && typeof base.logger === 'object'
      ? { ...base.logger, ...overrides.logger }
      : (overrides.logger ?? base.logger);
  const app = Fastify({ ...base, ...overrides, logger });
  app.setValidatorCompiler(validatorCompiler());
  await app.register(appPlugin, opts);
  return app;
}
