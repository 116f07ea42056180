import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { EXCHANGE } from '../../generated/index.js';
import { extractMessageContext, linksTo, messagingAttributes } from '../../generated/runtime/consumer-tracing.js';

/*
 * The trace across the outbox (docs/tracing.md). A use case that stores an event records a `create customer_events`
 * PRODUCER span in the current context (the HTTP request's, or a consumed message's `process` span) and stores its
 * W3C context with the row; the relay, later and elsewhere, publishes the row under a `publish customer_events` span
 * parented on that context and linked to it, with the stored context as the message's `traceparent`/`tracestate`.
 * The consumer's `process` span continues from the header: one trace from the request to every consumer. Without an
 * OpenTelemetry SDK registered, the API is a no-op and nothing is stored.
 */

/** The instrumentation scope of the service's own spans. */
export const TRACER_NAME = 'customer-service';

/** A stored creation context; both null when the service was not tracing. */
export interface StoredTraceContext {
  readonly traceparent: string | null;
  readonly tracestate: string | null;
}

const UNTRACED: StoredTraceContext = { traceparent: null, tracestate: null };

/** The AMQP headers that carry a stored context: none when it holds no `traceparent`. */
export function traceHeaders(stored: StoredTraceContext): { traceparent?: string; tracestate?: string } {
  if (!stored.traceparent) return {};
  return { traceparent: stored.traceparent, ...(stored.tracestate ? { tracestate: stored.tracestate } : {}) };
}

function contextOf(parent: ReturnType<typeof context.active>, span: Span): StoredTraceContext {
  if (!isSpanContextValid(span.spanContext())) return UNTRACED;
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), carrier);
  return { traceparent: carrier.traceparent ?? null, tracestate: carrier.tracestate ?? null };
}

/**
 * The `create` spans of the events a statement is about to store, started in the active context; `contexts` go into
 * the rows. `stored` ends the spans of the events the statement did store (all of them when not told): a span of an
 * event the statement left out (a tier that did not rise, a duplicate earn) or that failed is never ended, so never
 * exported.
 */
export class Creation {
  readonly contexts: readonly StoredTraceContext[];
  private readonly spans: Span[] = [];

  constructor(
    private readonly messages: readonly { readonly event: string; readonly messageId: string }[],
    correlationId: string | null,
  ) {
    const parent = context.active();
    const tracer = trace.getTracer(TRACER_NAME);
    this.contexts = messages.map(({ event, messageId }) => {
      const span = tracer.startSpan(
        `create ${EXCHANGE}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: messagingAttributes(
            { type: 'create', name: 'create' },
            { exchange: EXCHANGE, routingKey: event, messageId, correlationId: correlationId ?? undefined },
          ),
        },
        parent,
      );
      this.spans.push(span);
      return contextOf(parent, span);
    });
  }

  /** The statement committed these message ids (all, when not given): their spans end. */
  stored(messageIds?: readonly string[]): void {
    const kept = messageIds && new Set(messageIds);
    this.messages.forEach(({ messageId }, i) => {
      if (!kept || kept.has(messageId)) this.spans[i]?.end();
    });
  }
}

/** What the relay needs of a row to trace its publication. */
export interface TracedRow extends StoredTraceContext {
  readonly message_id: string;
  readonly event_name: string;
  readonly correlation_id: string | null;
}

/** A publication in flight: the headers to send, and `end` once the broker confirmed (or failed). */
export interface TracedPublish {
  readonly headers: { traceparent?: string; tracestate?: string } | undefined;
  end(error: Error | null): void;
}

/**
 * Starts the `publish customer_events` span of `row`: a CLIENT span child of the stored creation context and linked
 * to it. A row stored without one (the service was not tracing then) gets a PRODUCER span whose own context becomes
 * the creation context, as the conventions say for a single message sent without a `create` span.
 */
export function startPublish(row: TracedRow, bodySize: number): TracedPublish {
  const stored = row.traceparent ? traceHeaders(row) : undefined;
  const creation = stored ? extractMessageContext(stored) : ROOT_CONTEXT;
  const span = trace.getTracer(TRACER_NAME).startSpan(
    `publish ${EXCHANGE}`,
    {
      kind: stored ? SpanKind.CLIENT : SpanKind.PRODUCER,
      links: linksTo(creation),
      attributes: messagingAttributes(
        { type: 'send', name: 'publish' },
        {
          exchange: EXCHANGE,
          routingKey: row.event_name,
          messageId: row.message_id,
          correlationId: row.correlation_id ?? undefined,
          bodySize,
        },
      ),
    },
    creation,
  );
  return {
    headers: stored ?? traceHeaders(contextOf(ROOT_CONTEXT, span)),
    end(error) {
      if (error) {
        span.setAttribute('error.type', error.constructor?.name ?? 'Error');
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      }
      span.end();
    },
  };
}
