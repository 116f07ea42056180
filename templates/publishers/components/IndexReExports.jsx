import { Text } from '@asyncapi/generator-react-sdk';

/**
 * Re-exports of `index.ts`: every model type, the topology (`topology.ts`) and every publisher.
 *
 * @param {{ events: import('../helpers/events.js').EventDescriptor[] }} props
 */
export function IndexReExports({ events }) {
  return (
    <>
      <Text>export type * from './models/index.js';</Text>
      <Text>export type {'{ PublishOptions }'} from './publishers/common.js';</Text>
      <Text>export * from './received.js';</Text>
      <Text>export {'{ type FieldError }'} from './runtime/validator.js';</Text>
      <Text>export * from './topology.js';</Text>
      <Text>export {'{'}</Text>
      {events.map((event) => (
        <Text key={event.functionName} indent={2}>
          {event.functionName},
        </Text>
      ))}
      <Text newLines={2}>{'};'}</Text>
    </>
  );
}
