import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import {
  EVENT_NAMES,
  type EventEnvelope,
  type EventEnvelopeMap,
  type EventName,
  strictEventSchemas,
} from '../../generated/index.js';

export type EventData<N extends EventName> = EventEnvelopeMap[N]['data'];

/**
 * Validators for every event payload, compiled once (module load) from the strict generated schemas (every
 * object closed): the service never publishes a field the document does not declare.
 */
const validators: ReadonlyMap<EventName, ValidateFunction> = (() => {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats.default(ajv);
  return new Map(EVENT_NAMES.map((name) => [name, ajv.compile(strictEventSchemas[name])]));
})();

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
