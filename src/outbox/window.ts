import { once } from 'node:events';
import type { ConfirmChannel } from 'amqplib';
import { type EventEnvelope, publishEvent } from '../../generated/index.js';
import type { Metrics } from '../metrics.js';
import type { OutboxRow } from './outbox.repository.js';
import { startPublish } from './tracing.js';

/**
 * The publish window: rows go out in id order with at most `limit` unconfirmed. Confirms come back in order on
 * one channel; `confirmedUpTo` is the highest id whose row and every row before it were confirmed. A failed
 * confirm calls `onFailure` (the relay drops the channel and resends from `confirmedUpTo`).
 */
export class PublishWindow {
  /** Rows published and not yet confirmed, in publish order: id → publish time. */
  private readonly inFlight = new Map<number, number>();
  private generation = 0;
  private slotFree?: () => void;
  private lastPublished = 0;
  private closed = false;
  confirmedUpTo: number;

  constructor(
    private readonly limit: number,
    private readonly metrics: Metrics,
    private readonly onAdvance: (confirmedUpTo: number) => void,
    private readonly onFailure: () => void,
    start = 0,
  ) {
    this.confirmedUpTo = start;
  }

  get size(): number {
    return this.inFlight.size;
  }

  /** Resolves when a row may be published (false when the window was reset meanwhile). */
  async slot(): Promise<boolean> {
    const generation = this.generation;
    while (this.inFlight.size >= this.limit && generation === this.generation && !this.closed) {
      await new Promise<void>((r) => (this.slotFree = r));
    }
    return generation === this.generation && !this.closed;
  }

  /** Publishes `row` (its body read as `envelope`) on `channel`; resolves once the channel can take more (`drain`). */
  async publish(
    channel: ConfirmChannel,
    row: OutboxRow,
    envelope = JSON.parse(row.payload) as EventEnvelope,
  ): Promise<void> {
    const generation = this.generation;
    const started = performance.now();
    this.inFlight.set(row.id, started);
    this.lastPublished = row.id;
    // The stored text is the envelope serialized (src/shared/outbox-writer.ts): sent as is, not serialized again.
    const body = Buffer.from(row.payload);
    const traced = startPublish(row, body.length);
    const properties = {
      body,
      messageId: row.message_id,
      correlationId: row.correlation_id ?? undefined,
      timestamp: row.created_at,
      headers: traced.headers,
    };
    const ok = publishEvent(channel, envelope, properties, (err) => {
      traced.end(err);
      if (generation !== this.generation) return;
      if (err) {
        this.metrics.publishFailures.inc();
        this.onFailure();
        return;
      }
      this.confirm(row, started);
    });
    if (!ok) await Promise.race([once(channel, 'drain'), once(channel, 'close')]);
  }

  /** Changes on every reset: what was handed to the window before a change no longer counts. */
  get epoch(): number {
    return this.generation;
  }

  /**
   * Row `id`, next in order, is settled without being published (stored aside as a dead letter): it counts as
   * confirmed once every row before it is. False (and nothing done) when the window was reset since `epoch`.
   */
  skip(id: number, epoch: number): boolean {
    if (epoch !== this.generation || this.closed) return false;
    this.lastPublished = id;
    if (this.inFlight.size === 0 && id > this.confirmedUpTo) {
      this.confirmedUpTo = id;
      this.onAdvance(id);
    }
    return true;
  }

  private confirm(row: OutboxRow, started: number): void {
    this.inFlight.delete(row.id);
    this.metrics.confirmLatency.observe((performance.now() - started) / 1000);
    this.metrics.eventsPublished.inc({ event: row.event_name });
    // Rows go out in id order (gaps between them are final): everything below the oldest pending row is confirmed.
    const oldest = this.inFlight.keys().next();
    const upTo = oldest.done ? this.lastPublished : oldest.value - 1;
    if (upTo > this.confirmedUpTo) {
      this.confirmedUpTo = upTo;
      this.onAdvance(upTo);
    }
    this.slotFree?.();
  }

  /** The channel is gone: its confirms will never come. Returns the id to resume after. */
  reset(start = this.confirmedUpTo): number {
    if (this.inFlight.size > 0) this.metrics.publishFailures.inc(this.inFlight.size);
    this.inFlight.clear();
    this.generation += 1;
    this.confirmedUpTo = start;
    this.lastPublished = start;
    this.slotFree?.();
    return start;
  }

  /** Stopping: no more slots; pending confirms still count. */
  close(): void {
    this.closed = true;
    this.slotFree?.();
  }

  /** Waits (up to `ms`) for the pending confirms, when stopping. */
  async settle(channel: ConfirmChannel | undefined, ms: number): Promise<void> {
    if (!channel || this.inFlight.size === 0) return;
    await Promise.race([channel.waitForConfirms().catch(() => {}), new Promise((r) => setTimeout(r, ms).unref())]);
  }
}
