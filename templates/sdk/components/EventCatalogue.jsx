import { Text } from '@asyncapi/generator-react-sdk';
import { tsString } from '../helpers/model.js';

/**
 * Body of `src/events.ts`: the exchange, `EVENT_NAMES`, `EventName`, `isEventName` and `EventEnvelopeMap`.
 *
 * @param {{ exchange: { name: string, type: string }, events: import('../helpers/model.js').SdkEvent[] }} props
 */
export function EventCatalogue({ exchange, events }) {
  const types = [...new Set(events.map((event) => event.modelName))].sort();
  return (
    <Text>
      {[
        'import type {',
        ...types.map((type) => `  ${type},`),
        "} from './models.js';",
        '',
        '/** The exchange every event is published to. The SDK checks it exists; it never declares it. */',
        `export const EXCHANGE = ${tsString(exchange.name)} as const;`,
        `export const EXCHANGE_TYPE = ${tsString(exchange.type)} as const;`,
        '',
        '/** Every event of the contract, in the order of the AsyncAPI document. */',
        'export const EVENT_NAMES = [',
        ...events.map((event) => `  ${tsString(event.eventName)},`),
        '] as const;',
        '',
        '/** Name of an event; also its routing key. */',
        'export type EventName = (typeof EVENT_NAMES)[number];',
        '',
        '/** Whether `name` is the name of an event of the contract. */',
        'export function isEventName(name: string): name is EventName {',
        '  return (EVENT_NAMES as readonly string[]).includes(name);',
        '}',
        '',
        '/** The envelope (message body) of each event, by event name. */',
        'export interface EventEnvelopeMap {',
        ...events.map((event) => `  ${tsString(event.eventName)}: ${event.modelName};`),
        '}',
        '',
        '/** The envelope of any event; narrow it on `event`. */',
        'export type EventEnvelope = EventEnvelopeMap[EventName];',
      ].join('\n')}
    </Text>
  );
}
