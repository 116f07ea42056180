// Generated from asyncapi.yaml by scripts/generate.ts — DO NOT EDIT.

import {
  ATTEMPTS_HEADER,
  ConsumerRuntime,
  type Decoded,
  ERROR_HEADER,
  type HandlerOutcome,
  type MessageMeta,
  retryQueueName,
} from './consumer-runtime.js';
import { type DedupeStore, memoryDedupe } from './dedupe.js';
import { type EventEnvelopeMap, type EventName, EXCHANGE, isEventName } from './events.js';
import { validateEvent } from './validate.js';

export { ATTEMPTS_HEADER, ERROR_HEADER, type MessageMeta, retryQueueName };

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

type AnyHandler = (event: unknown, meta: MessageMeta) => Promise<void> | void;

/** Our events: the name the body declares (else the routing key), validated against its consumer schema. */
interface Named {
  readonly name: EventName;
  readonly body: unknown;
}

function decode(body: unknown, routingKey: string): Decoded<Named> {
  const declared = typeof body === 'object' && body !== null && 'event' in body ? body.event : undefined;
  const name = typeof declared === 'string' ? declared : routingKey;
  if (!isEventName(name)) return { ok: false, reason: `event: unknown event '${name}'` };
  const result = validateEvent(name, body);
  if (!result.ok) {
    return { ok: false, reason: result.errors.map((error) => `${error.field}: ${error.message}`).join('; ') };
  }
  return { ok: true, name, event: { name, body } };
}

/**
 * Connects to the broker and consumes `options.queue`: validates each message against its event's consumer schema,
 * de-duplicates by `messageId`, calls the handler of its event, retries through the retry queues and dead-letters
 * to `<queue>.dlq`. Reconnects by itself when the connection is lost. Rejects when the first connection fails or the
 * exchange does not exist.
 */
export async function createConsumer(options: ConsumerOptions): Promise<Consumer> {
  const bindings = options.bindings ?? Object.keys(options.handlers);
  if (bindings.length === 0) throw new Error('createConsumer: no bindings and no handlers');
  const dedupe = options.dedupe ?? memoryDedupe();
  const handle = async ({ name, body }: Named, meta: MessageMeta): Promise<HandlerOutcome> => {
    const handler = options.handlers[name] as AnyHandler | undefined;
    const { messageId } = meta;
    if (!handler) return { kind: 'done', outcome: 'skipped' };
    if (messageId !== undefined && (await dedupe.seen(messageId))) return { kind: 'done', outcome: 'duplicate' };
    await handler(body, meta);
    if (messageId !== undefined) await dedupe.remember(messageId);
    return { kind: 'done', outcome: 'applied' };
  };
  const runtime = new ConsumerRuntime<Named>({
    url: options.url,
    connectionName: `@customer-service/events ${options.queue}`,
    exchange: EXCHANGE,
    tracerName: '@customer-service/events',
    queue: options.queue,
    queueType: options.queueType ?? 'quorum',
    bindings,
    prefetch: options.prefetch ?? 20,
    retry: { delaysMs: options.retry?.delaysMs ?? DEFAULT_DELAYS_MS, exhausted: 'dead-letter' },
    decode,
    handle,
    onError: options.onError ?? ((error) => console.warn(`@customer-service/events: ${error.message}`)),
  });
  await runtime.connect();
  return runtime;
}
