import type { IncomingMessage } from 'node:http';

/*
 * OpenTelemetry tracing (docs/tracing.md), configured by the standard OTEL_* variables and off unless they ask for
 * it: without an SDK registered, the @opentelemetry/api calls of the outbox, the relay and the consumers are no-ops.
 * It must start before fastify and pg are loaded (their instrumentations patch them as they load), which is why
 * src/server.ts starts it and only then imports the service.
 */

/** A started SDK: `shutdown` flushes the spans not exported yet. */
export interface Telemetry {
  shutdown(): Promise<void>;
}

/**
 * Whether the environment asks for traces: `OTEL_TRACES_EXPORTER` set to an exporter other than `none`, or an OTLP
 * endpoint (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) with the default exporter (otlp);
 * never when `OTEL_SDK_DISABLED=true`.
 */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = env.OTEL_TRACES_EXPORTER?.split(',').map((name) => name.trim().toLowerCase());
  if (exporters?.some((name) => name !== '')) return exporters.some((name) => name !== 'none');
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** Health probes and Prometheus scrapes: frequent and uninteresting, never traced. */
function isProbe(request: IncomingMessage): boolean {
  const path = request.url?.split('?', 1)[0] ?? '';
  return path === '/metrics' || path.startsWith('/health/');
}

/**
 * Starts the OpenTelemetry Node SDK when the environment asks for traces: the exporter, sampler, propagators and
 * resource come from OTEL_* (service name `customer-service` unless `OTEL_SERVICE_NAME` says otherwise); HTTP server
 * spans (instrumentation-http) and PostgreSQL query spans within a trace (instrumentation-pg). Metrics and logs stay
 * with Prometheus and pino. Returns undefined when tracing is off: nothing is loaded.
 */
export async function startTelemetry(env: NodeJS.ProcessEnv = process.env): Promise<Telemetry | undefined> {
  if (!tracingRequested(env)) return undefined;
  const [{ NodeSDK }, { HttpInstrumentation }, { PgInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-pg'),
  ]);
  const sdk = new NodeSDK({
    ...(env.OTEL_SERVICE_NAME ? {} : { serviceName: 'customer-service' }),
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: isProbe, disableOutgoingRequestInstrumentation: true }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  return sdk;
}
