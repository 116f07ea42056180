import type { ChannelModel, ConfirmChannel } from 'amqplib';
import type { FastifyBaseLogger } from 'fastify';
import type { Metrics } from '../metrics.js';
import { openConfirmChannel } from './broker.js';

/** Exponential back-off (100 ms → 1 s); the pause is cut short only by `interrupt()` (stop), never by commits. */
export class Backoff {
  private delay = 0;
  private endPause?: () => void;

  reset(): void {
    this.delay = 0;
  }

  /** True on the first failure after a success (log it once, not on every retry). */
  get first(): boolean {
    return this.delay === 0;
  }

  async pause(): Promise<void> {
    this.delay = Math.min(this.delay === 0 ? 100 : this.delay * 2, 1_000);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.delay);
      const end = () => {
        clearTimeout(timer);
        this.endPause = undefined;
        resolve();
      };
      function done() {
        end();
      }
      this.endPause = end;
    });
  }

  interrupt(): void {
    this.endPause?.();
  }
}

/**
 * The broker link: the relay's own connection and confirm channel, with the topology declared on every
 * (re)connect. `onGone` runs once per lost channel, synchronously, so the relay rewinds before its next read.
 */
export class BrokerLink {
  private connection?: ChannelModel;
  channel?: ConfirmChannel;
  private everConnected = false;

  constructor(
    private readonly url: string,
    private readonly log: FastifyBaseLogger,
    private readonly metrics: Metrics,
    private readonly onGone: () => void,
  ) {}

  /** The open channel, connecting first if there is none (throws when the broker cannot be reached). */
  async ensure(): Promise<ConfirmChannel> {
    if (this.channel) return this.channel;
    // The connection is named by the callback's argument, not by the result below: it may fail while the topology
    // is declared, before the result exists (reading it then was a ReferenceError thrown from an event handler).
    const { connection, channel, unroutable } = await openConfirmChannel(this.url, this.log, (gone, err) => {
      if (this.connection !== gone) return;
      this.log.warn({ err: err?.message }, 'broker connection lost');
      this.drop();
    });
    this.connection = connection;
    this.channel = channel;
    if (this.everConnected) this.metrics.reconnects.inc();
    this.everConnected = true;
    this.metrics.brokerUp.set(1);
    this.metrics.unroutableUnbounded.set(unroutable === 'unbounded' ? 1 : 0);
    this.log.info('broker connected');
    return channel;
  }

  /** Forgets the channel (its pending confirms will never come) and closes the connection. */
  drop(): void {
    const conn = this.connection;
    if (!conn) return;
    this.connection = undefined;
    this.channel = undefined;
    this.metrics.brokerUp.set(0);
    void conn.close().catch(() => {});
    this.onGone();
  }

  async close(): Promise<void> {
    const conn = this.connection;
    this.connection = undefined;
    this.channel = undefined;
    await conn?.close().catch(() => {});
  }
}
