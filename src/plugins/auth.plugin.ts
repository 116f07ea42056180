import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type Authenticator, createAuthenticator, type Principal } from '../auth/auth.js';
import type { Config } from '../config.js';

declare module 'fastify' {
  interface FastifyInstance {
    auth: Authenticator;
  }
  interface FastifyRequest {
    principal: Principal;
  }
}

/** `app.auth` verifies bearer tokens; routes that need a principal call `app.auth.verify` in a hook. */
export default fp(
  async function auth(app: FastifyInstance, opts: { config: Config }) {
    const authenticator = await createAuthenticator(opts.config);
    app.decorate('auth', authenticator);
    app.decorateRequest('principal'); // set by the auth hook before any handler reads it
    app.addHook('onClose', async () => authenticator.forget());
  },
  { name: 'auth' },
);
