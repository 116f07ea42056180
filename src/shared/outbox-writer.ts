import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '../../generated/index.js';
import type { Queryable } from '../db/db.js';
import { SqlParams } from '../db/sql.js';
import { assertValidEvent } from '../outbox/events.js';
import { Creation } from '../outbox/tracing.js';

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
 * An INSERT of outbox rows (`RETURNING message_id`) and the `create` spans of its events: once the statement ran,
 * the caller tells `creation` what it stored (src/outbox/tracing.ts).
 */
export interface EventsSql {
  readonly sql: string;
  readonly creation: Creation;
}

/**
 * The INSERT of `batch`'s rows, its parameters added to `params`, for a caller that stores the events inside a
 * larger statement (a CTE). `onlyIf`, when given, is a SQL condition that must hold for any row to be stored.
 * Each envelope is validated against the generated schema first: a violation throws, and the transaction rolls
 * back.
 */
export function insertEventsSql(params: SqlParams, batch: EventBatch, onlyIf?: string): EventsSql {
  for (const e of batch.events) assertValidEvent(e);
  const messageIds = batch.events.map(() => randomUUID());
  const creation = new Creation(
    batch.events.map((e, i) => ({ event: e.event, messageId: messageIds[i] as string })),
    batch.correlationId,
  );
  const traces = creation.contexts;
  const ids = params.add(messageIds);
  const org = params.add(batch.events[0]?.organization_id);
  const customer = params.add(batch.customerId);
  const correlation = params.add(batch.correlationId);
  const names = params.add(batch.events.map((e) => e.event));
  const payloads = params.add(batch.events.map((e) => JSON.stringify(e)));
  const parents = params.add(traces.map((t) => t.traceparent));
  const states = params.add(traces.map((t) => t.tracestate));
  const sql = `INSERT INTO outbox (message_id, organization_id, customer_id, event_name, payload, correlation_id,
                              traceparent, tracestate)
     SELECT m, ${org}, ${customer}, n, p, ${correlation}, tp, ts
       FROM unnest(${ids}::text[], ${names}::text[], ${payloads}::text[], ${parents}::text[], ${states}::text[])
            WITH ORDINALITY AS e(m, n, p, tp, ts, ord)
      ${onlyIf ? `WHERE ${onlyIf}` : ''}
      ORDER BY ord
     RETURNING message_id`;
  return { sql, creation };
}

/** Stores `batch`'s events in the caller's transaction, in order. */
export async function storeEvents(tx: Queryable, batch: EventBatch): Promise<void> {
  if (batch.events.length === 0) return;
  const params = new SqlParams();
  const { sql, creation } = insertEventsSql(params, batch);
  await tx.query(sql, params.values);
  creation.stored();
}

/**
 * An event whose `data` holds fields the statement that stores it computes (an earn's new balance and tier): the
 * envelope holds a sample value of each such field, and `computed` the SQL expression of that field's JSON text.
 */
export interface ComputedEvent {
  envelope: EventEnvelope;
  /** `data` field → SQL expression of its JSON text (`x::text` for an integer, `to_json(x)::text` for a string). */
  computed: Readonly<Record<string, string>>;
  /** A SQL condition for storing this event (default: always). */
  onlyIf?: string;
}

/**
 * The INSERT of events that a larger statement completes, one row set per row of `from` (a CTE holding the columns
 * that `computed` expressions name) where `onlyIf` holds. Each envelope, with its samples, is validated against the
 * generated schema first, and the JSON text is that of `JSON.stringify(envelope)` with each computed field's text
 * spliced in: a computed value is valid whenever its type and range are, which the caller has to guarantee (see
 * test/loyalty/earn-statement.test.ts for the earn's).
 */
export function insertComputedEventsSql(
  params: SqlParams,
  batch: { customerId: string; correlationId: string | null; events: readonly ComputedEvent[] },
  from: string,
  onlyIf: string,
): EventsSql {
  const messageIds = batch.events.map(() => randomUUID());
  const creation = new Creation(
    batch.events.map((e, i) => ({ event: e.envelope.event, messageId: messageIds[i] as string })),
    batch.correlationId,
  );
  const traces = creation.contexts;
  const rows = batch.events.map((e, i) => {
    assertValidEvent(e.envelope);
    const payload = spliced(e.envelope, e.computed)
      .map((part) => (typeof part === 'string' ? `${params.add(part)}::text` : `(${part.sql})`))
      .join(' || ');
    const trace = traces[i];
    const context = `${params.add(trace?.traceparent ?? null)}::text, ${params.add(trace?.tracestate ?? null)}::text`;
    return `(${i + 1}, ${params.add(messageIds[i])}::text, ${params.add(e.envelope.event)}::text, ${payload}, ${context}, ${e.onlyIf ?? 'true'})`;
  });
  const org = params.add(batch.events[0]?.envelope.organization_id);
  const customer = params.add(batch.customerId);
  const correlation = params.add(batch.correlationId);
  const sql = `INSERT INTO outbox (message_id, organization_id, customer_id, event_name, payload, correlation_id,
                              traceparent, tracestate)
     SELECT e.m, ${org}, ${customer}, e.n, e.p, ${correlation}, e.tp, e.ts
       FROM ${from} CROSS JOIN LATERAL (VALUES ${rows.join(', ')}) AS e(ord, m, n, p, tp, ts, keep)
      WHERE e.keep AND ${onlyIf}
      ORDER BY e.ord
     RETURNING message_id`;
  return { sql, creation };
}

/** `JSON.stringify(envelope)` cut where the computed fields' values go: text parts and the SQL of those values. */
function spliced(envelope: EventEnvelope, computed: Readonly<Record<string, string>>): (string | { sql: string })[] {
  // A marker no client can send: it holds a random token drawn per call.
  const token = randomUUID();
  const holes: string[] = [];
  const text = JSON.stringify(envelope, function (this: unknown, key: string, value: unknown) {
    if (this !== envelope.data || !Object.hasOwn(computed, key)) return value;
    holes.push(computed[key] as string);
    return `${token}:${holes.length - 1}`;
  });
  if (holes.length !== Object.keys(computed).length) throw new Error('a computed field is missing from the event');
  const parts: (string | { sql: string })[] = [];
  let rest = text;
  holes.forEach((sql, i) => {
    const marker = JSON.stringify(`${token}:${i}`);
    const at = rest.indexOf(marker);
    parts.push(rest.slice(0, at), { sql });
    rest = rest.slice(at + marker.length);
  });
  parts.push(rest);
  return parts;
}
