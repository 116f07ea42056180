import { randomBytes } from 'node:crypto';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { assertTopology, EXCHANGE } from '../generated/index.js';
import { sleep } from './proc.js';

export interface Arrival {
  org: string;
  event: string;
  referenceId?: string;
  transactionId?: string;
  /** performance.now() when the consumer got it. */
  at: number;
}

/** A queue as consumers keep them (durable), removed by the broker 60 s after its consumer is gone. */
const QUEUE_ARGS = { durable: true, arguments: { 'x-expires': 60_000 } };

/**
 * A consumer with a durable queue bound to every routing key of `customer_events` (declared exactly as the
 * service declares it: the service's events are routed here, not into the shared unroutable queue), or of
 * another exchange that `declare` declares (ceiling B). Each message is parsed and recorded, in both cases.
 */
export class EventSink {
  readonly arrivals: Arrival[] = [];
  /** Called on each arrival (latency matching). */
  onArrival?: (a: Arrival) => void;

  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: Channel,
    private readonly queue: string,
  ) {}

  static async open(
    amqpUrl: string,
    exchange: string = EXCHANGE,
    declare: (ch: Channel) => Promise<unknown> = assertTopology,
  ): Promise<EventSink> {
    const connection = await amqp.connect(amqpUrl);
    const channel = await connection.createChannel();
    await declare(channel);
    const queue = `bench.${exchange}.${randomBytes(4).toString('hex')}`;
    await channel.assertQueue(queue, QUEUE_ARGS);
    await channel.bindQueue(queue, exchange, '#');
    const sink = new EventSink(connection, channel, queue);
    await channel.consume(
      queue,
      (msg) => {
        if (!msg) return;
        const at = performance.now();
        const body = JSON.parse(msg.content.toString('utf8'));
        const a: Arrival = {
          org: body.organization_id,
          event: body.event,
          referenceId: body.data?.reference_id,
          transactionId: body.data?.transaction_id,
          at,
        };
        sink.arrivals.push(a);
        sink.onArrival?.(a);
      },
      { noAck: true },
    );
    return sink;
  }

  count(filter: (a: Arrival) => boolean): number {
    let n = 0;
    for (const a of this.arrivals) if (filter(a)) n++;
    return n;
  }

  /** Waits until `n` arrivals match, or throws after `timeoutMs`. Returns the matching arrivals. */
  async waitFor(filter: (a: Arrival) => boolean, n: number, timeoutMs: number): Promise<Arrival[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.arrivals.filter(filter);
      if (got.length >= n) return got;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} events; ${got.length} arrived`);
      await sleep(50);
    }
  }

  async close(): Promise<void> {
    await this.channel.deleteQueue(this.queue).catch(() => {});
    await this.channel.close().catch(() => {});
    await this.connection.close().catch(() => {});
  }
}
