import amqp, { type ChannelModel, type ConfirmChannel, type ConsumeMessage, type Options } from 'amqplib';
import { type DedupeStore, memoryDedupe } from './dedupe.js';
import { type EventEnvelopeMap, type EventName, EXCHANGE, isEventName } from './events.js';
import { validateEvent } from './validate.js';

/** Header of a dead-lettered message: why it was dead-lettered (the field, or the handler's error message). */
export const ERROR_HEADER = 'x-error';
/** Header of a retried or dead-lettered message: the number of deliveries made so far. */
export const ATTEMPTS_HEADER = 'x-attempts';

/** What a handler gets besides the event. */
export interface MessageMeta {
  readonly messageId: string | undefined;
  readonly correlationId: string | undefined;
  readonly routingKey: string;
  /** Whether the broker delivered this message before (a connection was lost before it was acknowledged). */
  readonly redelivered: boolean;
  /** 1 on the first delivery, then 2, 3… after each retry. */
  readonly attempt: number;
  readonly headers: Readonly<Record<string, unknown>>;
}

/** The handler of the event `N`: throw (or reject) to have the message retried, then dead-lettered. */
export type EventHandler<N extends EventName> = (event: EventEnvelopeMap[N], meta: MessageMeta) => Promise<void> | void;

/** One optional handler per event name; a key that is not an event of the contract is a type error. */
export type EventHandlers = { readonly [N in EventName]?: EventHandler<N> };

export interface ConsumerOptions {
  /** AMQP URL of the broker, e.g. `amqp://guest:guest@127.0.0.1:5672`. */
  readonly url: string;
  /** Your queue (durable); also names `<queue>.dlq` and the retry queues `<queue>.retry.<delay>ms`. */
  readonly queue: string;
  /** Binding patterns on the exchange; default: the event names of `handlers`. */
  readonly bindings?: readonly string[];
  readonly handlers: EventHandlers;
  /** Messages handled at the same time; default 20. */
  readonly prefetch?: number;
  /** Delays before each new delivery of a message whose handler threw; default 1 s, 10 s, 60 s. */
  readonly retry?: { readonly delaysMs: readonly number[] };
  /** Where handled message ids are remembered; default `memoryDedupe()`. */
  readonly dedupe?: DedupeStore;
  /** Type of the queue and of `<queue>.dlq`; default `quorum`. */
  readonly queueType?: 'quorum' | 'classic';
  /** Told about lost connections, reconnection attempts and failures while handling; default `console.warn`. */
  readonly onError?: (error: Error) => void;
}

export interface Consumer {
  readonly queue: string;
  readonly deadLetterQueue: string;
  /** The retry queues, one per distinct delay. */
  readonly retryQueues: readonly string[];
  /** Stops consuming, waits for the running handlers, then closes the connection. */
  close(): Promise<void>;
}

const DEFAULT_DELAYS_MS = [1000, 10_000, 60_000] as const;
const BROKER_HEADERS = /^x-(death|first-death-|last-death-)/;

type AnyHandler = (event: unknown, meta: MessageMeta) => Promise<void> | void;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Topology names of a queue. */
export function retryQueueName(queue: string, delayMs: number): string {
  return `${queue}.retry.${delayMs}ms`;
}

class AmqpConsumer implements Consumer {
  readonly queue: string;
  readonly deadLetterQueue: string;
  readonly retryQueues: readonly string[];
  private readonly delays: readonly number[];
  private readonly bindings: readonly string[];
  private readonly dedupe: DedupeStore;
  private readonly onError: (error: Error) => void;
  private readonly running = new Set<Promise<void>>();
  private connection: ChannelModel | undefined;
  private channel: ConfirmChannel | undefined;
  private consumerTag: string | undefined;
  private closing = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelayMs = 100;

  constructor(private readonly options: ConsumerOptions) {
    this.queue = options.queue;
    this.deadLetterQueue = `${options.queue}.dlq`;
    this.delays = options.retry?.delaysMs ?? DEFAULT_DELAYS_MS;
    for (const delay of this.delays) {
      if (!Number.isInteger(delay) || delay < 1)
        throw new RangeError('retry.delaysMs: each delay is a positive integer');
    }
    this.retryQueues = [...new Set(this.delays)].map((delay) => retryQueueName(options.queue, delay));
    this.bindings = options.bindings ?? Object.keys(options.handlers);
    if (this.bindings.length === 0) throw new Error('createConsumer: no bindings and no handlers');
    this.dedupe = options.dedupe ?? memoryDedupe();
    this.onError = options.onError ?? ((error) => console.warn(`@customer-service/events: ${error.message}`));
  }

  /** Connects, checks the exchange, declares the queues and starts consuming. */
  async connect(): Promise<void> {
    const connection = await amqp.connect(this.options.url, {
      clientProperties: { connection_name: `@customer-service/events ${this.queue}` },
    });
    connection.on('error', (error: Error) => this.onError(error));
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', (error: Error) => this.onError(error));
      await this.declare(channel);
      await channel.prefetch(this.options.prefetch ?? 20);
      const { consumerTag } = await channel.consume(this.queue, (message) => {
        if (message) this.track(this.handle(channel, message));
      });
      this.connection = connection;
      this.channel = channel;
      this.consumerTag = consumerTag;
      connection.on('close', () => this.lost(connection));
    } catch (error) {
      await connection.close().catch(() => {});
      throw error;
    }
  }

  private async declare(channel: ConfirmChannel): Promise<void> {
    // Never declared here: a durable exchange keeps the arguments of whoever declared it first (406 otherwise).
    await channel.checkExchange(EXCHANGE).catch((error: unknown) => {
      throw new Error(`exchange ${EXCHANGE} does not exist on the broker (${asError(error).message})`);
    });
    const queueType = this.options.queueType ?? 'quorum';
    await channel.assertQueue(this.queue, { durable: true, arguments: { 'x-queue-type': queueType } });
    await channel.assertQueue(this.deadLetterQueue, { durable: true, arguments: { 'x-queue-type': queueType } });
    for (const delay of new Set(this.delays)) {
      await channel.assertQueue(retryQueueName(this.queue, delay), {
        durable: true,
        arguments: {
          'x-queue-type': 'classic',
          'x-message-ttl': delay,
          'x-dead-letter-exchange': '',
          'x-dead-letter-routing-key': this.queue,
        },
      });
    }
    for (const pattern of this.bindings) await channel.bindQueue(this.queue, EXCHANGE, pattern);
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.onError(asError(error)));
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
  }

  private lost(connection: ChannelModel): void {
    if (this.closing || this.connection !== connection) return;
    this.connection = undefined;
    this.channel = undefined;
    this.consumerTag = undefined;
    this.onError(new Error('connection to the broker lost; reconnecting'));
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closing) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect().then(
        () => {
          this.reconnectDelayMs = 100;
        },
        (error: unknown) => {
          this.onError(new Error(`reconnection failed: ${asError(error).message}`));
          this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 5000);
          this.scheduleReconnect();
        },
      );
    }, this.reconnectDelayMs);
  }

  private async handle(channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    const headers: Record<string, unknown> = { ...(message.properties.headers ?? {}) };
    const previous = Number(headers[ATTEMPTS_HEADER] ?? 0);
    const attempt = (Number.isInteger(previous) && previous > 0 ? previous : 0) + 1;
    let body: unknown;
    try {
      body = JSON.parse(message.content.toString('utf8'));
    } catch (error) {
      return this.deadLetter(channel, message, `(body): not JSON (${asError(error).message})`, attempt);
    }
    const declared = typeof body === 'object' && body !== null ? (body as { event?: unknown }).event : undefined;
    const name = typeof declared === 'string' ? declared : message.fields.routingKey;
    if (!isEventName(name)) return this.deadLetter(channel, message, `event: unknown event '${name}'`, attempt);
    const result = validateEvent(name, body);
    if (!result.ok) {
      const reason = result.errors.map((error) => `${error.field}: ${error.message}`).join('; ');
      return this.deadLetter(channel, message, reason, attempt);
    }
    const handler = this.options.handlers[name] as AnyHandler | undefined;
    const { messageId, correlationId } = message.properties as { messageId?: string; correlationId?: string };
    if (!handler || (messageId !== undefined && (await this.dedupe.seen(messageId)))) {
      this.ack(channel, message);
      return;
    }
    const meta: MessageMeta = {
      messageId,
      correlationId,
      routingKey: message.fields.routingKey,
      redelivered: message.fields.redelivered,
      attempt,
      headers,
    };
    try {
      await handler(body, meta);
    } catch (error) {
      const reason = asError(error).message;
      const delay = this.delays[attempt - 1];
      if (delay === undefined) return this.deadLetter(channel, message, reason, attempt);
      await this.republish(channel, retryQueueName(this.queue, delay), message, { [ATTEMPTS_HEADER]: attempt });
      this.ack(channel, message);
      return;
    }
    if (messageId !== undefined) await this.dedupe.remember(messageId);
    this.ack(channel, message);
  }

  private async deadLetter(channel: ConfirmChannel, message: ConsumeMessage, reason: string, attempt: number) {
    await this.republish(channel, this.deadLetterQueue, message, {
      [ERROR_HEADER]: reason,
      [ATTEMPTS_HEADER]: attempt,
    });
    this.ack(channel, message);
  }

  /** Sends a copy (body, messageId and properties kept) to `queue` and waits for the broker's confirm. */
  private republish(
    channel: ConfirmChannel,
    queue: string,
    message: ConsumeMessage,
    extraHeaders: Record<string, unknown>,
  ): Promise<void> {
    const p = message.properties;
    const headers = Object.fromEntries(
      Object.entries(p.headers ?? {}).filter(([name]) => !BROKER_HEADERS.test(name)),
    ) as Record<string, unknown>;
    const options: Options.Publish = {
      headers: { ...headers, ...extraHeaders },
      deliveryMode: p.deliveryMode ?? 2,
      persistent: (p.deliveryMode ?? 2) === 2,
      contentType: p.contentType,
      contentEncoding: p.contentEncoding,
      correlationId: p.correlationId,
      messageId: p.messageId,
      timestamp: p.timestamp,
      type: p.type,
      appId: p.appId,
      priority: p.priority,
    };
    return new Promise((resolve, reject) => {
      channel.sendToQueue(queue, message.content, options, (error: unknown) =>
        error ? reject(asError(error)) : resolve(),
      );
    });
  }

  private ack(channel: ConfirmChannel, message: ConsumeMessage): void {
    try {
      channel.ack(message);
    } catch {
      // The channel is gone: the broker delivers the message again, and the dedupe store recognises it.
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const { channel, connection, consumerTag } = this;
    if (channel && consumerTag) await channel.cancel(consumerTag).catch(() => {});
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    await channel?.close().catch(() => {});
    await connection?.close().catch(() => {});
    this.connection = undefined;
    this.channel = undefined;
  }
}

/**
 * Connects to the broker and consumes `options.queue`: validates each message against its event's consumer schema,
 * de-duplicates by `messageId`, calls the handler of its event, retries through the retry queues and dead-letters
 * to `<queue>.dlq`. Reconnects by itself when the connection is lost. Rejects when the first connection fails or the
 * exchange does not exist.
 */
export async function createConsumer(options: ConsumerOptions): Promise<Consumer> {
  const consumer = new AmqpConsumer(options);
  await consumer.connect();
  return consumer;
}
