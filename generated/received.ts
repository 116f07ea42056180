// Generated from asyncapi.yaml by scripts/generate.ts — DO NOT EDIT.

import type {
  OrderCancelledEvent,
  OrderCompletedEvent,
  OrderRefundedEvent,
  PaymentReceivedEvent,
} from './models/index.js';
import { type BodyValidator, compileValidators, type FieldError } from './runtime/validator.js';
import { receivedEventExamples as examples, receivedEventSchemas as schemas } from './schemas/index.js';

/** Every consumed event (one per receive operation), in the order of the AsyncAPI document. */
export const RECEIVED_EVENT_NAMES = [
  'order.completed',
  'order.cancelled',
  'order.refunded',
  'payment.received',
] as const;

/** Name of a consumed event; also its routing key on its exchange. */
export type ReceivedEventName = (typeof RECEIVED_EVENT_NAMES)[number];

/** Whether `name` is the name of a consumed event. */
export function isReceivedEventName(name: string): name is ReceivedEventName {
  return (RECEIVED_EVENT_NAMES as readonly string[]).includes(name);
}

/** Envelope (message body) type of each consumed event, by event name. */
export interface ReceivedEnvelopeMap {
  'order.completed': OrderCompletedEvent;
  'order.cancelled': OrderCancelledEvent;
  'order.refunded': OrderRefundedEvent;
  'payment.received': PaymentReceivedEvent;
}

/** The envelope of any consumed event; narrow it on `event`. */
export type ReceivedEnvelope = ReceivedEnvelopeMap[ReceivedEventName];

/**
 * One handler per consumed event, every one required: a receive operation added to asyncapi.yaml without its
 * handler is a type error where the map is written. `C` is what the runtime gives each handler (a transaction,
 * the message meta…), `R` what it returns (the outcome).
 * - `order.completed`: Earn the order's points when an order is completed.
 * - `order.cancelled`: Reverse the order's points and cancel its credit usage when an order is cancelled.
 * - `order.refunded`: Reverse the refunded share of the order's points when an order is refunded.
 * - `payment.received`: Record a credit payment when a payment applies to a credit account.
 */
export type ReceivedHandlers<C, R> = {
  readonly [N in ReceivedEventName]: (ctx: C, event: ReceivedEnvelopeMap[N]) => Promise<R>;
};

/**
 * Consumer JSON Schema (draft-07, self-contained) of each consumed event: our tolerant reading of the producer's
 * contract (objects open, only the fields the service uses required).
 */
export const receivedEventSchemas: Readonly<Record<ReceivedEventName, object>> = schemas;

/** The example envelopes of each consumed event in the AsyncAPI document. */
export const receivedEventExamples: Readonly<Record<ReceivedEventName, readonly unknown[]>> = examples;

/** The outcome of {@link validateReceived}: the typed event, or one entry per problem naming the field. */
export type ReceivedValidation<N extends ReceivedEventName> =
  | { readonly ok: true; readonly event: ReceivedEnvelopeMap[N] }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

// Compiled once, on first use.
let validators: ReadonlyMap<ReceivedEventName, BodyValidator> | undefined;

/**
 * Validates `body` against the consumer schema of the consumed event `name` (fields the document does not
 * declare are accepted).
 */
export function validateReceived<N extends ReceivedEventName>(name: N, body: unknown): ReceivedValidation<N> {
  validators ??= compileValidators(receivedEventSchemas);
  const validate = validators.get(name);
  if (!validate) return { ok: false, errors: [{ field: 'event', message: 'unknown event ' + String(name) }] };
  const errors = validate(body);
  return errors.length === 0 ? { ok: true, event: body as ReceivedEnvelopeMap[N] } : { ok: false, errors };
}

/** One of our queues: the exchange (owned by another service) it is bound to, and its routing keys. */
export interface InboundQueueTopology {
  readonly queue: string;
  readonly queueType: 'quorum' | 'classic';
  readonly exchange: {
    readonly name: string;
    readonly type: 'topic' | 'direct' | 'fanout' | 'headers';
    readonly durable: boolean;
  };
  readonly routingKeys: readonly ReceivedEventName[];
}

/** Our queues for the consumed events, from the receive operations' AMQP bindings. */
export const inboundTopology: readonly InboundQueueTopology[] = [
  {
    queue: 'customer-service.order-events',
    queueType: 'quorum',
    exchange: { name: 'order_events', type: 'topic', durable: true },
    routingKeys: ['order.completed', 'order.cancelled', 'order.refunded'],
  },
  {
    queue: 'customer-service.payment-events',
    queueType: 'quorum',
    exchange: { name: 'payment_events', type: 'topic', durable: true },
    routingKeys: ['payment.received'],
  },
];
