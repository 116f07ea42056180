import type { Queryable } from '../db/db.js';
import { type HorizonSample, loadMark, type OutboxRow, saveMark } from './outbox.repository.js';

/** How long a gap may stay open before the relay asks whether its transaction is still running. */
export const GAP_PROBE_AFTER_MS = 5;

/**
 * Which ids can no longer change. A read sees committed rows only, so a gap in the ids is either a transaction
 * still in flight (wait: it may commit later, below ids already seen) or a rolled-back one (skip it).
 *
 * Every outbox row's transaction has an xid before the row has its id (migration 0003). When a gap stays open,
 * the relay takes an xid of its own (`probeXid`) after a read: it is above the xid of every transaction that held
 * one of the ids up to that read's `seq`. Once a later snapshot's `xmin` is above it, all of those transactions
 * have ended: every id up to `seq` is final (committed and visible, or never). A snapshot's `xmax` cannot serve:
 * it is one past the latest *completed* xid, and transactions with higher xids may be running.
 * On PGlite (one connection, transactions serialised) nothing is in flight during a read: `seq` is final at once.
 */
export class Horizon {
  /** Every id up to this one belongs to a transaction that has ended. */
  final = 0;
  private lastSeq = 0;
  private probe?: { seq: number; xid: number };
  private blockedAt?: { id: number; since: number };

  constructor(private readonly serialised: boolean) {}

  observe(sample: HorizonSample): void {
    this.lastSeq = sample.seq;
    if (this.serialised) this.final = Math.max(this.final, sample.seq);
    else if (this.probe && sample.xmin > this.probe.xid) {
      this.final = Math.max(this.final, this.probe.seq);
      this.probe = undefined;
    }
  }

  /** The rows after `cursor` that may go out now: the longest prefix of `rows` with no gap still open. */
  publishable(cursor: number, rows: readonly OutboxRow[]): OutboxRow[] {
    let expected = cursor + 1;
    let n = 0;
    for (const row of rows) {
      if (row.id !== expected && row.id - 1 > this.final) break;
      expected = row.id + 1;
      n += 1;
    }
    if (n < rows.length) {
      if (this.blockedAt?.id !== expected) this.blockedAt = { id: expected, since: performance.now() };
    } else this.blockedAt = undefined;
    return n === rows.length ? (rows as OutboxRow[]) : rows.slice(0, n);
  }

  /** True when a gap has stayed open long enough to probe (and no probe is pending). */
  get probeDue(): boolean {
    return (
      !this.probe && this.blockedAt !== undefined && performance.now() - this.blockedAt.since >= GAP_PROBE_AFTER_MS
    );
  }

  /** Records the xid the relay took right after its last read. */
  probed(xid: number): void {
    this.probe = { seq: this.lastSeq, xid };
  }
}

/**
 * Progress: the persisted high-water mark. The window's confirmed position is saved at most every `everyMs`
 * (one small UPDATE for many events); a crash resends at most what was confirmed since (at least once).
 */
export class Progress {
  /** Highest id confirmed by the broker in this process (kept across leadership changes). */
  private confirmed = 0;
  private saved = 0;
  private timer?: NodeJS.Timeout;
  private saving?: Promise<void>;

  constructor(
    private readonly db: () => Queryable | undefined,
    private readonly everyMs: number,
    private readonly onError: (err: Error) => void,
  ) {}

  /** On taking the lead: resume after the persisted mark, or after what this process had confirmed if higher. */
  async resume(q: Queryable): Promise<number> {
    this.saved = await loadMark(q);
    const from = Math.max(this.saved, this.confirmed);
    this.confirmed = from;
    await this.save();
    return from;
  }

  advance(confirmedUpTo: number): void {
    if (confirmedUpTo <= this.confirmed) return;
    this.confirmed = confirmedUpTo;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, this.everyMs);
  }

  /** Saves the mark now (no-op when saved). A failure (database down) is reported and retried on the next advance. */
  async save(): Promise<void> {
    await this.saving;
    const q = this.db();
    const upTo = this.confirmed;
    if (!q || upTo <= this.saved) return;
    this.saving = saveMark(q, upTo).then(
      () => {
        this.saved = Math.max(this.saved, upTo);
      },
      (err: Error) => this.onError(err),
    );
    await this.saving;
    this.saving = undefined;
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.save();
  }
}
