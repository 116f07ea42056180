import { randomBytes, randomUUID } from 'node:crypto';
import amqp, { type ChannelModel, type ConfirmChannel, type Options } from 'amqplib';
import {
  assertTopology,
  EVENT_NAMES,
  type EventEnvelope,
  EXCHANGE,
  eventExamples,
  type InboundQueueTopology,
  inboundTopology,
  RECEIVED_EVENT_NAMES,
  type ReceivedEventName,
  receivedEventExamples,
  validateReceived,
} from '../../../generated/index.js';

import { assertValidEvent, eventTimestamp } from '../../../src/outbox/events.js';
import { topicMatches } from './topic.js';
import { publishedProperties, SIMULATED_HEADER } from './wire.js';

export interface SimulateOptions {
  /**
   * An event name or a binding pattern (`loyalty.#`, `order.*`); default every published event. A consumed event
   * (`order.completed`, `payment.received`…) is simulated when the pattern is given and matches it.
   */
  readonly event?: string;
  /** Messages per matching event; default 1. */
  readonly count?: number;
  /** Organization of every message; default the example's. */
  readonly org?: string;
  /** The customer every message names (`data.customer_id`); default a fresh id. A guest order stays a guest's. */
  readonly customer?: string;
}

interface SimulatedBase {
  /** Where it goes: our exchange (published event) or the producer's (consumed event, for the service to read). */
  readonly exchange: string;
  readonly routingKey: string;
  readonly messageId: string;
  readonly correlationId: string;
}

/** A message `events:simulate` publishes: an event of ours, or one the service consumes. */
export type Simulated =
  | (SimulatedBase & { readonly direction: 'published'; readonly envelope: EventEnvelope })
  | (SimulatedBase & {
      readonly direction: 'consumed';
      readonly envelope: {
        readonly event: ReceivedEventName;
        readonly organization_id: string;
        readonly data: unknown;
      };
      readonly queue: InboundQueueTopology;
    });

function randomPart(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let out = '';
  for (const byte of randomBytes(20)) out += alphabet[byte & 31];
  return out;
}

/**
 * A copy of `value` whose `…_id` strings get a fresh random part after their prefix (same id → same new id), and
 * with `customer` as every non-null `customer_id`.
 */
function freshIds(value: unknown, ids: Map<string, string>, customer: string | undefined, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => freshIds(item, ids, customer));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, freshIds(v, ids, customer, k)]));
  }
  if (typeof value === 'string' && key === 'customer_id' && customer !== undefined) return customer;
  if (typeof value === 'string' && key.endsWith('_id')) {
    const known = ids.get(value);
    if (known) return known;
    const fresh = `${/^(.*_)[^_]+$/.exec(value)?.[1] ?? ''}${randomPart()}`;
    ids.set(value, fresh);
    return fresh;
  }
  return value;
}

/** `data` with every top-level `…_at` date-time set to `at` (when the fact happened: now). */
function freshTimes(data: unknown, at: string): unknown {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return data;
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, k.endsWith('_at') && typeof v === 'string' ? at : v]),
  );
}

function queueOf(name: ReceivedEventName): InboundQueueTopology {
  const queue = inboundTopology.find((q) => q.routingKeys.includes(name));
  if (!queue) throw new Error(`no queue of ours reads ${name}`);
  return queue;
}

/**
 * The messages `events:simulate` sends: the contract's examples of each matching event (cycling through them for
 * `count`), with fresh ids (consistent within one round: `order.#` completes and cancels the same order), the
 * current timestamp and a new messageId. A published event is checked against its strict schema, as the service
 * checks what it publishes; a consumed one against the consumer schema the service reads it with.
 */
export function simulatedEvents(options: SimulateOptions = {}, now = new Date()): Simulated[] {
  const pattern = options.event ?? '#';
  const published = EVENT_NAMES.filter((name) => topicMatches(pattern, name));
  const consumed =
    options.event === undefined ? [] : RECEIVED_EVENT_NAMES.filter((name) => topicMatches(pattern, name));
  if (published.length === 0 && consumed.length === 0) throw new Error(`no event matches ${pattern}`);
  const count = options.count ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new Error('--count must be a positive integer');
  const timestamp = eventTimestamp(now);
  const result: Simulated[] = [];
  for (let round = 0; round < count; round++) {
    const ids = new Map<string, string>();
    for (const name of published) {
      const examples = eventExamples[name];
      const example = examples[round % examples.length] as { data: unknown; organization_id: string };
      const envelope = {
        ...example,
        timestamp,
        organization_id: options.org ?? example.organization_id,
        data: freshIds(example.data, ids, options.customer),
      } as EventEnvelope;
      assertValidEvent(envelope);
      result.push({
        direction: 'published',
        exchange: EXCHANGE,
        routingKey: name,
        envelope,
        messageId: randomUUID(),
        correlationId: `simulate-${randomUUID()}`,
      });
    }
    for (const name of consumed) {
      const examples = receivedEventExamples[name];
      const example = examples[round % examples.length] as { data: unknown; organization_id: string };
      const envelope = {
        ...example,
        event: name,
        timestamp,
        organization_id: options.org ?? example.organization_id,
        data: freshTimes(freshIds(example.data, ids, options.customer), timestamp),
      };
      const checked = validateReceived(name, envelope);
      if (!checked.ok) {
        const detail = checked.errors.map((e) => `${e.field} ${e.message}`).join('; ');
        throw new Error(`${name} example violates its consumer schema: ${detail}`);
      }
      const queue = queueOf(name);
      result.push({
        direction: 'consumed',
        exchange: queue.exchange.name,
        routingKey: name,
        envelope,
        queue,
        messageId: randomUUID(),
        correlationId: `simulate-${randomUUID()}`,
      });
    }
  }
  return result;
}

/**
 * Makes sure another team's exchange exists: checked first (on a channel of its own, as a failed check closes
 * it), declared only when absent, with the document's type and durability and no arguments of ours.
 */
async function ensureProducerExchange(connection: ChannelModel, exchange: InboundQueueTopology['exchange']) {
  const probe = await connection.createChannel();
  probe.on('error', () => {});
  const exists = await probe.checkExchange(exchange.name).then(
    () => true,
    () => false,
  );
  if (exists) {
    await probe.close();
    return;
  }
  const declare = await connection.createChannel();
  await declare.assertExchange(exchange.name, exchange.type, { durable: exchange.durable });
  await declare.close();
}

/** The properties of a simulated consumed event: what its producer would set, with a fresh messageId. */
function consumedProperties(message: Simulated, now: Date): Options.Publish {
  return {
    persistent: true,
    contentType: 'application/json',
    type: message.routingKey,
    appId: 'events-simulate',
    messageId: message.messageId,
    correlationId: message.correlationId,
    timestamp: Math.floor(now.getTime() / 1000),
    headers: { [SIMULATED_HEADER]: true },
  };
}

async function publishConfirmed(channel: ConfirmChannel, message: Simulated, properties: Options.Publish) {
  const body = Buffer.from(JSON.stringify(message.envelope));
  if (!channel.publish(message.exchange, message.routingKey, body, properties)) {
    await new Promise((resolve) => channel.once('drain', resolve));
  }
}

/**
 * Publishes `events`, confirmed: a published event to `customer_events` with the service's properties and headers
 * (declared by the document), a consumed one to its producer's exchange (declared topic and durable when absent).
 * Every message carries header `x-simulated: true`.
 */
export async function publishSimulated(url: string, events: readonly Simulated[], now = new Date()): Promise<void> {
  const connection = await amqp.connect(url, { clientProperties: { connection_name: 'events:simulate' } });
  try {
    const channel = await connection.createConfirmChannel();
    if (events.some((e) => e.direction === 'published')) await assertTopology(channel);
    const exchanges = new Map(
      events.flatMap((e) => (e.direction === 'consumed' ? [[e.exchange, e.queue.exchange] as const] : [])),
    );
    for (const exchange of exchanges.values()) await ensureProducerExchange(connection, exchange);
    for (const message of events) {
      const properties =
        message.direction === 'published'
          ? publishedProperties(message.envelope, { ...message, timestamp: now }, { [SIMULATED_HEADER]: true })
          : consumedProperties(message, now);
      await publishConfirmed(channel, message, properties);
    }
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}
