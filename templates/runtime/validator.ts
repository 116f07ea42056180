import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** One problem with a message body: the field (dotted path; `(body)` for the body itself) and what is wrong. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** The dotted path of the field an ajv error is about (the missing property for `required`). */
export function fieldOf(error: ErrorObject): string {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const missing = (error.params as { missingProperty?: unknown }).missingProperty;
  if (typeof missing === 'string') segments.push(missing);
  return segments.length > 0 ? segments.join('.') : '(body)';
}

/** A body checker: the field errors, or none when the body matches. */
export type BodyValidator = (body: unknown) => readonly FieldError[];

/**
 * Compiles one validator per event from its JSON Schema, once (strict ajv 8 with ajv-formats, every error).
 * Call it at start-up or on first use, never per message.
 */
export function compileValidators<N extends string>(
  schemas: Readonly<Record<N, object>>,
): ReadonlyMap<N, BodyValidator> {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats.default(ajv);
  const out = new Map<N, BodyValidator>();
  for (const name of Object.keys(schemas) as N[]) {
    const validate: ValidateFunction = ajv.compile(schemas[name]);
    out.set(name, (body) =>
      validate(body)
        ? []
        : (validate.errors ?? []).map((error) => ({ field: fieldOf(error), message: error.message ?? 'invalid' })),
    );
  }
  return out;
}
