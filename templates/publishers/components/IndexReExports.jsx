import { Text } from '@asyncapi/generator-react-sdk';

/**
 * Re-exports of `index.ts`: every model type, the topology (`topology.ts`) and every publisher.
 *
 * @param {{ events: import('../helpers/events.js').EventDescriptor[] }} props
 */
export function IndexReExports({ events }) {
  return (
    <Text newLines={2}>
      {[
        "export type * from './models/index.js';",
        "export type { PublishOptions } from './publishers/common.js';",
        "export * from './received.js';",
        "export { type FieldError } from './runtime/validator.js';",
        "export * from './topology.js';",
        'export {',
        ...events.map((event) => `  ${event.functionName},`),
        '};',
      ].join('\n')}
    </Text>
  );
}
