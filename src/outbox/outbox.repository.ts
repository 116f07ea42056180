import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '../../generated/index.js';
import type { Queryable } from '../db/db.js';
import { assertValidEvent } from './events.js';

export interface OutboxContext {
  /** The HTTP request id; becomes the AMQP correlationId. */
  correlationId?: string;
}

/**
 * The INSERT that stores `events` in order, as SQL with parameters numbered from `firstParam`, so a use case can
 * run it on its own (`enqueueEvents`) or inside a larger statement. `guard`, when given, is a SQL condition that
 * must hold for the rows to be inserted. Each envelope is validated against the generated schema first: a
 * violation throws, and the caller's transaction rolls back.
 */
export function outboxInsert(
  ctx: OutboxContext,
  customerId: string,
  events: readonly EventEnvelope[],
  firstParam = 1,
  guard?: string,
): { sql: string; params: unknown[] } {
  for (const e of events) assertValidEvent(e);
  const $ = (i: number) => `$${firstParam + i}`;
  return {
    sql: `INSERT INTO outbox (message_id, organization_id, customer_id, event_name, payload, correlation_id)
     SELECT m, ${$(1)}, ${$(2)}, n, p, ${$(3)}
       FROM unnest(${$(0)}::text[], ${$(4)}::text[], ${$(5)}::text[]) WITH ORDINALITY AS e(m, n, p, ord)
      ${guard ? `WHERE ${guard}` : ''}
      ORDER BY ord`,
    params: [
      events.map(() => randomUUID()),
      events[0]?.organization_id,
      customerId,
      ctx.correlationId ?? null,
      events.map((e) => e.event),
      events.map((e) => JSON.stringify(e)),
    ],
  };
}

/** Stores events in the caller's transaction, in the given order (see `outboxInsert`). */
export async function enqueueEvents(
  tx: Queryable,
  ctx: OutboxContext,
  customerId: string,
  events: readonly EventEnvelope[],
): Promise<void> {
  if (events.length === 0) return;
  const { sql, params } = outboxInsert(ctx, customerId, events);
  await tx.query(sql, params);
}

export interface OutboxRow {
  id: number;
  message_id: string;
  event_name: string;
  payload: string;
  correlation_id: string | null;
  created_at: Date;
}

/** Unsent rows after `afterId`, oldest first. */
export async function fetchUnsent(db: Queryable, afterId: number, limit: number): Promise<OutboxRow[]> {
  const res = await db.query<OutboxRow>(
    `SELECT id, message_id, event_name, payload, correlation_id, created_at
       FROM outbox WHERE sent_at IS NULL AND id > $1 ORDER BY id LIMIT $2`,
    [afterId, limit],
  );
  return res.rows;
}

export async function markSent(db: Queryable, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query('UPDATE outbox SET sent_at = clock_timestamp() WHERE id = ANY($1::bigint[])', [ids]);
}

export interface Backlog {
  count: number;
  oldestAgeSeconds: number;
}

export async function backlog(db: Queryable): Promise<Backlog> {
  const res = await db.query<{ count: number; age: number | null }>(
    `SELECT count(*)::int AS count, EXTRACT(EPOCH FROM clock_timestamp() - min(created_at))::float8 AS age
       FROM outbox WHERE sent_at IS NULL`,
  );
  const row = res.rows[0];
  return { count: row?.count ?? 0, oldestAgeSeconds: row?.age ?? 0 };
}

/** Deletes sent rows older than the retention period. Unsent rows are never deleted. */
export async function purgeSent(db: Queryable, retentionHours: number): Promise<number> {
  const res = await db.query(
    `DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < clock_timestamp() - make_interval(secs => $1)`,
    [retentionHours * 3600],
  );
  return res.rowCount;
}
