import { once } from 'node:events';
import type { ChannelModel, ConfirmChannel } from 'amqplib';
import type { FastifyBaseLogger } from 'fastify';
import { type EventEnvelope, publishEvent } from '../../generated/index.js';
import type { Db, Session } from '../db/db.js';
import type { Metrics } from '../metrics.js';
import { openConfirmChannel } from './broker.js';
import { fetchUnsent, markSent, type OutboxRow, purgeSent } from './outbox.repository.js';

/** NOTIFY channel that wakes the active relay when another instance commits events. */
export const OUTBOX_CHANNEL = 'customer_outbox';
/** pg advisory lock held by the one active relay (ordering per customer across instances). */
const RELAY_LOCK_KEY = 727274002;
/** How long confirms gather before one UPDATE marks them sent. */
const MARK_BATCH_MS = 5;
/** The longest a busy relay lets commits gather before its next read. */
const MAX_GATHER_MS = 3;

export interface RelayOptions {
  db: Db;
  amqpUrl: string;
  batchSize: number;
  maxInFlight: number;
  pollMs: number;
  retentionHours: number;
  logger: FastifyBaseLogger;
  metrics: Metrics;
}

export interface RelayStatus {
  leader: boolean;
  broker: 'up' | 'down';
}

export interface Relay {
  start(): void;
  /** Call after a commit that wrote events. */
  wake(): void;
  status(): RelayStatus;
  /** Stops publishing, waits for pending confirms, marks them and closes the broker connection. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * The outbox relay. One instance at a time is active (a PostgreSQL advisory lock), and it publishes unsent rows
 * in id order on a confirm channel, with up to `maxInFlight` unconfirmed messages. A row is marked sent only
 * after its confirm. Ids that were confirmed but not yet marked (database down) are remembered and marked first.
 */
export function createRelay(opts: RelayOptions): Relay {
  const { db, logger, metrics } = opts;
  const log = logger.child({ component: 'relay' });

  let stopping = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let woken = false;

  let session: Session | undefined;
  let leader = false;
  let connection: ChannelModel | undefined;
  let channel: ConfirmChannel | undefined;
  let everConnected = false;

  /** Rows published and not yet confirmed: id → publish time. */
  const inFlight = new Map<number, number>();
  /** Rows confirmed by the broker and not yet marked sent in the database. */
  let confirmed: number[] = [];
  /** Confirmed ids, kept until no fetch that started before their mark committed can still return them. */
  const confirmedSet = new Set<number>();
  let markedSinceLastFetch: number[] = [];
  let flushing: Promise<void> | undefined;
  let slotFree: (() => void) | undefined;
  /** Highest id dispatched in order; lowered again when a publish fails so the row is re-read. */
  let cursor = 0;
  let lastPurge = 0;
  let remoteNotifyPending = false;

  function wake(): void {
    woken = true;
    wakeUp?.();
  }

  let endPause: (() => void) | undefined;
  /** A sleep that only stop() cuts short (commits must not shorten a back-off). */
  function pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        endPause = undefined;
        resolve();
      }
      endPause = done;
    });
  }

  function waitForWake(ms: number): Promise<void> {
    if (woken) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        woken = false;
        resolve();
      }
      wakeUp = done;
    });
  }

  async function lead(): Promise<boolean> {
    if (leader) return true;
    const s = await db.session();
    const res = await s.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RELAY_LOCK_KEY]);
    if (!res.rows[0]?.locked) {
      await s.release();
      return false;
    }
    s.onError((err) => {
      if (session !== s) return;
      log.warn({ err: err.message }, 'relay lost its database session; leadership released');
      leader = false;
      session = undefined;
      void s.release();
    });
    await s.onNotify(OUTBOX_CHANNEL, wake);
    // The relay reads the partial index of unsent rows from its start on every cycle. A plain index scan marks the
    // entries of rows sent since as dead (so later scans skip them); a bitmap scan never does, and slows down
    // until vacuum. The relay's reads run on this session, so the setting stays with them.
    if (db.kind === 'postgres') await s.query('SET enable_bitmapscan = off');
    session = s;
    leader = true;
    log.info('this instance is the active outbox relay');
    return true;
  }

  async function connectBroker(): Promise<void> {
    const { connection: conn, channel: ch } = await openConfirmChannel(opts.amqpUrl, (err) => {
      if (connection !== conn) return;
      log.warn({ err: err?.message }, 'broker connection lost');
      dropBroker();
    });
    connection = conn;
    channel = ch;
    if (everConnected) metrics.reconnects.inc();
    everConnected = true;
    metrics.brokerUp.set(1);
    log.info('broker connected');
  }

  function dropBroker(): void {
    const conn = connection;
    connection = undefined;
    channel = undefined;
    metrics.brokerUp.set(0);
    if (conn) void conn.close().catch(() => {});
    // Their confirms will never come: send them again (at least once), in order, from the lowest.
    for (const id of inFlight.keys()) cursor = Math.min(cursor, id - 1);
    if (inFlight.size > 0) metrics.publishFailures.inc(inFlight.size);
    inFlight.clear();
    slotFree?.();
  }

  function onConfirm(row: OutboxRow, started: number, err: unknown): void {
    if (!inFlight.has(row.id)) return; // the channel was already dropped and the row re-queued
    inFlight.delete(row.id);
    slotFree?.();
    if (err) {
      metrics.publishFailures.inc();
      cursor = Math.min(cursor, row.id - 1);
      return;
    }
    metrics.confirmLatency.observe((performance.now() - started) / 1000);
    metrics.eventsPublished.inc({ event: row.event_name });
    confirmed.push(row.id);
    confirmedSet.add(row.id);
    scheduleFlush();
  }

  /**
   * Marks confirmed rows sent, in batches: the first confirm after a pause starts a short timer, so one UPDATE
   * carries the confirms of a few milliseconds. A failure (database down) keeps the ids and retries later.
   */
  let flushTimer: NodeJS.Timeout | undefined;
  let flushWarned = false;
  function scheduleFlush(delayMs = MARK_BATCH_MS): void {
    if (flushing || flushTimer || confirmed.length === 0) return;
    flushTimer = setTimeout(() => {
      flushTimer = undefined;
      flushing = flush().finally(() => {
        flushing = undefined;
        scheduleFlush(flushWarned ? 500 : MARK_BATCH_MS);
      });
    }, delayMs);
  }

  async function flush(): Promise<void> {
    const ids = confirmed;
    confirmed = [];
    if (ids.length === 0) return;
    try {
      await markSent(db, ids);
      markedSinceLastFetch.push(...ids);
      flushWarned = false;
    } catch (err) {
      confirmed = ids.concat(confirmed);
      if (!flushWarned) {
        log.warn({ err: (err as Error).message, pending: confirmed.length }, 'could not mark events sent; will retry');
      }
      flushWarned = true;
    }
  }

  /** Publishes the rows not already in flight or confirmed; returns how many it published. */
  async function publishRows(rows: OutboxRow[], ch: ConfirmChannel): Promise<number> {
    let published = 0;
    for (const row of rows) {
      if (inFlight.has(row.id) || confirmedSet.has(row.id)) continue;
      while (inFlight.size >= opts.maxInFlight && channel === ch) {
        await new Promise<void>((r) => (slotFree = r));
        slotFree = undefined;
      }
      if (channel !== ch) return published;
      const started = performance.now();
      inFlight.set(row.id, started);
      const envelope = JSON.parse(row.payload) as EventEnvelope;
      const ok = publishEvent(
        ch,
        envelope,
        { messageId: row.message_id, correlationId: row.correlation_id ?? undefined, timestamp: row.created_at },
        (err) => onConfirm(row, started, err),
      );
      cursor = Math.max(cursor, row.id);
      published += 1;
      if (!ok) await Promise.race([once(ch, 'drain'), once(ch, 'close')]);
    }
    return published;
  }

  async function purge(): Promise<void> {
    if (Date.now() - lastPurge < 60_000) return;
    lastPurge = Date.now();
    const deleted = await purgeSent(db, opts.retentionHours);
    if (deleted > 0) log.info({ deleted }, 'purged sent outbox rows past retention');
  }

  async function run(): Promise<void> {
    let backoff = 100;
    let gapScanDue = true;
    while (!stopping) {
      try {
        if (!(await lead())) {
          await waitForWake(2_000);
          continue;
        }
        if (!channel) await connectBroker();
        const ch = channel;
        if (!ch) continue;
        scheduleFlush();
        // Rows committed late by concurrent transactions can hold ids below the cursor: re-read from the start
        // of the unsent index whenever we have caught up (it then holds only in-flight rows and such gaps).
        const from: number = gapScanDue ? 0 : cursor;
        const limit: number = gapScanDue ? opts.batchSize + inFlight.size + confirmedSet.size : opts.batchSize;
        // Rows marked before this fetch starts cannot come back from it: forget them once it is processed.
        const forgettable = markedSinceLastFetch;
        markedSinceLastFetch = [];
        let rows: OutboxRow[];
        let published: number;
        try {
          rows = await fetchUnsent(session ?? db, from, limit);
          published = await publishRows(rows, ch);
        } finally {
          for (const id of forgettable) confirmedSet.delete(id);
        }
        backoff = 100;
        const caughtUp: boolean = rows.length < limit;
        if (caughtUp && !gapScanDue) {
          gapScanDue = true;
          continue;
        }
        gapScanDue = caughtUp;
        if (caughtUp) {
          await purge();
          // Busy (this cycle published): let the commits of the next milliseconds gather, so one read carries
          // several events. Idle: the next commit goes out at once.
          if (published > 0) await sleep(Math.min(MAX_GATHER_MS, published));
          await waitForWake(opts.pollMs);
          gapScanDue = true;
        }
      } catch (err) {
        if (stopping) break;
        if (backoff === 100) log.warn({ err: (err as Error).message }, 'relay cycle failed; retrying with back-off');
        await pause(backoff);
        backoff = Math.min(backoff * 2, 1_000);
      }
    }
  }

  return {
    start() {
      loop ??= run();
    },
    wake() {
      if (leader || db.kind === 'pglite') {
        wake();
        return;
      }
      // Another instance may be the active relay: tell it through NOTIFY, coalescing bursts.
      if (remoteNotifyPending) return;
      remoteNotifyPending = true;
      setImmediate(() => {
        remoteNotifyPending = false;
        db.notify(OUTBOX_CHANNEL).catch(() => {});
      });
    },
    status() {
      return { leader, broker: channel ? 'up' : 'down' };
    },
    async stop() {
      stopping = true;
      wake();
      endPause?.();
      slotFree?.();
      await loop;
      const ch = channel;
      if (ch && inFlight.size > 0) {
        await Promise.race([ch.waitForConfirms().catch(() => {}), sleep(5_000)]);
      }
      clearTimeout(flushTimer);
      flushTimer = undefined;
      await flushing;
      if (confirmed.length > 0) await flush();
      const conn = connection;
      connection = undefined;
      channel = undefined;
      await conn?.close().catch(() => {});
      if (session) {
        const s = session;
        session = undefined;
        leader = false;
        await s.query('SELECT pg_advisory_unlock($1)', [RELAY_LOCK_KEY]).catch(() => {});
        await s.release();
      }
    },
  };
}
