import { createRequire } from 'node:module';
import closeWithGrace from 'close-with-grace';
import type { FastifyServerOptions } from 'fastify';
import { buildApp, serverOptions } from './app.js';
import { type Config, ConfigError, isDevelopmentAuth, loadConfig } from './config.js';
import type { Telemetry } from './telemetry/telemetry.js';

/**
 * Human-readable log lines in a terminal (the Fastify convention: a pino-pretty transport), JSON everywhere else.
 * pino-pretty is a dev dependency: a production install has none, and logs JSON whatever LOG_FORMAT says.
 */
function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  const base = serverOptions(config).logger as object;
  const wantsPretty = config.LOG_FORMAT ? config.LOG_FORMAT === 'pretty' : process.stdout.isTTY === true;
  if (!wantsPretty) return base;
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
  } catch {
    return base;
  }
  return {
    ...base,
    transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } },
  };
}

/**
 * The process: settings, listening, start-up banner and graceful shutdown (the spans not exported yet are flushed
 * last). The app itself is in app.ts; src/server.ts starts tracing, then calls this.
 */
export async function main(telemetry?: Telemetry): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const app = await buildApp({ config }, { logger: loggerOptions(config) });

  closeWithGrace({ delay: 15_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down: finishing requests, waiting for confirms');
    await app.close();
    await telemetry?.shutdown().catch(() => {});
  });

  await app.listen({ port: config.PORT, host: config.HOST });
  const base = `http://${config.HOST}:${(app.server.address() as { port: number }).port}`;
  app.log.info(
    { storage: config.DATABASE_URL ? 'postgresql' : `pglite (${config.PGLITE_DIR})`, broker: redact(config.AMQP_URL) },
    `Customer Service listening on ${base} — HTTP API docs ${base}/docs, event docs ${base}/docs/events`,
  );
  if (isDevelopmentAuth(config)) {
    app.log.warn(
      'DEVELOPMENT AUTH: no JWT_SECRET or JWT_PUBLIC_KEY is set; tokens are signed with a built-in secret. ' +
        'Allowed only for NODE_ENV development/test on a loopback HOST (docs/security.md).',
    );
    const hours = Math.round((config.JWT_MAX_AGE_SECONDS / 3600) * 10) / 10;
    process.stdout.write(
      `\n  Development token (organization org_demo, roles credit_manager, loyalty_admin, privacy_officer; ${hours} h; ` +
        `a restart prints a new one):\n\n` +
        `  ${app.auth.developmentToken}\n\n` +
        `  curl -H "Authorization: Bearer $TOKEN" ${base}/v1/customers\n\n`,
    );
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}
