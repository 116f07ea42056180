import { Text } from '@asyncapi/generator-react-sdk';
import { tsString } from '../helpers/text.js';

/**
 * `EVENT_NAMES`, `EventName` and `isEventName`.
 *
 * @param {{ events: import('../helpers/events.js').EventDescriptor[] }} props
 */
export function EventNames({ events }) {
  return (
    <>
      <Text>{'/** Every published event (one per send operation), in the order of the AsyncAPI document. */'}</Text>
      <Text>export const EVENT_NAMES = [</Text>
      {events.map((event) => (
        <Text key={event.eventName} indent={2}>
          {tsString(event.eventName)},
        </Text>
      ))}
      <Text newLines={2}>] as const;</Text>
      <Text>{'/** Name of an event; also its routing key. */'}</Text>
      <Text newLines={2}>export type EventName = (typeof EVENT_NAMES)[number];</Text>
      <Text>{'/** Whether `name` is the name of an event in the AsyncAPI document. */'}</Text>
      <Text>export function isEventName(name: string): name is EventName {'{'}</Text>
      <Text indent={2}>return (EVENT_NAMES as readonly string[]).includes(name);</Text>
      <Text newLines={2}>{'}'}</Text>
    </>
  );
}
