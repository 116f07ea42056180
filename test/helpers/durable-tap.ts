import { randomBytes } from 'node:crypto';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { assertTopology, EXCHANGE } from '../../generated/index.js';
import { Barriers } from './barriers.js';
import { AMQP_URL } from './events.js';

/**
 * A consumer on a durable, named queue bound to `customer_events`: it keeps collecting across a broker restart
 * (the queue and its persistent messages survive; the tap reconnects). Records every delivery of organization
 * `org` (when given; other test files publish on the same exchange), duplicates included.
 */

export class DurableTap {
  readonly deliveries: { messageId: string; body: { event: string; data: Record<string, unknown> } }[] = [];
  private connection?: ChannelModel;
  private channel?: Channel;
  private closed = false;
  private readonly barriers = new Barriers();
  readonly queue = `test.faults.${randomBytes(4).toString('hex')}`;
  private constructor(private readonly org?: string) {}

  static async open(pattern = '#', org?: string): Promise<DurableTap> {
    const tap = new DurableTap(org);
    await tap.connect(pattern);
    return tap;
  }

  private async connect(pattern: string): Promise<void> {
    const connection = await amqp.connect(AMQP_URL);
    const channel = await connection.createChannel();
    await assertTopology(channel);
    await channel.assertQueue(this.queue, { durable: true });
    await channel.bindQueue(this.queue, EXCHANGE, pattern);
    await channel.consume(
      this.queue,
      (msg) => {
        if (!msg) return;
        if (this.barriers.take(msg)) return;
        let body: DurableTap['deliveries'][number]['body'] & { organization_id?: unknown };
        try {
          body = JSON.parse(msg.content.toString());
        } catch {
          return; // another test file's malformed message: a throw here would close the channel
        }
        if (this.org !== undefined && body.organization_id !== this.org) return;
        this.deliveries.push({ messageId: String(msg.properties.messageId), body });
      },
      { noAck: true },
    );
    const again = () => {
      if (this.closed || this.connection !== connection) return;
      this.connection = undefined;
      void this.reconnect(pattern);
    };
    connection.on('close', again);
    connection.on('error', () => {});
    this.connection = connection;
    this.channel = channel;
  }

  private async reconnect(pattern: string): Promise<void> {
    while (!this.closed) {
      try {
        await this.connect(pattern);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /** The transaction ids seen in loyalty.points.earned events. */
  earnedTransactions(): Set<string> {
    const transactions = new Set<string>();
    for (const d of this.deliveries) {
      if (d.body.event === 'loyalty.points.earned') transactions.add(String(d.body.data.transaction_id));
    }
    return transactions;
  }

  /** Waits until every transaction in `ids` was delivered; returns those that were not (lost) at the deadline. */
  async missingTransactions(ids: readonly string[], timeoutMs = 30_000): Promise<string[]> {
    const missing = () => {
      const seen = this.earnedTransactions();
      return ids.filter((id) => !seen.has(id));
    };
    await this.waitFor(() => missing().length === 0, timeoutMs).catch(() => {});
    return missing();
  }

  /** Waits until at least `count` deliveries arrived after index `from`. */
  async waitForDeliveries(from: number, count: number, timeoutMs = 30_000): Promise<void> {
    await this.waitFor(() => this.deliveries.length - from >= count, timeoutMs);
  }

  async waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for deliveries');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * Resolves once every message the broker had put in the tap's queue before this call has been delivered: a
   * marker sent to the queue itself (default exchange: no other queue gets it) comes back after them, as a queue
   * delivers in order. Once the service has stopped (its relay's confirms awaited), counting after `barrier()`
   * counts everything it ever published: no quiet window.
   */
  async barrier(timeoutMs = 30_000): Promise<void> {
    if (!this.channel) throw new Error('the durable tap is not connected');
    await this.barriers.pass(this.channel, this.queue, timeoutMs, true);
  }

  /** messageId → how many times it was delivered, for deliveries since `from`. */
  copiesSince(from: number): Map<string, number> {
    const copies = new Map<string, number>();
    for (const d of this.deliveries.slice(from)) copies.set(d.messageId, (copies.get(d.messageId) ?? 0) + 1);
    return copies;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.channel?.deleteQueue(this.queue).catch(() => {});
    await this.connection?.close().catch(() => {});
  }
}
