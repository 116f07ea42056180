import { createRequire } from 'node:module';
import { type Attributes, context, propagation, type SpanContext, SpanKind, trace } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY,
  ATTR_MESSAGING_SYSTEM,
  ATTR_MESSAGING_SYSTEM_NAME,
  ATTR_RABBITMQ_DESTINATION_ROUTING_KEY,
  MESSAGING_SYSTEM_VALUE_RABBITMQ,
} from '@opentelemetry/semantic-conventions/incubating';
import { expect } from 'vitest';

/**
 * The real OpenTelemetry SDK in the test process, exporting to memory: the global tracer provider (with the
 * AsyncLocalStorage context manager and the W3C propagator) and instrumentation-http, which patches `http` on its
 * next `require` (fastify was loaded before). Everything in this process traces: the app under test, its relay,
 * its inbound consumers and the SDK consumer.
 */
export function startInMemoryTracing(): { exporter: InMemorySpanExporter; shutdown(): Promise<void> } {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  const http = new HttpInstrumentation({ disableOutgoingRequestInstrumentation: true });
  http.setTracerProvider(provider);
  http.enable();
  createRequire(import.meta.url)('node:http');
  return {
    exporter,
    async shutdown() {
      http.disable();
      await provider.shutdown();
    },
  };
}

/** The span in `spans` for which `pick` holds; fails with the names seen when there is none or several. */
export function onlySpan(spans: readonly ReadableSpan[], pick: (s: ReadableSpan) => boolean): ReadableSpan {
  const found = spans.filter(pick);
  expect(found, `spans: ${spans.map((s) => `${s.name} (${SpanKind[s.kind]})`).join(', ')}`).toHaveLength(1);
  return found[0] as ReadableSpan;
}

export const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;
export const idOf = (span: ReadableSpan): string => span.spanContext().spanId;

/**
 * Checks a messaging span against the OpenTelemetry messaging conventions (names from
 * @opentelemetry/semantic-conventions, not typed here): `{messaging.operation.name} {destination}`, the system
 * (and its successor attribute), the operation type, the destination and the routing key (and its successor).
 */
export function expectMessagingSpan(
  span: Pick<ReadableSpan, 'name' | 'kind' | 'attributes'>,
  expected: { kind: SpanKind; type: string; destination: string; routingKey: string; extra?: Attributes },
): void {
  const a = span.attributes;
  expect(span.name).toBe(`${String(a[ATTR_MESSAGING_OPERATION_NAME])} ${expected.destination}`);
  expect(SpanKind[span.kind]).toBe(SpanKind[expected.kind]);
  expect(a).toMatchObject({
    [ATTR_MESSAGING_SYSTEM]: MESSAGING_SYSTEM_VALUE_RABBITMQ,
    [ATTR_MESSAGING_SYSTEM_NAME]: MESSAGING_SYSTEM_VALUE_RABBITMQ,
    [ATTR_MESSAGING_OPERATION_TYPE]: expected.type,
    [ATTR_MESSAGING_DESTINATION_NAME]: expected.destination,
    [ATTR_MESSAGING_RABBITMQ_DESTINATION_ROUTING_KEY]: expected.routingKey,
    [ATTR_RABBITMQ_DESTINATION_ROUTING_KEY]: expected.routingKey,
    ...expected.extra,
  });
}

/**
 * A span of another party (a client, a producer), ended at once, and the W3C headers that carry its context: what
 * that party would send.
 */
export function contextHeaders(name: string, kind: SpanKind): { headers: Record<string, string>; span: SpanContext } {
  const span = trace.getTracer('test-client').startSpan(name, { kind });
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), headers);
  span.end();
  return { headers, span: span.spanContext() };
}
