import type { ReceivedSpecEvent, SpecEvent } from './spec.js';

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

export type SchemaVariant = 'consumer' | 'strict';

const NAME_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependencies']);
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples']);

/**
 * The strict (producer) variant of a schema: every object that does not say what its additional properties are
 * is closed (`additionalProperties: false`). Branches of `allOf` are left open (closing each branch would refuse
 * the properties of the others).
 */
export function strictSchema(schema: unknown, inAllOf = false): unknown {
  if (Array.isArray(schema)) return schema.map((item) => strictSchema(item, inAllOf));
  if (schema === null || typeof schema !== 'object') return schema;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(schema)) {
    if (DATA_KEYWORDS.has(key)) result[key] = child;
    else if (NAME_MAPS.has(key) && child !== null && typeof child === 'object' && !Array.isArray(child)) {
      result[key] = Object.fromEntries(Object.entries(child).map(([name, sub]) => [name, strictSchema(sub)]));
    } else result[key] = strictSchema(child, key === 'allOf');
  }
  const type = result.type;
  const isObject = type === 'object' || (Array.isArray(type) && type.includes('object')) || 'properties' in result;
  if (isObject && !inAllOf && !('additionalProperties' in result) && !('allOf' in result)) {
    result.additionalProperties = false;
  }
  return result;
}

/** The self-contained payload schema of an event, as written to `schemas/<variant>/<event-name>.json`. */
export function eventSchemaDocument(event: SpecEvent, variant: SchemaVariant = 'consumer'): Record<string, unknown> {
  const note =
    variant === 'consumer'
      ? 'consumer schema: objects are open, a tolerant reader ignores fields it does not know'
      : 'strict producer schema: every object closed; the service validates what it publishes against it';
  const schema = variant === 'consumer' ? event.payloadSchema : (strictSchema(event.payloadSchema) as object);
  return {
    $schema: DRAFT_07,
    $comment: `Generated from asyncapi.yaml by scripts/generate.ts (message ${event.messageId}; ${note}) — DO NOT EDIT.`,
    ...schema,
  };
}

/** The self-contained consumer schema of a received event, as written to `schemas/received/<event-name>.json`. */
export function receivedSchemaDocument(event: ReceivedSpecEvent): Record<string, unknown> {
  return {
    $schema: DRAFT_07,
    $comment: `Generated from asyncapi.yaml by scripts/generate.ts (received message ${event.messageId}; our tolerant reading of the producer's contract: objects are open, only what we use is required) — DO NOT EDIT.`,
    ...event.payloadSchema,
  };
}

function entry(name: string, value: unknown): string {
  return `  ${JSON.stringify(name)}: ${JSON.stringify(value, null, 2).replace(/\n/g, '\n  ')},`;
}

/**
 * The files under `schemas/`: per event a consumer schema (`consumer/<event>.json`, open objects, published) and a
 * strict one (`strict/<event>.json`, every object closed, what the service validates against), and `index.ts`
 * with both and the examples.
 */
export function renderSchemaFiles(
  events: readonly SpecEvent[],
  banner: string,
  received: readonly ReceivedSpecEvent[] = [],
): Map<string, string> {
  const files = new Map<string, string>();
  const consumer: string[] = [];
  const strict: string[] = [];
  const examples: string[] = [];
  for (const event of events) {
    for (const [variant, list] of [
      ['consumer', consumer],
      ['strict', strict],
    ] as const) {
      const schema = eventSchemaDocument(event, variant);
      files.set(`schemas/${variant}/${event.eventName}.json`, `${JSON.stringify(schema, null, 2)}\n`);
      list.push(entry(event.eventName, schema));
    }
    examples.push(
      entry(
        event.eventName,
        event.examples.map((example) => example.payload),
      ),
    );
  }
  const receivedSchemas: string[] = [];
  const receivedExamples: string[] = [];
  for (const event of received) {
    const schema = receivedSchemaDocument(event);
    files.set(`schemas/received/${event.eventName}.json`, `${JSON.stringify(schema, null, 2)}\n`);
    receivedSchemas.push(entry(event.eventName, schema));
    receivedExamples.push(
      entry(
        event.eventName,
        event.examples.map((example) => example.payload),
      ),
    );
  }
  files.set(
    'schemas/index.ts',
    [
      banner,
      '',
      '// Data only; `index.ts` re-exports it typed by event name. TypeScript objects rather than JSON imports,',
      '// so that no import attributes are needed.',
      '',
      '/**',
      ' * The consumer JSON Schema (draft-07, self-contained) of each event envelope: objects are open, so a consumer',
      ' * that validates keeps working when an optional field is added. Served at `/schemas/<event name>.json`.',
      ' */',
      'export const eventSchemas = {',
      ...consumer,
      '};',
      '',
      '/**',
      ' * The strict producer variant of each schema: every object closed. The service validates what it publishes',
      ' * against it, so it never sends a field the document does not declare. Internal: never published.',
      ' */',
      'export const strictEventSchemas = {',
      ...strict,
      '};',
      '',
      '/** The example envelopes of each event in the AsyncAPI document. */',
      'export const eventExamples = {',
      ...examples,
      '};',
      '',
      '/**',
      ' * The consumer JSON Schema of each received event (receive operations): our tolerant reading of the',
      " * producer's contract. Objects are open and only the fields the service uses are required.",
      ' */',
      'export const receivedEventSchemas = {',
      ...receivedSchemas,
      '};',
      '',
      '/** The example envelopes of each received event. */',
      'export const receivedEventExamples = {',
      ...receivedExamples,
      '};',
      '',
    ].join('\n'),
  );
  return files;
}
