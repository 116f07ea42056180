-- Dead letters: outbox rows the relay could not publish (an event name this build does not know, a body that is not
-- JSON, a body outside its event's strict schema). The outbox stays append-only: a dead letter is a copy of the row,
-- keyed by its id, with the reason; the relay's mark moves past the row once the copy is stored. The copy is whole
-- (body, message id, customer, correlation id, time), so retention may purge the outbox row and an operator can still
-- retry (a new outbox row with the same message id) or discard it (`npm run outbox:dead-letters`).
CREATE TABLE outbox_dead_letters (
  outbox_id       BIGINT      PRIMARY KEY,
  message_id      TEXT        NOT NULL,
  organization_id TEXT        NOT NULL,
  customer_id     TEXT        NOT NULL,
  event_name      TEXT        NOT NULL,
  payload         TEXT        NOT NULL,
  correlation_id  TEXT,
  created_at      TIMESTAMPTZ NOT NULL,
  reason          TEXT        NOT NULL CHECK (reason IN ('unknown_event', 'not_json', 'schema_invalid')),
  detail          TEXT        NOT NULL,
  moved_at        TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
