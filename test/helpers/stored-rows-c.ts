import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../src/db/db.js';

/*
 * Reads (and a few direct writes) of stored rows for the tests of issue #30: what a test checks in the database
 * itself, next to what the API answers.
 */

export interface StoredOutboxRow {
  id: number;
  message_id: string;
  customer_id: string;
  event_name: string;
}

/** Organization `org`'s outbox rows, in id order. */
export async function outboxOf(db: Queryable, org: string): Promise<StoredOutboxRow[]> {
  const res = await db.query<StoredOutboxRow>(
    'SELECT id, message_id, customer_id, event_name FROM outbox WHERE organization_id = $1 ORDER BY id',
    [org],
  );
  return res.rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** The relay's persisted mark. */
export async function markOf(db: Queryable): Promise<number> {
  const res = await db.query<{ last_id: number }>('SELECT last_id FROM outbox_progress');
  return Number(res.rows[0]?.last_id);
}

/** Puts the mark at `id`: every row up to it counts as published (as after an earlier relay's run). */
export async function setMark(db: Queryable, id: number): Promise<void> {
  await db.query('UPDATE outbox_progress SET last_id = $1', [id]);
}

/** Makes outbox row `id` look `hours` old (created_at is what retention counts from). */
export async function ageRow(db: Queryable, id: number, hours: number): Promise<void> {
  await db.query(`UPDATE outbox SET created_at = clock_timestamp() - make_interval(secs => $2) WHERE id = $1`, [
    id,
    hours * 3600,
  ]);
}

/** Stores one customer.created row for `org` directly (no app), `hours` old; returns its id. */
export async function insertOutboxRow(db: Queryable, org: string, hours = 0): Promise<number> {
  const customerId = `cust_${randomUUID().slice(0, 8)}`;
  const payload = JSON.stringify({
    event: 'customer.created',
    version: '1.0',
    timestamp: '2025-11-24T10:00:00Z',
    organization_id: org,
    data: { customer_id: customerId, customer_type: 'b2c', email: null, phone: '+34600000000' },
  });
  const res = await db.query<{ id: number }>(
    `INSERT INTO outbox (message_id, organization_id, customer_id, event_name, payload, created_at)
     VALUES ($1, $2, $3, 'customer.created', $4, clock_timestamp() - make_interval(secs => $5)) RETURNING id`,
    [randomUUID(), org, customerId, payload, hours * 3600],
  );
  return Number(res.rows[0]?.id);
}

/** How many rows of `table` belong to `org`. */
export async function countOf(db: Queryable, table: string, org: string): Promise<number> {
  const res = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE organization_id = $1`, [
    org,
  ]);
  return Number(res.rows[0]?.n);
}
