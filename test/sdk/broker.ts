import { randomBytes, randomUUID } from 'node:crypto';
import amqp, { type ChannelModel, type ConfirmChannel, type GetMessage, type Options } from 'amqplib';
import { assertTopology } from '../../generated/index.js';
import { type Consumer, type EventEnvelopeMap, EXCHANGE, examples } from '../../generated/sdk/src/index.js';
import { AMQP_URL } from '../helpers/events.js';

/** A unique queue name for one test. */
export function uniqueQueue(tag: string): string {
  return `test.sdk.${tag}.${randomBytes(4).toString('hex')}`;
}

/** A fresh copy of the contract's first example of `name`, with a new organization when given. */
export function sample<N extends keyof EventEnvelopeMap>(name: N, org = 'org_sdk_test'): EventEnvelopeMap[N] {
  const [example] = examples[name];
  if (!example) throw new Error(`no example for ${name}`);
  return { ...structuredClone(example), organization_id: org };
}

/** A publishing connection for tests: to the exchange (declared exactly as the service does) or to a queue. */
export class TestBroker {
  private constructor(
    readonly connection: ChannelModel,
    readonly channel: ConfirmChannel,
  ) {}

  static async open(): Promise<TestBroker> {
    const connection = await amqp.connect(AMQP_URL);
    const channel = await connection.createConfirmChannel();
    await assertTopology(channel);
    return new TestBroker(connection, channel);
  }

  /** Publishes raw bytes to `customer_events` with `routingKey`, as the service would (JSON, persistent). */
  async publish(routingKey: string, body: unknown, options: Options.Publish = {}): Promise<string> {
    const messageId = options.messageId ?? randomUUID();
    const content = typeof body === 'string' ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
    this.channel.publish(EXCHANGE, routingKey, content, {
      persistent: true,
      contentType: 'application/json',
      appId: 'customer-service',
      ...options,
      messageId,
    });
    await this.channel.waitForConfirms();
    return messageId;
  }

  async get(queue: string): Promise<GetMessage | false> {
    return this.channel.get(queue, { noAck: true });
  }

  /**
   * Waits until `queue` holds a message (the message `messageId`, when given) and returns it (acknowledged), or
   * fails after `timeoutMs`. Other messages taken from the queue on the way are dropped: a queue bound on the shared
   * exchange also gets other test files' messages (their malformed ones too), which must not pass for this test's.
   */
  async getEventually(queue: string, messageId?: string, timeoutMs = 10_000): Promise<GetMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const message = await this.get(queue);
      if (message && (messageId === undefined || message.properties.messageId === messageId)) return message;
      if (message) continue;
      if (Date.now() > deadline)
        throw new Error(`message ${messageId ?? '(any)'} not in ${queue} after ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  /**
   * Takes every message now in `queue` and counts those of `org`. Other test files publish to the same exchange
   * at the same time, so a queue bound by event name may also hold their events.
   */
  async drainCount(queue: string, org: string): Promise<number> {
    let count = 0;
    for (let message = await this.get(queue); message; message = await this.get(queue)) {
      if ((JSON.parse(message.content.toString()) as { organization_id?: string }).organization_id === org) count++;
    }
    return count;
  }

  async deleteQueues(consumer: Pick<Consumer, 'queue' | 'deadLetterQueue' | 'retryQueues'>): Promise<void> {
    for (const queue of [consumer.queue, consumer.deadLetterQueue, ...consumer.retryQueues]) {
      await this.channel.deleteQueue(queue);
    }
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `condition()` holds, or fails after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
