import { randomBytes, randomUUID } from 'node:crypto';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  inboundTopology,
  type ReceivedEnvelopeMap,
  type ReceivedEventName,
  receivedEventExamples,
} from '../../generated/index.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../helpers/app.js';
import { EventTap, type ReceivedEvent } from '../helpers/events.js';
import { type OutboxRow, outboxRowsOf } from '../helpers/stored-rows.js';
import { createVhost, type Vhost } from '../helpers/vhost.js';

/*
 * The inbound suite of a test file: a RabbitMQ vhost of its own (the inbound queues have fixed names), the real
 * app consuming there (INBOUND=on, exchanges declared as outside production), a tap on customer_events there, and a
 * plain amqplib publisher playing the Order and Payment services.
 */

export const ORDER_QUEUE = 'customer-service.order-events';
export const PAYMENT_QUEUE = 'customer-service.payment-events';

/** The producer's exchange of a consumed event, from the generated topology. */
export function exchangeOf(name: ReceivedEventName): string {
  const topology = inboundTopology.find((q) => q.routingKeys.includes(name));
  if (!topology) throw new Error(`no queue for ${name}`);
  return topology.exchange.name;
}

export function uniqueId(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

type DataOf<N extends ReceivedEventName> = ReceivedEnvelopeMap[N]['data'];

/** The contract's first example of `name` in `org`, its data changed by `data`. */
export function example<N extends ReceivedEventName>(
  name: N,
  org: string,
  data: Partial<DataOf<N>>,
): ReceivedEnvelopeMap[N] {
  const [first] = receivedEventExamples[name];
  if (!first || typeof first !== 'object') throw new Error(`no example for ${name}`);
  const envelope = structuredClone(first) as ReceivedEnvelopeMap[N];
  return { ...envelope, organization_id: org, data: { ...envelope.data, ...data } };
}

export interface Delivered {
  messageId: string;
  headers: Record<string, unknown>;
  body: string;
}

/** Plays the producers: publishes with confirms to their exchanges, and reads our dead-letter queues. */
export class Producer {
  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: ConfirmChannel,
  ) {}

  static async open(url: string): Promise<Producer> {
    const connection = await amqp.connect(url);
    return new Producer(connection, await connection.createConfirmChannel());
  }

  /** Publishes `body` (an object as JSON, a string as it is) with `messageId` (fresh by default) and `headers`. */
  async publish(
    exchange: string,
    routingKey: string,
    body: unknown,
    messageId: string = randomUUID(),
    headers?: Record<string, string>,
  ): Promise<string> {
    const content = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const options = { persistent: true, contentType: 'application/json', messageId, headers };
    await new Promise<void>((resolve, reject) =>
      this.channel.publish(exchange, routingKey, content, options, (error: unknown) =>
        error ? reject(error) : resolve(),
      ),
    );
    return messageId;
  }

  /** Publishes a consumed event to its exchange, routed by its name. */
  send<N extends ReceivedEventName>(
    name: N,
    body: ReceivedEnvelopeMap[N],
    messageId?: string,
    headers?: Record<string, string>,
  ): Promise<string> {
    return this.publish(exchangeOf(name), name, body, messageId, headers);
  }

  /** Takes every message now in `queue` (acknowledged: removed). */
  async drain(queue: string): Promise<Delivered[]> {
    const out: Delivered[] = [];
    for (;;) {
      const message = await this.channel.get(queue, { noAck: true });
      if (!message) return out;
      out.push({
        messageId: String(message.properties.messageId),
        headers: message.properties.headers ?? {},
        body: message.content.toString('utf8'),
      });
    }
  }

  async close(): Promise<void> {
    await this.channel.close().catch(() => {});
    await this.connection.close().catch(() => {});
  }
}

/** Polls `read` until `done` holds on its value (every 50 ms), or fails after `timeoutMs` with the last value. */
export async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface InboundSuite {
  t: TestApp;
  tap: EventTap;
  producer: Producer;
  vhost: Vhost;
  /** Dead-lettered messages seen so far, by messageId (drained from both DLQs). */
  deadLetters(): Promise<Map<string, Delivered>>;
  /** The inbox row of a message, if any. */
  inbox(messageId: string): Promise<{ outcome: string; event: string; organization_id: string } | undefined>;
}

/** Starts an app consuming in its own vhost; `amqpUrl` may route the app's broker connection (a TcpProxy). */
export async function startInbound(
  opts: TestAppOptions & { amqpUrl?: (vhostUrl: string) => string } = {},
): Promise<InboundSuite & { close(): Promise<void> }> {
  const vhost = await createVhost('cs-inbound');
  const appUrl = opts.amqpUrl?.(vhost.url) ?? vhost.url;
  const tap = await EventTap.open('#', { url: vhost.url });
  const t = await startTestApp({ ...opts, env: { INBOUND: 'on', AMQP_URL: appUrl, ...opts.env } });
  const producer = await Producer.open(vhost.url);
  await eventually(
    async () => t.app.inbound.status(),
    (s) => s !== 'off' && s.every((q) => q.consumer === 'consuming'),
  );
  const seen = new Map<string, Delivered>();
  return {
    t,
    tap,
    producer,
    vhost,
    async deadLetters() {
      for (const queue of [ORDER_QUEUE, PAYMENT_QUEUE]) {
        for (const m of await producer.drain(`${queue}.dlq`)) seen.set(m.messageId, m);
      }
      return seen;
    },
    async inbox(messageId) {
      const res = await t.db.query<{ outcome: string; event: string; organization_id: string }>(
        'SELECT outcome, event, organization_id FROM inbox WHERE message_id = $1',
        [messageId],
      );
      return res.rows[0];
    },
    async close() {
      await t.close();
      await producer.close();
      await tap.close();
      await vhost.delete().catch(() => {});
    },
  };
}

/** The inbound suite for a test file, started in beforeAll and closed in afterAll. */
export function useInbound(opts: Parameters<typeof startInbound>[0] = {}): InboundSuite {
  let current: (InboundSuite & { close(): Promise<void> }) | undefined;
  beforeAll(async () => {
    current = await startInbound(opts);
  }, 120_000);
  afterAll(async () => {
    await current?.close();
  });
  const get = (): InboundSuite => {
    if (!current) throw new Error('the inbound suite is used before beforeAll ran');
    return current;
  };
  return {
    get t() {
      return get().t;
    },
    get tap() {
      return get().tap;
    },
    get producer() {
      return get().producer;
    },
    get vhost() {
      return get().vhost;
    },
    deadLetters: () => get().deadLetters(),
    inbox: (messageId) => get().inbox(messageId),
  };
}

/** The customer's earn entries of `orderId` in the ledger (SQL: the business write itself). */
export async function earnsOf(t: TestApp, org: string, orderId: string): Promise<{ points: number }[]> {
  const res = await t.db.query<{ points: number }>(
    `SELECT points FROM loyalty_transactions
      WHERE organization_id = $1 AND type = 'earn' AND reference_type = 'purchase' AND reference_id = $2`,
    [org, orderId],
  );
  return res.rows;
}

/** The customer's points balance. */
export async function balanceOf(t: TestApp, customerId: string, org = t.org): Promise<number> {
  const res = await t.request({ method: 'GET', url: `/v1/customers/${customerId}/loyalty`, org });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().points_balance;
}

/** What a test reads of an event: its envelope (the same for a stored outbox row and a delivered message). */
export type EnvelopeMatch = (e: { body: OutboxRow['body'] }) => boolean;

/**
 * "Exactly `count` events matching `match`" without a quiet window: once the messages `handledFirst` have been
 * handled (their inbox rows written), the organization's stored outbox rows are all the relay can ever publish, so
 * exactly `count` of them must match; then waits for those to reach the tap and returns them.
 */
export async function exactlyStored(
  s: InboundSuite,
  match: EnvelopeMatch,
  count: number,
  handledFirst: readonly string[] = [],
): Promise<ReceivedEvent[]> {
  for (const messageId of handledFirst) {
    await eventually(
      () => s.inbox(messageId),
      (row) => row !== undefined,
    );
  }
  const stored = (await outboxRowsOf(s.t.db, s.t.org)).filter(match);
  expect(stored, 'stored outbox rows matching').toHaveLength(count);
  return s.tap.waitForMatching(match, count);
}
