import { Text } from '@asyncapi/generator-react-sdk';
import { tsString } from '../helpers/text.js';

/**
 * `EVENT_NAMES`, `EventName` and `isEventName`.
 *
 * @param {{ events: import('../helpers/events.js').EventDescriptor[] }} props
 */
export function EventNames({ events }) {
  return (
    <Text newLines={2}>
      {[
        '/** Every published event (one per send operation), in the order of the AsyncAPI document. */',
        'export const EVENT_NAMES = [',
        ...events.map((event) => `  ${tsString(event.eventName)},`),
        '] as const;',
        '',
        '/** Name of an event; also its routing key. */',
        'export type EventName = (typeof EVENT_NAMES)[number];',
        '',
        '/** Whether `name` is the name of an event in the AsyncAPI document. */',
        'export function isEventName(name: string): name is EventName {',
        '  return (EVENT_NAMES as readonly string[]).includes(name);',
        '}',
      ].join('\n')}
    </Text>
  );
}
