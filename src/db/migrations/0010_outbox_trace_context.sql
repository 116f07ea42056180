-- The W3C Trace Context of each event's creation (docs/tracing.md): the `create customer_events` span recorded in
-- the transaction that stored the row. The relay publishes it as the message's `traceparent`/`tracestate` headers
-- and parents its `publish` span on it. NULL when the service was not tracing. Dead letters keep it, so a retried
-- event stays in its trace.
ALTER TABLE outbox ADD COLUMN traceparent TEXT, ADD COLUMN tracestate TEXT;
ALTER TABLE outbox_dead_letters ADD COLUMN traceparent TEXT, ADD COLUMN tracestate TEXT;
