import { Text } from '@asyncapi/generator-react-sdk';
import { docLines, tsString } from '../helpers/text.js';

/**
 * One typed publisher: JSDoc from the operation and message, then a function that calls `channel.publish`
 * with the routing key of the channel and the AMQP properties and headers the document declares (no value here
 * is the template's own: each comes from `event.wire`).
 *
 * @param {{ event: import('../helpers/events.js').EventDescriptor }} props
 */
export function PublisherFunction({ event }) {
  const consumers = event.consumers.length > 0 ? event.consumers.join(', ') : 'none declared';
  const paragraph = (/** @type {string | undefined} */ text) =>
    text ? [...docLines(text).map((line) => ` * ${line}`.trimEnd()), ' *'] : [];
  const { wire } = event;
  const fixed = Object.entries(wire.properties).filter(([, property]) => property.value !== undefined);
  const given = Object.entries(wire.properties).filter(([, property]) => property.value === undefined);
  const propertyNames = [
    `deliveryMode ${wire.deliveryMode}`,
    `\`contentType\` ${wire.contentType}`,
    ...(wire.messageType !== undefined ? ['`type`'] : []),
    ...(wire.timestamp ? ['`timestamp`'] : []),
    ...[...fixed, ...given].map(([name]) => `\`${name}\``),
  ];
  const headerNames = wire.headers.map((header) => `\`${header.name}\``);
  const jsdoc = [
    '/**',
    ...paragraph(event.summary),
    ...paragraph(event.messageSummary),
    ` * - Exchange: \`${event.exchange}\` (${event.exchangeType})`,
    ` * - Routing key: \`${event.eventName}\``,
    ` * - Consumers: ${consumers}`,
    ' *',
    ` * Sets, as the AsyncAPI document declares: ${propertyNames.join(', ')}${headerNames.length > 0 ? `; headers ${headerNames.join(', ')}` : ''}.`,
    ` * The body is the envelope as JSON; validate it against \`strictEventSchemas['${event.eventName}']\` before storing`,
    ' * it to be sent.',
    ' *',
    ' * @param channel A confirm channel, opened once and reused for every message.',
    ' * @param envelope The message body.',
    ' * @param options The per-message AMQP properties (`messageId` stable across retries, …).',
    ' * @param onConfirm Called with `null` when the broker confirms the message, or an error when it does not.',
    " * @returns The result of `channel.publish`: `false` means wait for the channel's 'drain' event before",
    ' *   publishing more.',
    ' */',
  ];
  const properties = [
    `      persistent: ${wire.deliveryMode === 2},`,
    `      deliveryMode: ${wire.deliveryMode},`,
    ...(wire.mandatory !== undefined ? [`      mandatory: ${wire.mandatory},`] : []),
    `      contentType: ${tsString(wire.contentType)},`,
    ...(wire.messageType !== undefined ? [`      type: ${tsString(wire.messageType)},`] : []),
    ...fixed.map(([name, property]) =>
      typeof property.value === 'string'
        ? `      ${name}: ${tsString(property.value)},`
        : `      ${name}: ${String(property.value)},`,
    ),
    ...given.map(([name]) => `      ${name}: options.${name},`),
    ...(wire.timestamp ? ['      timestamp: Math.floor(options.timestamp.getTime() / 1000),'] : []),
    ...(wire.headers.length > 0
      ? [
          `      headers: { ${[
            ...(wire.headers.some((h) => h.given) ? ['...options.headers'] : []),
            ...wire.headers.filter((h) => !h.given).map((h) => `${h.name}: envelope.${h.fromPayload}`),
          ].join(', ')} },`,
        ]
      : []),
  ];
  const body = [
    `export function ${event.functionName}(`,
    '  channel: ConfirmChannel,',
    `  envelope: ${event.envelopeType},`,
    '  options: PublishOptions,',
    '  onConfirm?: (err: Error | null) => void,',
    '): boolean {',
    '  return channel.publish(',
    '    EXCHANGE,',
    `    ${tsString(wire.routingKey)},`,
    '    options.body ?? Buffer.from(JSON.stringify(envelope)),',
    '    {',
    ...properties,
    '    },',
    '    onConfirm,',
    '  );',
    '}',
  ];
  return <Text>{[...jsdoc, ...body].join('\n')}</Text>;
}
