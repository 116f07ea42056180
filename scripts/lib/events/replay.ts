import amqp from 'amqplib';
import { type EventEnvelope, isEventName } from '../../../generated/index.js';
import type { Queryable } from '../../../src/db/db.js';
import { traceHeaders } from '../../../src/outbox/tracing.js';
import { topicMatches } from './topic.js';
import { publishedProperties, REPLAYED_HEADER } from './wire.js';

export interface ReplayOptions {
  /** The one queue the events go to (through the default exchange; never customer_events). */
  readonly queue: string;
  /** The one organization whose events are replayed; or `allOrganizations`, said explicitly. */
  readonly org?: string;
  readonly allOrganizations?: boolean;
  /** Only events stored at or after this instant. */
  readonly since?: Date;
  /** A binding pattern on the event name; default every event. */
  readonly events?: string;
}

interface OutboxRow {
  id: string;
  message_id: string;
  organization_id: string;
  event_name: string;
  payload: string;
  correlation_id: string | null;
  created_at: Date | string;
  /** The creation context stored with the row (docs/tracing.md); sent again as it was. */
  traceparent: string | null;
  tracestate: string | null;
}

/** Rows read from the outbox per query: a replay holds one page in memory, never the whole outbox. */
export const REPLAY_PAGE_SIZE = 500;

/**
 * The sent events of the append-only outbox (ids up to the relay's high-water mark, `outbox_progress.last_id`), in
 * their original order (outbox id), page by page, filtered by organization, time and event pattern. Rows are read
 * as stored: personal data erased in the outbox is not in them. Dead letters (rows the relay set aside, never
 * published) are not replayed; a retried one is, as the new row it became.
 */
export async function* storedEvents(db: Queryable, options: Omit<ReplayOptions, 'queue'>): AsyncGenerator<OutboxRow> {
  if (options.org === undefined && options.allOrganizations !== true) {
    throw new Error('name the organization to replay (--org <id>), or say --all-organizations');
  }
  const pattern = options.events ?? '#';
  let after = '0';
  for (;;) {
    const { rows } = await db.query<OutboxRow>(
      `SELECT id, message_id, organization_id, event_name, payload, correlation_id, created_at, traceparent, tracestate
         FROM outbox
        WHERE id > $3::bigint AND id <= (SELECT last_id FROM outbox_progress)
          AND NOT EXISTS (SELECT 1 FROM outbox_dead_letters d WHERE d.outbox_id = outbox.id)
          AND ($1::text IS NULL OR organization_id = $1)
          AND ($2::timestamptz IS NULL OR created_at >= $2)
        ORDER BY id
        LIMIT $4`,
      [options.org ?? null, options.since?.toISOString() ?? null, after, REPLAY_PAGE_SIZE],
    );
    for (const row of rows) if (topicMatches(pattern, row.event_name)) yield row;
    const last = rows.at(-1);
    if (!last || rows.length < REPLAY_PAGE_SIZE) return;
    after = String(last.id);
  }
}

/**
 * Republishes the stored events to `options.queue` only, through the default exchange, with their original
 * `messageId`, the service's properties and headers, and header `x-replayed: true`. Confirmed; returns the count.
 * Fails (sending nothing) when the queue does not exist.
 */
export async function replayEvents(db: Queryable, url: string, options: ReplayOptions): Promise<number> {
  const rows = storedEvents(db, options);
  const first = await rows.next(); // refuses a replay without an organization before connecting
  const connection = await amqp.connect(url, { clientProperties: { connection_name: 'events:replay' } });
  try {
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => {});
    await channel.checkQueue(options.queue).catch((error: unknown) => {
      throw new Error(`queue ${options.queue} does not exist (${error instanceof Error ? error.message : error})`);
    });
    let sent = 0;
    for (let next = first; !next.done; next = await rows.next()) {
      const row = next.value;
      sent++;
      if (!isEventName(row.event_name)) throw new Error(`outbox row ${row.id}: unknown event ${row.event_name}`);
      const envelope = JSON.parse(row.payload) as EventEnvelope;
      const createdAt = row.created_at instanceof Date ? row.created_at : new Date(row.created_at);
      const properties = publishedProperties(
        envelope,
        { messageId: row.message_id, correlationId: row.correlation_id ?? undefined, timestamp: createdAt },
        { ...traceHeaders(row), [REPLAYED_HEADER]: true },
      );
      const ok = channel.sendToQueue(options.queue, Buffer.from(row.payload), properties);
      if (!ok) await new Promise((resolve) => channel.once('drain', resolve));
    }
    await channel.waitForConfirms();
    return sent;
  } finally {
    await connection.close().catch(() => {});
  }
}
