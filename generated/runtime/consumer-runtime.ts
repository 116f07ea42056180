// Generated from asyncapi.yaml by scripts/generate.ts — DO NOT EDIT.

import amqp, { type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import {
  ATTEMPTS_HEADER,
  asError,
  type ConsumerRuntimeOptions,
  type ConsumerState,
  ERROR_HEADER,
  ExchangeMissingError,
  type Handled,
  type HandlerOutcome,
  type MessageMeta,
  republish,
  retryQueueName,
} from './consumer-protocol.js';
import { type ConsumerOutcome, processSpan } from './consumer-tracing.js';

/*
 * The event-independent consumer: connection and reconnection, the topology of one queue (its retry queues and
 * `<queue>.dlq`), prefetch, ack after the handler, retries with back-off and dead-lettering with `x-error`. The
 * exchange, the names, the decoder (JSON and schema) and the handler are parameters: the consumer SDK and the
 * service's inbound consumer are both built on it.
 */

export {
  ATTEMPTS_HEADER,
  type ConsumerRuntimeOptions,
  type ConsumerState,
  type Decoded,
  ERROR_HEADER,
  ExchangeMissingError,
  type Handled,
  type HandlerOutcome,
  type MessageMeta,
  retryQueueName,
} from './consumer-protocol.js';

export class ConsumerRuntime<E> {
  readonly queue: string;
  readonly deadLetterQueue: string;
  readonly retryQueues: readonly string[];
  private readonly delays: readonly number[];
  private readonly running = new Set<Promise<void>>();
  private connection: ChannelModel | undefined;
  private channel: ConfirmChannel | undefined;
  private consumerTag: string | undefined;
  private closing = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelayMs = 100;
  /** The connection attempt in progress, if any (close() waits for it). */
  private attempt: Promise<void> | undefined;
  private current: ConsumerState = 'connecting';
  /** Why the last connection attempt failed, while not consuming. */
  lastError: string | undefined;

  constructor(private readonly options: ConsumerRuntimeOptions<E>) {
    this.queue = options.queue;
    this.deadLetterQueue = `${options.queue}.dlq`;
    this.delays = options.retry.delaysMs;
    if (this.delays.length === 0 && options.retry.exhausted === 'keep-retrying') {
      throw new RangeError('retry.delaysMs: keep-retrying needs at least one delay');
    }
    for (const delay of this.delays) {
      if (!Number.isInteger(delay) || delay < 1)
        throw new RangeError('retry.delaysMs: each delay is a positive integer');
    }
    this.retryQueues = [...new Set(this.delays)].map((delay) => retryQueueName(options.queue, delay));
    if (options.bindings.length === 0) throw new Error(`consumer of ${options.queue}: no bindings`);
  }

  get state(): ConsumerState {
    return this.current;
  }

  /** Connects, checks (or declares) the exchange, declares the queues and starts consuming; one attempt. */
  async connect(): Promise<void> {
    const connection = await amqp.connect(this.options.url, {
      clientProperties: { connection_name: this.options.connectionName },
    });
    connection.on('error', (error: Error) => this.options.onError(error));
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', (error: Error) => this.options.onError(error));
      await this.declare(channel);
      await channel.prefetch(this.options.prefetch);
      const { consumerTag } = await channel.consume(this.queue, (message) => {
        if (message) this.track(this.deliver(channel, message));
      });
      if (this.closing) {
        // close() was called while connecting: nothing is handed out, the connection goes at once.
        await connection.close().catch(() => {});
        return;
      }
      this.connection = connection;
      this.channel = channel;
      this.consumerTag = consumerTag;
      this.current = 'consuming';
      this.lastError = undefined;
      this.reconnectDelayMs = 100;
      connection.on('close', () => this.lost(connection));
    } catch (error) {
      await connection.close().catch(() => {});
      throw error;
    }
  }

  /** Keeps trying to connect in the background (back-off up to 5 s) until it consumes or is closed. */
  start(): void {
    this.scheduleReconnect(0);
  }

  private async declare(channel: ConfirmChannel): Promise<void> {
    const { exchange, declareExchange, queueType } = this.options;
    if (declareExchange) {
      await channel.assertExchange(exchange, declareExchange, { durable: true });
    } else {
      // Never declared with arguments of ours: a durable exchange keeps those of whoever declared it first.
      await channel.checkExchange(exchange).catch((error: unknown) => {
        throw new ExchangeMissingError(exchange, asError(error).message);
      });
    }
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
    for (const pattern of this.options.bindings) await channel.bindQueue(this.queue, exchange, pattern);
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.options.onError(asError(error)));
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
  }

  private lost(connection: ChannelModel): void {
    if (this.closing || this.connection !== connection) return;
    this.connection = undefined;
    this.channel = undefined;
    this.consumerTag = undefined;
    this.current = 'reconnecting';
    this.options.onError(new Error('connection to the broker lost; reconnecting'));
    this.scheduleReconnect(this.reconnectDelayMs);
  }

  private scheduleReconnect(delayMs: number): void {
    if (this.closing) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.attempt = this.connect().catch((error: unknown) => {
        const failure = asError(error);
        this.lastError = failure.message;
        if (failure instanceof ExchangeMissingError) this.current = 'waiting-for-exchange';
        else if (this.current === 'consuming') this.current = 'reconnecting';
        this.options.onError(new Error(`connection failed: ${failure.message}`));
        this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 5000);
        this.scheduleReconnect(this.reconnectDelayMs);
      });
    }, delayMs);
  }

  /** One delivery, under a `process` span continuing the message's trace (consumer-tracing.ts). */
  private deliver(channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    const { messageId, correlationId, headers } = message.properties as {
      messageId?: string;
      correlationId?: string;
      headers?: Record<string, unknown>;
    };
    const facts = {
      exchange: this.options.exchange,
      routingKey: message.fields.routingKey,
      messageId,
      correlationId,
      bodySize: message.content.length,
      headers,
      deliveryTag: message.fields.deliveryTag,
    };
    return processSpan(this.options.tracerName, facts, async () => ({
      result: undefined,
      ...(await this.handleDelivery(channel, message)),
    }));
  }

  private async handleDelivery(
    channel: ConfirmChannel,
    message: ConsumeMessage,
  ): Promise<{ outcome: ConsumerOutcome; reason?: string }> {
    const started = performance.now();
    const headers: Record<string, unknown> = { ...(message.properties.headers ?? {}) };
    const previous = Number(headers[ATTEMPTS_HEADER] ?? 0);
    const attempt = (Number.isInteger(previous) && previous > 0 ? previous : 0) + 1;
    let name: string | undefined;
    const report = (result: Handled['result'], outcome: ConsumerOutcome, reason?: string) => {
      this.options.onHandled?.({ name, result, reason, seconds: (performance.now() - started) / 1000 });
      return { outcome, reason };
    };
    let body: unknown;
    try {
      body = JSON.parse(message.content.toString('utf8'));
    } catch (error) {
      const reason = `(body): not JSON (${asError(error).message})`;
      await this.deadLetter(channel, message, reason, attempt);
      return report('dead_lettered', 'dead_lettered', reason);
    }
    const decoded = this.options.decode(body, message.fields.routingKey);
    if (!decoded.ok) {
      await this.deadLetter(channel, message, decoded.reason, attempt);
      return report('dead_lettered', 'dead_lettered', decoded.reason);
    }
    name = decoded.name;
    const { messageId, correlationId } = message.properties as { messageId?: string; correlationId?: string };
    const meta: MessageMeta = {
      messageId,
      correlationId,
      routingKey: message.fields.routingKey,
      redelivered: message.fields.redelivered,
      attempt,
      headers,
    };
    let outcome: HandlerOutcome;
    try {
      outcome = await this.options.handle(decoded.event, meta);
    } catch (error) {
      outcome = { kind: 'transient', reason: asError(error).message };
    }
    if (outcome.kind === 'done') {
      this.ack(channel, message);
      return report('acked', outcome.outcome ?? 'applied');
    }
    if (outcome.kind === 'refused') {
      await this.deadLetter(channel, message, outcome.reason, attempt);
      return report('dead_lettered', 'dead_lettered', outcome.reason);
    }
    const last = this.options.retry.exhausted === 'keep-retrying' ? this.delays.at(-1) : undefined;
    const delay = this.delays[attempt - 1] ?? last;
    if (delay === undefined) {
      await this.deadLetter(channel, message, outcome.reason, attempt);
      return report('dead_lettered', 'dead_lettered', outcome.reason);
    }
    await republish(channel, retryQueueName(this.queue, delay), message, { [ATTEMPTS_HEADER]: attempt });
    this.ack(channel, message);
    return report('retried', 'retried', outcome.reason);
  }

  private async deadLetter(channel: ConfirmChannel, message: ConsumeMessage, reason: string, attempt: number) {
    await republish(channel, this.deadLetterQueue, message, {
      [ERROR_HEADER]: reason,
      [ATTEMPTS_HEADER]: attempt,
    });
    this.ack(channel, message);
  }

  private ack(channel: ConfirmChannel, message: ConsumeMessage): void {
    try {
      channel.ack(message);
    } catch {
      // The channel is gone: the broker delivers the message again, and de-duplication recognises it.
    }
  }

  /** Stops consuming, waits for the running handlers, then closes the connection. */
  async close(): Promise<void> {
    this.closing = true;
    this.current = 'closed';
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.attempt;
    const { channel, connection, consumerTag } = this;
    if (channel && consumerTag) await channel.cancel(consumerTag).catch(() => {});
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    await channel?.close().catch(() => {});
    await connection?.close().catch(() => {});
    this.connection = undefined;
    this.channel = undefined;
  }
}
