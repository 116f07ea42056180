-- Append-only outbox: a row is written once and never updated. The relay's progress is one persisted high-water
-- mark (outbox_progress.last_id): every row with an id up to it was published (or never committed).
CREATE TABLE outbox_progress (
  singleton BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
  last_id   BIGINT  NOT NULL
);
-- Everything handed out so far is below the mark; the rows not yet sent move above it, in their order and with
-- their message ids, so nothing already sent is sent again and nothing unsent is skipped.
INSERT INTO outbox_progress (last_id) SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM outbox_id_seq;
WITH unsent AS (DELETE FROM outbox WHERE sent_at IS NULL RETURNING *)
INSERT INTO outbox (message_id, organization_id, customer_id, event_name, payload, correlation_id, created_at)
SELECT message_id, organization_id, customer_id, event_name, payload, correlation_id, created_at
  FROM unsent ORDER BY id;
DROP INDEX outbox_unsent_idx;
DROP INDEX outbox_sent_idx;
ALTER TABLE outbox DROP COLUMN sent_at;
-- A row's transaction has an xid before the row has its id: the relay's horizon (outbox.repository.ts) relies on it
-- to tell an id that is still in flight from one that was rolled back. CASE evaluates its condition first.
ALTER TABLE outbox ALTER COLUMN id SET DEFAULT
  (CASE WHEN pg_current_xact_id() IS NOT NULL THEN nextval('outbox_id_seq'::regclass) END);
