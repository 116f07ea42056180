import type { SpecEvent } from './spec.js';

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

/** The self-contained payload schema of an event, as written to `schemas/<event-name>.json`. */
export function eventSchemaDocument(event: SpecEvent): Record<string, unknown> {
  return {
    $schema: DRAFT_07,
    $comment: `Generated from asyncapi.yaml by scripts/generate.ts (message ${event.messageId}) — DO NOT EDIT.`,
    ...event.payloadSchema,
  };
}

/** The files under `schemas/`: one JSON Schema per event, and `index.ts` with the schemas and examples. */
export function renderSchemaFiles(events: readonly SpecEvent[], banner: string): Map<string, string> {
  const files = new Map<string, string>();
  const schemaEntries: string[] = [];
  const exampleEntries: string[] = [];
  for (const event of events) {
    const schema = eventSchemaDocument(event);
    files.set(`schemas/${event.eventName}.json`, `${JSON.stringify(schema, null, 2)}\n`);
    schemaEntries.push(
      `  ${JSON.stringify(event.eventName)}: ${JSON.stringify(schema, null, 2).replace(/\n/g, '\n  ')},`,
    );
    const examples = event.examples.map((example) => example.payload);
    exampleEntries.push(
      `  ${JSON.stringify(event.eventName)}: ${JSON.stringify(examples, null, 2).replace(/\n/g, '\n  ')},`,
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
      '/** The JSON Schema (draft-07, self-contained) of each event envelope. */',
      'export const eventSchemas = {',
      ...schemaEntries,
      '};',
      '',
      '/** The example envelopes of each event in the AsyncAPI document. */',
      'export const eventExamples = {',
      ...exampleEntries,
      '};',
      '',
    ].join('\n'),
  );
  return files;
}
