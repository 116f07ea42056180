import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { Problem } from '../errors.js';

const ONE_MINUTE = 60_000;

/**
 * The per-client-IP limit, on every route but `/health/live`, in the first `onRequest` hook: it runs before
 * authentication, so floods of 401s, 403s and 400s are limited too, and before `/health/ready` and `/metrics`
 * touch the database. The client IP is the socket's peer unless TRUST_PROXY names the proxies in front.
 * IPv6 clients are counted by /56 prefix (the plugin's default), so one host cannot rotate addresses around it.
 *
 * The per-organization limit (`organizationRateLimit`) is the /v1 scope's, once the token is verified.
 */
export default fp(
  async function rateLimits(app: FastifyInstance, opts: { config: Config }) {
    await app.register(rateLimit, { global: false, timeWindow: ONE_MINUTE });
    // createRateLimit, not rateLimit: the plugin's request handlers skip a request another one already counted,
    // so the organization limit would never run after this one.
    const limit = app.createRateLimit({
      max: opts.config.RATE_LIMIT_IP_PER_MINUTE,
      timeWindow: ONE_MINUTE,
      // The liveness probe does no work; a flood from the prober's address must not get the process restarted.
      allowList: (request) => request.routeOptions.url === '/health/live',
    });
    app.addHook('onRequest', async (request, reply) => {
      const result = await limit(request);
      if (!result.isAllowed && result.isExceeded) {
        reply.header('retry-after', String(result.ttlInSeconds));
        throw new Problem(
          429,
          'rate-limited',
          'Too many requests',
          `Too many requests from this address; retry in ${result.ttlInSeconds} s.`,
        );
      }
    });
  },
  { name: 'rate-limits' },
);

/** The per-organization limit, as a hook for the /v1 scope (after the token gave the organization). */
export function organizationRateLimit(app: FastifyInstance, config: Config) {
  return app.rateLimit({
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: ONE_MINUTE,
    keyGenerator: (request) => request.principal?.org ?? request.ip,
  });
}
