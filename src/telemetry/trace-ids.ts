import { isSpanContextValid, trace } from '@opentelemetry/api';

/**
 * pino's `mixin`: every log line written inside a trace carries its `trace_id` and `span_id` (the OpenTelemetry log
 * data model's names), so a log line leads to its trace and back. Nothing is added when tracing is off.
 */
export function traceIds(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const ids = span.spanContext();
  return isSpanContextValid(ids) ? { trace_id: ids.traceId, span_id: ids.spanId } : {};
}
