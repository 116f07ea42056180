// Generated from asyncapi.yaml by scripts/generate.ts — DO NOT EDIT.

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { EVENT_NAMES, type EventName, isEventName } from './events.js';
import { eventSchemas } from './schemas.js';

/** One problem with a message body: the field (dotted path; `(body)` for the body itself) and what is wrong. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export type ValidationResult = { readonly ok: true } | { readonly ok: false; readonly errors: readonly FieldError[] };

// Compiled once, on first use, from the consumer schemas (open objects: unknown extra fields are accepted).
let validators: ReadonlyMap<EventName, ValidateFunction> | undefined;

function validatorFor(name: EventName): ValidateFunction {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats.default(ajv);
    validators = new Map(EVENT_NAMES.map((event) => [event, ajv.compile(eventSchemas[event])]));
  }
  const validate = validators.get(name);
  if (!validate) throw new Error(`unknown event ${name}`);
  return validate;
}

function fieldOf(error: ErrorObject): string {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const missing = (error.params as { missingProperty?: unknown }).missingProperty;
  if (typeof missing === 'string') segments.push(missing);
  return segments.length > 0 ? segments.join('.') : '(body)';
}

/**
 * Validates `body` against the consumer schema of the event `name` (tolerant: fields the contract does not declare
 * are accepted). Returns `{ ok: true }`, or `{ ok: false, errors }` with one entry per problem, naming the field.
 */
export function validateEvent(name: EventName, body: unknown): ValidationResult {
  if (!isEventName(name)) return { ok: false, errors: [{ field: 'event', message: `unknown event ${String(name)}` }] };
  const validate = validatorFor(name);
  if (validate(body)) return { ok: true };
  const errors = (validate.errors ?? []).map((error) => ({
    field: fieldOf(error),
    message: error.message ?? 'invalid',
  }));
  return { ok: false, errors };
}
