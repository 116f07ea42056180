import type { Queryable } from '../db/db.js';
import { customerRowReader } from '../shared/customer-rows.js';
import { ANONYMIZED_REQUEST_HASH } from '../shared/idempotency-marks.js';

/*
 * The privacy use cases' own SQL: the record of each anonymization, and the rewrite of what the service stored as
 * JSON text about a customer (outbox payloads, remembered Idempotency-Key responses). The outbox is append-only
 * for everything else; this erasure (Law 81 of 2019) is the one reason a stored event is ever rewritten.
 */

export interface AnonymizationRow {
  reason: string | null;
  actor: string;
  points_forfeited: number;
  anonymized_at: Date;
}

export async function insertAnonymization(
  tx: Queryable,
  org: string,
  customerId: string,
  a: AnonymizationRow,
): Promise<void> {
  await tx.query(
    `INSERT INTO customer_anonymizations (organization_id, customer_id, reason, actor, points_forfeited, anonymized_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [org, customerId, a.reason, a.actor, a.points_forfeited, a.anonymized_at],
  );
}

export const findAnonymization = customerRowReader<AnonymizationRow>(
  'customer_anonymizations',
  'reason, actor, points_forfeited, anonymized_at',
);

export interface StoredText {
  id: string;
  text: string;
}

/**
 * Where a customer's events are stored as JSON text, with the column that holds each row's outbox id: the outbox
 * itself, and its dead letters (copies of outbox rows the relay could not publish, migration 0007).
 */
const EVENT_STORES = { outbox: 'id', outbox_dead_letters: 'outbox_id' } as const;

export type EventStore = keyof typeof EVENT_STORES;

/** Every stored event of the customer in `store` (in the outbox: sent, retained or not), by outbox id. */
export async function customerEvents(
  tx: Queryable,
  store: EventStore,
  org: string,
  customerId: string,
): Promise<StoredText[]> {
  const id = EVENT_STORES[store];
  const res = await tx.query<StoredText>(
    `SELECT ${id}::text AS id, payload AS text FROM ${store}
      WHERE organization_id = $1 AND customer_id = $2 ORDER BY ${id}`,
    [org, customerId],
  );
  return res.rows;
}

/**
 * Rewrites the payloads of stored events in `store` (by outbox id) in one statement: the one UPDATE of outbox rows
 * anywhere (the outbox is append-only except for erasure). Ids and the relay's mark stay as they are, so ordering
 * holds.
 */
export async function rewriteEvents(
  tx: Queryable,
  store: EventStore,
  org: string,
  rows: readonly StoredText[],
): Promise<void> {
  if (rows.length === 0) return;
  const id = EVENT_STORES[store];
  await tx.query(
    `UPDATE ${store} s SET payload = r.text
       FROM unnest($2::bigint[], $3::text[]) AS r(id, text)
      WHERE s.organization_id = $1 AND s.${id} = r.id`,
    [org, rows.map((r) => r.id), rows.map((r) => r.text)],
  );
}

/** Remembered responses (Idempotency-Key) of the organization whose body mentions the customer's id. */
export async function responsesMentioning(tx: Queryable, org: string, customerId: string): Promise<StoredText[]> {
  const res = await tx.query<StoredText>(
    `SELECT key AS id, body AS text FROM idempotency_keys
      WHERE organization_id = $1 AND body IS NOT NULL AND strpos(body, $2) > 0`,
    [org, JSON.stringify(customerId)],
  );
  return res.rows;
}

export async function rewriteResponses(tx: Queryable, org: string, rows: readonly StoredText[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    // The request hash goes too: it was taken over a body that held the customer's personal data.
    `UPDATE idempotency_keys k SET body = r.text, request_hash = $4
       FROM unnest($2::text[], $3::text[]) AS r(key, text)
      WHERE k.organization_id = $1 AND k.key = r.key`,
    [org, rows.map((r) => r.id), rows.map((r) => r.text), ANONYMIZED_REQUEST_HASH],
  );
}
