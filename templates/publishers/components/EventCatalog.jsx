import { Text } from '@asyncapi/generator-react-sdk';

/**
 * `eventSchemas` (consumer), `strictEventSchemas` and `eventExamples`, typed by event name (the data comes from `schemas/index.ts`, written by
 * scripts/generate.ts).
 */
export function EventCatalog() {
  return (
    <Text newLines={2}>
      {[
        '/**',
        ' * Consumer JSON Schema (draft-07, self-contained) of each event envelope, from the AsyncAPI document: objects',
        ' * are open (tolerant readers). Published at `/schemas/<event name>.json`. Compile each once (strict ajv 8',
        ' * with ajv-formats), never per message.',
        ' */',
        'export const eventSchemas: Readonly<Record<EventName, object>> = schemas;',
        '',
        '/**',
        ' * Strict producer variant of each schema (every object closed): the service validates what it publishes',
        ' * against it, so it never sends a field the document does not declare. Internal.',
        ' */',
        'export const strictEventSchemas: Readonly<Record<EventName, object>> = strictSchemas;',
        '',
        '/** The example envelopes of each event in the AsyncAPI document. */',
        'export const eventExamples: Readonly<Record<EventName, readonly unknown[]>> = examples;',
      ].join('\n')}
    </Text>
  );
}
