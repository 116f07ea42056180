import { Text } from '@asyncapi/generator-react-sdk';
import { tsString } from '../helpers/text.js';

/**
 * A TypeScript literal for a JSON value (single-quoted strings, unquoted identifier keys).
 *
 * @param {unknown} value
 * @returns {string}
 */
function literal(value) {
  if (typeof value === 'string') return tsString(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    /** @type {string[]} */
    const entries = Object.entries(value).map(
      ([key, v]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : tsString(key)}: ${literal(v)}`,
    );
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return String(value);
}

/**
 * Body of `topology.ts`: the broker topology and the message properties the document declares, so that the
 * relay declares what the document says (a durable exchange keeps the arguments of whoever declared it first:
 * declaring it with other ones fails with 406 PRECONDITION_FAILED).
 *
 * @param {{ exchange: import('../helpers/events.js').ExchangeSpec, events: import('../helpers/events.js').EventDescriptor[] }} props
 */
export function TopologyModule({ exchange, events }) {
  const alternate = exchange.alternateExchange;
  const exchangeOptions = {
    durable: exchange.durable,
    autoDelete: exchange.autoDelete,
    arguments: alternate ? { 'alternate-exchange': alternate.name } : {},
  };
  const appIds = new Set(events.map((event) => event.wire.properties.appId?.value).filter((v) => v !== undefined));
  const headerNames = [
    ...new Set(events.flatMap((event) => event.wire.headers.filter((h) => !h.given).map((header) => header.name))),
  ];
  const properties = Object.fromEntries(
    events.map((event) => {
      const constants = Object.fromEntries(
        Object.entries(event.wire.properties)
          .filter(([, property]) => property.value !== undefined)
          .map(([name, property]) => [name, property.value]),
      );
      return [
        event.eventName,
        {
          deliveryMode: event.wire.deliveryMode,
          persistent: event.wire.deliveryMode === 2,
          ...(event.wire.mandatory !== undefined && { mandatory: event.wire.mandatory }),
          contentType: event.wire.contentType,
          ...(event.wire.messageType !== undefined && { type: event.wire.messageType }),
          ...constants,
        },
      ];
    }),
  );
  const lines = [
    "import type { Channel } from 'amqplib';",
    '',
    '/** Exchange every event is published to (the AMQP binding of the channels). */',
    `export const EXCHANGE = ${tsString(exchange.name)} as const;`,
    '',
    '/** Type of {@link EXCHANGE}. */',
    `export const EXCHANGE_TYPE = ${tsString(exchange.type)} as const;`,
    '',
    '/** Options {@link EXCHANGE} is declared with: durability and arguments (the alternate exchange). */',
    `export const EXCHANGE_OPTIONS = ${literal(exchangeOptions)} as const;`,
    '',
    '/** Virtual host of {@link EXCHANGE}. */',
    `export const VHOST = ${tsString(exchange.vhost)} as const;`,
    '',
  ];
  if (alternate) {
    lines.push(
      '/** The alternate exchange of {@link EXCHANGE}: messages no queue is bound for go there. */',
      `export const UNROUTABLE_EXCHANGE = ${tsString(alternate.name)} as const;`,
      `export const UNROUTABLE_EXCHANGE_TYPE = ${tsString(alternate.type)} as const;`,
      `export const UNROUTABLE_EXCHANGE_OPTIONS = ${literal({ durable: alternate.durable })} as const;`,
      '',
    );
    if (alternate.queue) {
      lines.push(
        '/** The queue bound to {@link UNROUTABLE_EXCHANGE} that keeps unroutable messages. */',
        `export const UNROUTABLE_QUEUE = ${tsString(alternate.queue.name)} as const;`,
        '/** Options {@link UNROUTABLE_QUEUE} is declared with: durability and its bounds (`x-arguments`). */',
        `export const UNROUTABLE_QUEUE_OPTIONS = ${literal(
          alternate.queue.arguments
            ? { durable: alternate.queue.durable, arguments: alternate.queue.arguments }
            : { durable: alternate.queue.durable },
        )} as const;`,
        '',
      );
    }
  }
  if (appIds.size === 1) {
    lines.push(
      '/** AMQP `appId` property of every message. */',
      `export const APP_ID = ${literal([...appIds][0])} as const;`,
      '',
    );
  }
  lines.push(
    '/** Names of the application headers every message carries. */',
    `export const HEADER_NAMES = ${literal(headerNames)} as const;`,
    '',
    '/** The AMQP properties the document fixes for each event (the per-message ones are `PublishOptions`). */',
    `export const MESSAGE_PROPERTIES = ${literal(properties)} as const;`,
    '',
    '/**',
    ' * Declares the topology the document describes: the alternate exchange and its queue, then the exchange.',
    ' * Idempotent; fails with 406 PRECONDITION_FAILED when the broker has them with other settings.',
    ' */',
    "export async function assertTopology(channel: Pick<Channel, 'assertExchange' | 'assertQueue' | 'bindQueue'>): Promise<void> {",
    ...(alternate
      ? [
          '  await channel.assertExchange(UNROUTABLE_EXCHANGE, UNROUTABLE_EXCHANGE_TYPE, UNROUTABLE_EXCHANGE_OPTIONS);',
          ...(alternate.queue
            ? [
                '  await channel.assertQueue(UNROUTABLE_QUEUE, UNROUTABLE_QUEUE_OPTIONS);',
                "  await channel.bindQueue(UNROUTABLE_QUEUE, UNROUTABLE_EXCHANGE, '');",
              ]
            : []),
        ]
      : []),
    '  await channel.assertExchange(EXCHANGE, EXCHANGE_TYPE, EXCHANGE_OPTIONS);',
    '}',
  );
  return <Text>{lines.join('\n')}</Text>;
}
