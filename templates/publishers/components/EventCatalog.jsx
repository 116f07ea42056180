import { Text } from '@asyncapi/generator-react-sdk';

/**
 * `eventSchemas` and `eventExamples`, typed by event name (the data comes from `schemas/index.ts`, written by
 * scripts/generate.ts).
 */
export function EventCatalog() {
  return (
    <Text newLines={2}>
      {[
        '/**',
        ' * JSON Schema (draft-07, self-contained) of each event envelope, from the AsyncAPI document. Compile each',
        ' * once at start-up (strict ajv 8 with ajv-formats), never per message.',
        ' */',
        'export const eventSchemas: Readonly<Record<EventName, object>> = schemas;',
        '',
        '/** The example envelopes of each event in the AsyncAPI document. */',
        'export const eventExamples: Readonly<Record<EventName, readonly unknown[]>> = examples;',
      ].join('\n')}
    </Text>
  );
}
