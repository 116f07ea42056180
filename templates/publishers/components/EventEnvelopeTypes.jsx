import { Text } from '@asyncapi/generator-react-sdk';
import { tsString } from '../helpers/text.js';

/**
 * `EventEnvelopeMap`, `EventEnvelope` and `EventEnvelopeOf`.
 *
 * @param {{ events: import('../helpers/events.js').EventDescriptor[] }} props
 */
export function EventEnvelopeTypes({ events }) {
  return (
    <Text newLines={2}>
      {[
        '/** Envelope (message body) type of each event, by event name. */',
        'export interface EventEnvelopeMap {',
        ...events.map((event) => `  ${tsString(event.eventName)}: ${event.envelopeType};`),
        '}',
        '',
        '/** The envelope of any event; narrow it on `event`. */',
        'export type EventEnvelope = EventEnvelopeMap[EventName];',
        '',
        '/** The envelope of the event named `N`. */',
        'export type EventEnvelopeOf<N extends EventName> = EventEnvelopeMap[N];',
      ].join('\n')}
    </Text>
  );
}
