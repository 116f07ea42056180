// Generated from asyncapi.yaml by scripts/generate.ts — DO NOT EDIT.

import {
  type Attributes,
  type Context,
  context,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

/*
 * OpenTelemetry for RabbitMQ messages, after the messaging semantic conventions: span names
 * `{messaging.operation.name} {destination}`, `messaging.system` (and its successor `messaging.system.name`)
 * `rabbitmq`, `messaging.destination.name` the exchange, the routing key as `messaging.rabbitmq.destination.routing_key`
 * (and its successor `rabbitmq.destination.routing_key`). The W3C `traceparent`/`tracestate` headers carry a
 * message's creation context. Only `@opentelemetry/api` is used: without an OpenTelemetry SDK registered, every call
 * here is a no-op.
 */

/** The application headers that carry the creation context (W3C Trace Context). */
export const TRACE_HEADERS = ['traceparent', 'tracestate'] as const;

/** What a consumer did with a delivery, as the span's `customer_service.consumer.outcome`. */
export type ConsumerOutcome = 'applied' | 'skipped' | 'duplicate' | 'retried' | 'dead_lettered';

export const OUTCOME_ATTRIBUTE = 'customer_service.consumer.outcome';

/** A message as the attributes describe it. */
export interface MessageFacts {
  readonly exchange: string;
  readonly routingKey: string;
  readonly messageId?: string;
  readonly correlationId?: string;
  readonly bodySize?: number;
}

/** The attributes every messaging span of ours carries for `operation` (`create`, `send`, `process`). */
export function messagingAttributes(
  operation: { readonly type: 'create' | 'send' | 'process'; readonly name: string },
  m: MessageFacts,
): Attributes {
  return {
    'messaging.system': 'rabbitmq',
    'messaging.system.name': 'rabbitmq',
    'messaging.operation.type': operation.type,
    'messaging.operation.name': operation.name,
    'messaging.destination.name': m.exchange,
    'messaging.rabbitmq.destination.routing_key': m.routingKey,
    'rabbitmq.destination.routing_key': m.routingKey,
    ...(m.messageId !== undefined && { 'messaging.message.id': m.messageId }),
    ...(m.correlationId !== undefined && { 'messaging.message.conversation_id': m.correlationId }),
    ...(m.bodySize !== undefined && { 'messaging.message.body.size': m.bodySize }),
  };
}

/** The context a message's headers carry (ROOT when they carry none, or no propagator is registered). */
export function extractMessageContext(headers: Readonly<Record<string, unknown>> | undefined): Context {
  if (!headers || headers.traceparent === undefined) return ROOT_CONTEXT;
  const carrier: Record<string, string> = {};
  for (const name of TRACE_HEADERS) {
    const value = headers[name];
    if (typeof value === 'string') carrier[name] = value;
    else if (Buffer.isBuffer(value)) carrier[name] = value.toString('utf8');
  }
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** The link to a creation context, when there is one. */
export function linksTo(creation: Context): Link[] {
  const creator = trace.getSpanContext(creation);
  return creator ? [{ context: creator }] : [];
}

/**
 * Runs `work` under a `process <exchange>` CONSUMER span: a child of the message's creation context (one trace from
 * the producer's request to this handler) and linked to it, as the conventions recommend for a single message.
 * `work` returns the outcome, set on the span; a dead-letter or a retry marks it as an error with `error.type`.
 */
export async function processSpan<T>(
  tracerName: string,
  m: MessageFacts & { readonly headers: Readonly<Record<string, unknown>> | undefined; readonly deliveryTag: number },
  work: (span: Span) => Promise<{ result: T; outcome: ConsumerOutcome; reason?: string }>,
): Promise<T> {
  const creation = extractMessageContext(m.headers);
  const span = trace.getTracer(tracerName).startSpan(
    `process ${m.exchange}`,
    {
      kind: SpanKind.CONSUMER,
      links: linksTo(creation),
      attributes: {
        ...messagingAttributes({ type: 'process', name: 'process' }, m),
        'rabbitmq.message.delivery_tag': m.deliveryTag,
      },
    },
    creation,
  );
  try {
    const { result, outcome, reason } = await context.with(trace.setSpan(creation, span), () => work(span));
    span.setAttribute(OUTCOME_ATTRIBUTE, outcome);
    if (outcome === 'retried' || outcome === 'dead_lettered') {
      span.setAttribute('error.type', outcome);
      span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
    }
    return result;
  } catch (error) {
    span.setAttribute('error.type', error instanceof Error ? error.constructor.name : 'Error');
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}
