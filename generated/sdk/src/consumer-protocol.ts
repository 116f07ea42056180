// Generated from asyncapi.yaml by scripts/generate.ts — DO NOT EDIT.

import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';

/* The consumer runtime's vocabulary (consumer-runtime.ts): headers, a handler's outcomes, options, names. */

/** Header of a dead-lettered message: why it was dead-lettered (the field, or the problem). */
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

/**
 * A handler's verdict: `done` acknowledges; `transient` sends the message to a retry queue (back-off), `refused`
 * dead-letters it at once with `reason` as `x-error`. A handler that throws counts as `transient`.
 */
export type HandlerOutcome =
  /** `outcome` says what acknowledging meant, on the delivery's span (default `applied`). */
  | { readonly kind: 'done'; readonly outcome?: 'applied' | 'skipped' | 'duplicate' }
  | { readonly kind: 'transient'; readonly reason: string }
  | { readonly kind: 'refused'; readonly reason: string };

/** The decoded body: the event name and the (validated) event, or why it is dead-lettered. */
export type Decoded<E> =
  | { readonly ok: true; readonly name: string; readonly event: E }
  | { readonly ok: false; readonly reason: string };

/** What happened to one delivery, for metrics and logs. */
export interface Handled {
  readonly name: string | undefined;
  readonly result: 'acked' | 'retried' | 'dead_lettered';
  readonly reason?: string;
  readonly seconds: number;
}

export type ConsumerState = 'connecting' | 'waiting-for-exchange' | 'consuming' | 'reconnecting' | 'closed';

export interface ConsumerRuntimeOptions<E> {
  readonly url: string;
  /** Shown in the broker's connection list. */
  readonly connectionName: string;
  readonly exchange: string;
  /** The OpenTelemetry tracer (instrumentation scope) of the deliveries' `process` spans. */
  readonly tracerName: string;
  /** Declares the exchange with this type (durable) instead of checking that it exists. */
  readonly declareExchange?: string;
  /** Durable; also names `<queue>.dlq` and the retry queues `<queue>.retry.<delay>ms`. */
  readonly queue: string;
  readonly queueType: 'quorum' | 'classic';
  readonly bindings: readonly string[];
  readonly prefetch: number;
  /** Delays before each new delivery; past the last one, dead-letter or keep retrying at the last delay. */
  readonly retry: { readonly delaysMs: readonly number[]; readonly exhausted: 'dead-letter' | 'keep-retrying' };
  /** JSON already parsed; the routing key for a body that names no event. */
  readonly decode: (body: unknown, routingKey: string) => Decoded<E>;
  readonly handle: (event: E, meta: MessageMeta) => Promise<HandlerOutcome>;
  readonly onError: (error: Error) => void;
  readonly onHandled?: (handled: Handled) => void;
}

const BROKER_HEADERS = /^x-(death|first-death-|last-death-)/;

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The retry queue of `queue` for one delay. */
export function retryQueueName(queue: string, delayMs: number): string {
  return `${queue}.retry.${delayMs}ms`;
}

/** The exchange a consumer needs does not exist (yet) on the broker. */
export class ExchangeMissingError extends Error {
  constructor(
    readonly exchange: string,
    cause: string,
  ) {
    super(`exchange ${exchange} does not exist on the broker (${cause})`);
  }
}

/** Sends a copy of `message` (body, messageId and properties kept) to `queue` and waits for the broker's confirm. */
export function republish(
  channel: ConfirmChannel,
  queue: string,
  message: ConsumeMessage,
  extraHeaders: Record<string, unknown>,
): Promise<void> {
  const p = message.properties;
  const headers: Record<string, unknown> = Object.fromEntries(
    Object.entries(p.headers ?? {}).filter(([name]) => !BROKER_HEADERS.test(name)),
  );
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
