import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/db.js';
import type { Metrics } from '../metrics.js';
import { DeadLetters } from './dead-letters.js';
import { readStoredEvent } from './events.js';
import { Leadership, OUTBOX_CHANNEL } from './leadership.js';
import { Backoff, BrokerLink } from './link.js';
import { probeXid, readAfter } from './outbox.repository.js';
import { Horizon, Progress } from './progress.js';
import { SentPurge } from './sent-purge.js';
import { Waker } from './waker.js';
import { PublishWindow } from './window.js';

/** The longest a busy relay lets commits gather before its next read. */
const MAX_GATHER_MS = 3;
/** How often the mark is saved under load. */
const SAVE_EVERY_MS = 20;
/** Re-read delay while a gap waits for a transaction in flight (a rollback wakes nobody). */
const GAP_RETRY_MS = 2;

/** After a cycle: read again at once, wait for a wake (at most `ms`), or first let commits gather `ms` (busy). */
type Next = { kind: 'again' } | { kind: 'wait'; ms: number } | { kind: 'gather'; ms: number };
const AGAIN: Next = { kind: 'again' };

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

export interface Relay {
  start(): void;
  /** Call after a commit that wrote events. */
  wake(): void;
  status(): { leader: boolean; broker: 'up' | 'down' };
  /** Stops publishing, waits for pending confirms, saves the mark and closes the broker connection. */
  stop(): Promise<void>;
}

/**
 * The outbox relay, composed of its parts: leadership (one active relay per database), the broker link, the
 * publish window, progress (mark, horizon of ended transactions), purge and dead letters. It
 * publishes rows in id order and never skips an id whose transaction may still commit (nor, unstored, a dead letter).
 */
export function createRelay(opts: RelayOptions): Relay {
  const { db, metrics } = opts;
  const log = opts.logger.child({ component: 'relay' });
  const waker = new Waker();
  const backoff = new Backoff();
  let cursor = -1; // highest id handed to the window; -1: not resumed since taking the lead
  const rewind = () => {
    if (cursor >= 0) cursor = window.reset();
  };
  const lostLead = () => {
    rewind();
    cursor = -1;
  };
  const leadership = new Leadership(db, log, () => waker.wake(), lostLead);
  const link = new BrokerLink(opts.amqpUrl, log, metrics, rewind);
  const progress = new Progress(
    () => leadership.current,
    SAVE_EVERY_MS,
    (err) => log.warn({ err: err.message }, 'could not save the outbox mark; will retry'),
  );
  const window = new PublishWindow(
    opts.maxInFlight,
    metrics,
    (id) => progress.advance(id),
    () => link.drop(),
  );
  const horizon = new Horizon(db.kind === 'pglite');
  const sentPurge = new SentPurge(opts.retentionHours, log);
  const deadLetters = new DeadLetters(metrics, log);
  let stopping = false;
  let loop: Promise<void> | undefined;

  /** One cycle: read after the cursor, publish what is final; says what to do before the next. */
  async function cycle(): Promise<Next> {
    const session = leadership.current;
    if (!session) return AGAIN;
    const channel = await link.ensure();
    if (cursor < 0) cursor = window.reset(await progress.resume(session));
    const { rows, horizon: sample } = await readAfter(session, cursor, opts.batchSize);
    horizon.observe(sample);
    const ready = horizon.publishable(cursor, rows);
    for (const row of ready) {
      if (!(await window.slot()) || link.channel !== channel || stopping) return AGAIN;
      const stored = readStoredEvent(row.event_name, row.payload);
      if ('reason' in stored && !(await deadLetters.passOver(session, row, stored, window))) return AGAIN;
      cursor = row.id; // before publishing: a channel lost while it waits for `drain` rewinds the cursor
      if ('envelope' in stored) await window.publish(channel, row, stored.envelope);
    }
    if (ready.length === opts.batchSize) return AGAIN;
    if (ready.length < rows.length) {
      if (horizon.probeDue) horizon.probed(await probeXid(session));
      return { kind: 'wait', ms: GAP_RETRY_MS };
    }
    await sentPurge.maybeRun(session);
    const gather = Math.min(MAX_GATHER_MS, ready.length);
    return ready.length > 0 ? { kind: 'gather', ms: gather } : { kind: 'wait', ms: opts.pollMs };
  }

  async function run(): Promise<void> {
    while (!stopping) {
      try {
        if (!leadership.leader && !(await leadership.acquire())) {
          await waker.wait(2_000);
          continue;
        }
        const next = await cycle();
        backoff.reset();
        if (next.kind === 'gather') await waker.sleep(next.ms);
        if (next.kind !== 'again') await waker.wait(next.kind === 'gather' ? opts.pollMs : next.ms);
      } catch (err) {
        if (stopping) break;
        if (backoff.first) log.warn({ err: (err as Error).message }, 'relay cycle failed; retrying with back-off');
        await backoff.pause();
      }
    }
  }

  return {
    start() {
      loop ??= run();
    },
    wake() {
      if (leadership.leader || db.kind === 'pglite') waker.wake();
      else waker.notifyOthers(() => db.notify(OUTBOX_CHANNEL));
    },
    status() {
      return { leader: leadership.leader, broker: link.channel ? 'up' : 'down' };
    },
    async stop() {
      stopping = true;
      waker.stop();
      backoff.interrupt();
      window.close();
      await loop;
      await window.settle(link.channel, 5_000);
      await progress.stop();
      await link.close();
      await leadership.release();
    },
  };
}
