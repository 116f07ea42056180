import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '../../generated/index.js';
import type { Queryable } from '../db/db.js';
import { SqlParams } from '../db/sql.js';
import { assertValidEvent } from '../outbox/events.js';

/**
 * The one way a use case stores its events: as outbox rows in its own transaction, so they commit (and are
 * published) exactly when the change does. The relay in src/outbox/ reads and publishes the rows.
 */
export interface EventBatch {
  /** The customer the events are about (the relay keeps one customer's events in order). */
  customerId: string;
  /** The HTTP request id; becomes the AMQP correlationId. */
  correlationId: string | null;
  /** Stored, and published, in this order. */
  events: readonly EventEnvelope[];
}

/**
 * The INSERT of `batch`'s rows, its parameters added to `params`, for a caller that stores the events inside a
 * larger statement (a CTE). `onlyIf`, when given, is a SQL condition that must hold for any row to be stored.
 * Each envelope is validated against the generated schema first: a violation throws, and the transaction rolls
 * back.
 */
export function insertEventsSql(params: SqlParams, batch: EventBatch, onlyIf?: string): string {
  for (const e of batch.events) assertValidEvent(e);
  const ids = params.add(batch.events.map(() => randomUUID()));
  const org = params.add(batch.events[0]?.organization_id);
  const customer = params.add(batch.customerId);
  const correlation = params.add(batch.correlationId);
  const names = params.add(batch.events.map((e) => e.event));
  const payloads = params.add(batch.events.map((e) => JSON.stringify(e)));
  return `INSERT INTO outbox (message_id, organization_id, customer_id, event_name, payload, correlation_id)
     SELECT m, ${org}, ${customer}, n, p, ${correlation}
       FROM unnest(${ids}::text[], ${names}::text[], ${payloads}::text[]) WITH ORDINALITY AS e(m, n, p, ord)
      ${onlyIf ? `WHERE ${onlyIf}` : ''}
      ORDER BY ord`;
}

/** Stores `batch`'s events in the caller's transaction, in order. */
export async function storeEvents(tx: Queryable, batch: EventBatch): Promise<void> {
  if (batch.events.length === 0) return;
  const params = new SqlParams();
  await tx.query(insertEventsSql(params, batch), params.values);
}
