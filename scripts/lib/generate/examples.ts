import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { GenerateError } from './errors.js';
import { strictSchema } from './schemas.js';
import type { JsonSchema, ReceivedSpecEvent, SpecEvent } from './spec.js';

/**
 * A strict ajv for the payload schemas: the AsyncAPI 3.0 schema format is JSON Schema draft-07, ajv's default
 * draft. (Strict ajv accepts `type: [T, 'null']` without `allowUnionTypes`.)
 */
export function createAjv(): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: true });
  // ajv-formats is CommonJS with `exports.default`; under NodeNext its default import is the module object.
  addFormats.default(ajv);
  return ajv;
}

/** One line per ajv error, naming the failing field. */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const field = error.instancePath || '(root)';
    const extra =
      error.keyword === 'additionalProperties'
        ? ` (${String(error.params.additionalProperty)})`
        : error.keyword === 'required'
          ? ` (${String(error.params.missingProperty)})`
          : '';
    return `${field} ${error.message ?? error.keyword}${extra}`;
  });
}

function check(ajv: Ajv, schema: JsonSchema, value: unknown, label: string, problems: string[]): void {
  const validate = ajv.compile(schema);
  if (!validate(value)) {
    for (const line of describeErrors(validate.errors)) problems.push(`${label}: ${line}`);
  }
}

interface ExampleSource {
  readonly messageId: string;
  readonly examples: readonly { readonly name: string; readonly payload: unknown; readonly headers?: unknown }[];
}

/**
 * Checks every example of `events` with `checkOne`, collecting one line per problem; an event without an example
 * and a schema that strict ajv refuses are problems too. Throws them all at once, titled `title`.
 */
function checkExamples<E extends ExampleSource>(
  events: readonly E[],
  title: string,
  checkOne: (ajv: Ajv, event: E, example: E['examples'][number], label: string, problems: string[]) => void,
): void {
  const ajv = createAjv();
  const problems: string[] = [];
  for (const event of events) {
    if (event.examples.length === 0) problems.push(`message ${event.messageId}: has no example`);
    try {
      for (const example of event.examples) {
        checkOne(ajv, event, example, `message ${event.messageId}, example ${example.name}`, problems);
      }
    } catch (error) {
      problems.push(`message ${event.messageId}: schema refused by ajv: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new GenerateError(title, problems);
}

/**
 * The parser does not check message examples against their schemas for AsyncAPI 3.x: check every example's
 * payload (and headers, when both are given) here, against the strict variant: an example is what the service
 * would publish, so it may not carry a field the document does not declare. Also fails on a schema that strict
 * ajv refuses.
 */
export function validateExamples(events: readonly SpecEvent[]): void {
  checkExamples(events, 'Validating the examples', (ajv, event, example, label, problems) => {
    check(ajv, strictSchema(event.payloadSchema) as JsonSchema, example.payload, `${label}, payload`, problems);
    if (event.headersSchema && example.headers !== undefined) {
      check(ajv, event.headersSchema, example.headers, `${label}, headers`, problems);
    }
  });
}

/**
 * The examples of every consumed event, against its consumer (tolerant) schema as written: an example is what a
 * producer may send, which may carry fields we do not read.
 */
export function validateReceivedExamples(events: readonly ReceivedSpecEvent[]): void {
  checkExamples(events, 'Validating the examples of the received events', (ajv, event, example, label, problems) =>
    check(ajv, event.payloadSchema, example.payload, label, problems),
  );
}
