import { trace } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Names the HTTP server span (instrumentation-http's, when tracing is on) after the route it matched, as the HTTP
 * conventions say: `POST /v1/customers/:customer_id/loyalty/earn`, with `http.route`. Fastify has no maintained
 * instrumentation of its own that does only this; without tracing there is no active span and nothing happens.
 */
async function tracingPlugin(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', async (request) => {
    const span = trace.getActiveSpan();
    const route = request.routeOptions?.url;
    if (!span?.isRecording() || !route) return;
    span.setAttribute('http.route', route);
    span.updateName(`${request.method} ${route}`);
  });
}

export default fp(tracingPlugin, { name: 'tracing' });
