import { randomBytes, randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import {
  assertTopology,
  EVENT_NAMES,
  type EventEnvelope,
  type EventName,
  eventExamples,
  publishEvent,
} from '../../../generated/index.js';

import { assertValidEvent, eventTimestamp } from '../../../src/outbox/events.js';
import { topicMatches } from './topic.js';

export interface SimulateOptions {
  /** An event name or a binding pattern (`loyalty.#`); default every event. */
  readonly event?: string;
  /** Messages per matching event; default 1. */
  readonly count?: number;
  /** Organization of every message; default the example's. */
  readonly org?: string;
}

export interface Simulated {
  readonly envelope: EventEnvelope;
  readonly messageId: string;
  readonly correlationId: string;
}

function randomPart(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let out = '';
  for (const byte of randomBytes(20)) out += alphabet[byte & 31];
  return out;
}

/** A copy of `value` whose `…_id` strings get a fresh random part after their prefix (same id → same new id). */
function freshIds(value: unknown, ids: Map<string, string>, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => freshIds(item, ids));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, freshIds(v, ids, k)]));
  }
  if (typeof value === 'string' && key.endsWith('_id')) {
    const known = ids.get(value);
    if (known) return known;
    const fresh = `${/^(.*_)[^_]+$/.exec(value)?.[1] ?? ''}${randomPart()}`;
    ids.set(value, fresh);
    return fresh;
  }
  return value;
}

/**
 * The messages `events:simulate` sends: the contract's examples of each matching event (cycling through them for
 * `count`), with fresh ids (consistent within one round), the current timestamp and a new messageId. Each is
 * checked against the strict schema, as the service checks what it publishes.
 */
export function simulatedEvents(options: SimulateOptions = {}, now = new Date()): Simulated[] {
  const pattern = options.event ?? '#';
  const names = EVENT_NAMES.filter((name) => topicMatches(pattern, name));
  if (names.length === 0) throw new Error(`no event matches ${pattern}`);
  const count = options.count ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new Error('--count must be a positive integer');
  const result: Simulated[] = [];
  for (let round = 0; round < count; round++) {
    const ids = new Map<string, string>();
    for (const name of names) {
      const examples = eventExamples[name as EventName];
      const example = examples[round % examples.length] as { data: unknown; organization_id: string };
      const envelope = {
        ...example,
        timestamp: eventTimestamp(now),
        organization_id: options.org ?? example.organization_id,
        data: freshIds(example.data, ids),
      } as EventEnvelope;
      assertValidEvent(envelope);
      result.push({ envelope, messageId: randomUUID(), correlationId: `simulate-${randomUUID()}` });
    }
  }
  return result;
}

/** Publishes `events` to the exchange with the service's publishers (properties and headers), confirmed. */
export async function publishSimulated(url: string, events: readonly Simulated[], now = new Date()): Promise<void> {
  const connection = await amqp.connect(url, { clientProperties: { connection_name: 'events:simulate' } });
  try {
    const channel = await connection.createConfirmChannel();
    await assertTopology(channel);
    for (const { envelope, messageId, correlationId } of events) {
      if (!publishEvent(channel, envelope, { messageId, correlationId, timestamp: now })) {
        await new Promise((resolve) => channel.once('drain', resolve));
      }
    }
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}
