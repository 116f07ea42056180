import type { Queryable } from '../db/db.js';

export interface OutboxRow {
  id: number;
  message_id: string;
  event_name: string;
  payload: string;
  correlation_id: string | null;
  created_at: Date;
  /** The W3C context of the event's creation (src/outbox/tracing.ts); null when the service was not tracing. */
  traceparent: string | null;
  tracestate: string | null;
}

/** What one read saw of transactions in flight: its snapshot's xmin, and the id sequence read after it. */
export interface HorizonSample {
  xmin: number;
  /** The last id handed out (by any session) when the read ran, read after its snapshot was taken. */
  seq: number;
}

/**
 * Rows after `afterId` in id order, with the horizon sample of the same statement (see `Horizon`). Committed rows
 * only; rows of transactions still in flight are invisible, which is why the caller must not skip over gaps.
 */
export async function readAfter(
  db: Queryable,
  afterId: number,
  limit: number,
): Promise<{ rows: OutboxRow[]; horizon: HorizonSample }> {
  const res = await db.query<OutboxRow & HorizonSample>(
    `WITH h AS (
       SELECT pg_snapshot_xmin(s)::text::bigint AS xmin,
              (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM outbox_id_seq) AS seq
         FROM pg_current_snapshot() AS s)
     SELECT h.xmin, h.seq, o.id, o.message_id, o.event_name, o.payload, o.correlation_id, o.created_at,
            o.traceparent, o.tracestate
       FROM h LEFT JOIN LATERAL (SELECT * FROM outbox WHERE id > $1 ORDER BY id LIMIT $2) o ON true
      ORDER BY o.id`,
    [afterId, limit],
  );
  const first = res.rows[0];
  const horizon = { xmin: Number(first?.xmin), seq: Number(first?.seq) };
  const rows = first?.id == null ? [] : res.rows;
  return { rows, horizon };
}

/**
 * Takes an xid (a short transaction of its own that writes nothing else): later than any xid assigned before
 * this statement started. Only run when a gap in the ids stays open (see `Horizon`).
 */
export async function probeXid(db: Queryable): Promise<number> {
  const res = await db.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
  return Number(res.rows[0]?.xid);
}

/** The persisted high-water mark: every row with an id up to it was published or never committed. */
export async function loadMark(db: Queryable): Promise<number> {
  const res = await db.query<{ last_id: number }>('SELECT last_id FROM outbox_progress');
  return res.rows[0]?.last_id ?? 0;
}

/** Moves the mark forward (never back: another instance may have moved it further). */
export async function saveMark(db: Queryable, lastId: number): Promise<void> {
  await db.query('UPDATE outbox_progress SET last_id = $1 WHERE last_id < $1', [lastId]);
}

export interface Backlog {
  count: number;
  oldestAgeSeconds: number;
  /** Rows moved aside as dead letters (never published; migration 0007). */
  deadLetters: number;
}

/** Rows above the mark (committed, not yet published), and the dead letters stored. */
export async function backlog(db: Queryable): Promise<Backlog> {
  const res = await db.query<{ count: number; age: number | null; dead: number }>(
    `SELECT count(*)::int AS count, EXTRACT(EPOCH FROM clock_timestamp() - min(created_at))::float8 AS age,
            (SELECT count(*)::int FROM outbox_dead_letters) AS dead
       FROM outbox WHERE id > (SELECT last_id FROM outbox_progress)`,
  );
  const row = res.rows[0];
  return { count: row?.count ?? 0, oldestAgeSeconds: row?.age ?? 0, deadLetters: row?.dead ?? 0 };
}

/**
 * Deletes up to `batch` of the oldest rows that are both below the mark (published) and older than the
 * retention period; returns how many. It looks at the `batch` oldest rows only, so it never scans the table.
 */
export async function purgeSent(db: Queryable, retentionHours: number, batch = 1000): Promise<number> {
  const res = await db.query(
    `DELETE FROM outbox WHERE id IN (
       SELECT id FROM (SELECT id, created_at FROM outbox
                        WHERE id <= (SELECT last_id FROM outbox_progress) ORDER BY id LIMIT $2) oldest
        WHERE created_at < clock_timestamp() - make_interval(secs => $1))`,
    [retentionHours * 3600, batch],
  );
  return res.rowCount;
}
