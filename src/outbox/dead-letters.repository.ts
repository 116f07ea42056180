import type { Queryable } from '../db/db.js';
import type { Unpublishable } from './events.js';

/**
 * Dead letters (migration 0007): copies of outbox rows the relay could not publish, keyed by the row's id, with
 * the reason. The outbox itself stays append-only: moving a row aside writes the copy, and the relay's mark then
 * moves past the row like past a published one.
 */
export interface DeadLetter {
  outbox_id: string;
  message_id: string;
  organization_id: string;
  customer_id: string;
  event_name: string;
  payload: string;
  correlation_id: string | null;
  created_at: Date;
  reason: string;
  detail: string;
  moved_at: Date;
}

/**
 * Copies outbox row `id` into the dead letters with `why`. True when it was stored now; false when it was already
 * there (the relay read the row again after a rewind, or another instance moved it first).
 */
export async function moveAside(db: Queryable, id: number, why: Unpublishable): Promise<boolean> {
  const res = await db.query(
    `INSERT INTO outbox_dead_letters (outbox_id, message_id, organization_id, customer_id, event_name, payload,
                                      correlation_id, created_at, reason, detail, traceparent, tracestate)
     SELECT id, message_id, organization_id, customer_id, event_name, payload, correlation_id, created_at, $2, $3,
            traceparent, tracestate
       FROM outbox WHERE id = $1
     ON CONFLICT (outbox_id) DO NOTHING`,
    [id, why.reason, why.detail],
  );
  return res.rowCount > 0;
}

/** Every dead letter, oldest outbox id first. */
export async function listDeadLetters(db: Queryable): Promise<DeadLetter[]> {
  const res = await db.query<DeadLetter>(
    `SELECT outbox_id::text AS outbox_id, message_id, organization_id, customer_id, event_name, payload,
            correlation_id, created_at, reason, detail, moved_at
       FROM outbox_dead_letters ORDER BY outbox_id`,
  );
  return res.rows;
}

/**
 * Puts a dead letter back in the outbox as a NEW row (the outbox is append-only: the old row is never touched),
 * with the same message id, body, customer, correlation id and time, and removes the dead letter; one statement,
 * so either both happen or neither. The new row gets a new id, above every row sent since: it is published after
 * them. Returns the new outbox id, or undefined when there is no such dead letter.
 */
export async function requeueDeadLetter(db: Queryable, outboxId: string): Promise<string | undefined> {
  const res = await db.query<{ id: string }>(
    `WITH d AS (DELETE FROM outbox_dead_letters WHERE outbox_id = $1::bigint RETURNING *)
     INSERT INTO outbox (message_id, organization_id, customer_id, event_name, payload, correlation_id, created_at,
                         traceparent, tracestate)
     SELECT message_id, organization_id, customer_id, event_name, payload, correlation_id, created_at,
            traceparent, tracestate FROM d
     RETURNING id::text AS id`,
    [outboxId],
  );
  return res.rows[0]?.id;
}

/** Deletes a dead letter for good (the event is never published); false when there is none. */
export async function discardDeadLetter(db: Queryable, outboxId: string): Promise<boolean> {
  const res = await db.query('DELETE FROM outbox_dead_letters WHERE outbox_id = $1::bigint', [outboxId]);
  return res.rowCount > 0;
}
