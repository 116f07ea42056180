import { randomBytes } from 'node:crypto';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { assertTopology, EXCHANGE } from '../../generated/index.js';
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

  /** Deliveries since `from` (an index into `deliveries`) whose messageId had already been delivered since then. */
  duplicatesSince(from: number): number {
    const recent = this.deliveries.slice(from);
    return recent.length - new Set(recent.map((d) => d.messageId)).size;
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

  /** How many deliveries arrive within the next `ms` milliseconds (for "nothing more arrives" checks). */
  async arrivalsWithin(ms: number): Promise<number> {
    const start = this.deliveries.length;
    await new Promise((r) => setTimeout(r, ms));
    return this.deliveries.length - start;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.channel?.deleteQueue(this.queue).catch(() => {});
    await this.connection?.close().catch(() => {});
  }
}
