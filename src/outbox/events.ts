import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import {
  EVENT_NAMES,
  type EventEnvelope,
  type EventEnvelopeMap,
  type EventName,
  eventSchemas,
  isEventName,
  strictEventSchemas,
} from '../../generated/index.js';

export type EventData<N extends EventName> = EventEnvelopeMap[N]['data'];

/**
 * Validators for every event payload, compiled once (module load) from the strict generated schemas (every
 * object closed): the service never publishes a field the document does not declare.
 */
const validators = compileAll(strictEventSchemas);

/**
 * The consumer (open) schemas: what the relay checks a stored row against before it publishes it. A field a newer
 * build added (an additive contract change) passes, so a rolling upgrade never sets such events aside.
 */
const openValidators = compileAll(eventSchemas);

function compileAll(schemas: Readonly<Record<EventName, object>>): ReadonlyMap<EventName, ValidateFunction> {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats.default(ajv);
  return new Map(EVENT_NAMES.map((name) => [name, ajv.compile(schemas[name])]));
}

export class EventContractViolation extends Error {}

/** Throws when `envelope` does not match the contract: a bug in the service, never a client error. */
export function assertValidEvent(envelope: EventEnvelope): void {
  const name: string = envelope.event;
  const validate = validators.get(envelope.event);
  if (!validate) throw new EventContractViolation(`unknown event ${name}`);
  if (!validate(envelope)) {
    const detail = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new EventContractViolation(`${name} violates its schema: ${detail}`);
  }
}

/** Why a stored outbox row cannot be published (the relay moves it aside: src/outbox/dead-letters.repository.ts). */
export type DeadLetterReason = 'unknown_event' | 'not_json' | 'schema_invalid';

export interface Unpublishable {
  reason: DeadLetterReason;
  /** What is wrong, without the body's values (logged, and stored with the dead letter). */
  detail: string;
}

/**
 * Reads a stored outbox row as this build would publish it: its envelope, or why it cannot be published (an event
 * name this build has no publisher for, e.g. written by a newer build before a rollback; a body that is not JSON;
 * a body outside the event's consumer schema: a missing or mistyped field, not an added one). Never throws.
 */
export function readStoredEvent(eventName: string, payload: string): { envelope: EventEnvelope } | Unpublishable {
  if (!isEventName(eventName)) return { reason: 'unknown_event', detail: `no publisher for event ${eventName}` };
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    // JSON.parse's message quotes the text: it is not repeated here (it may hold personal data).
    return { reason: 'not_json', detail: 'the stored body is not valid JSON' };
  }
  const named = typeof body === 'object' && body !== null && 'event' in body ? body.event : undefined;
  if (named !== eventName) {
    return { reason: 'schema_invalid', detail: `the body's event is ${String(named)}, the row's is ${eventName}` };
  }
  const validate = openValidators.get(eventName);
  if (!validate?.(body)) {
    const detail = (validate?.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    return { reason: 'schema_invalid', detail: `${eventName} violates its schema: ${detail}` };
  }
  return { envelope: body as EventEnvelope };
}

/** RFC 3339 UTC with whole seconds, as in the contract's examples (`2025-11-24T10:00:00Z`). */
export function eventTimestamp(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

export function envelope<N extends EventName>(
  name: N,
  organizationId: string,
  data: EventData<N>,
  at: Date,
): EventEnvelopeMap[N] {
  return {
    event: name,
    version: '1.0',
    timestamp: eventTimestamp(at),
    organization_id: organizationId,
    data,
  } as EventEnvelopeMap[N];
}
