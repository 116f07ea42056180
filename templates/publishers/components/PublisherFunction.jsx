import { Text } from '@asyncapi/generator-react-sdk';
import { docLines, tsString } from '../helpers/text.js';

/**
 * One typed publisher: JSDoc from the operation and message, then a function that calls `channel.publish`
 * with the routing key of the channel and the AMQP properties every consumer relies on.
 *
 * @param {{ event: import('../helpers/events.js').EventDescriptor }} props
 */
export function PublisherFunction({ event }) {
  const consumers = event.consumers.length > 0 ? event.consumers.join(', ') : 'none declared';
  const paragraph = (text) => (text ? [...docLines(text).map((line) => ` * ${line}`.trimEnd()), ' *'] : []);
  const jsdoc = [
    '/**',
    ...paragraph(event.summary),
    ...paragraph(event.messageSummary),
    ` * - Exchange: \`${event.exchange}\` (${event.exchangeType})`,
    ` * - Routing key: \`${event.eventName}\``,
    ` * - Consumers: ${consumers}`,
    ' *',
    ' * Publishes persistently (deliveryMode 2) with `messageId`, `correlationId`, `type`, `timestamp`, `appId`,',
    ' * `contentType` application/json and the header `organization_id`. The body is the envelope as JSON; validate',
    ` * it against \`eventSchemas['${event.eventName}']\` before storing it to be sent.`,
    ' *',
    ' * @param channel A confirm channel, opened once and reused for every message.',
    ' * @param envelope The message body.',
    ' * @param options `messageId` (stable across retries), `correlationId`, publication `timestamp`.',
    ' * @param onConfirm Called with `null` when the broker confirms the message, or an error when it does not.',
    " * @returns The result of `channel.publish`: `false` means wait for the channel's 'drain' event before",
    ' *   publishing more.',
    ' */',
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
    `    ${tsString(event.eventName)},`,
    '    Buffer.from(JSON.stringify(envelope)),',
    '    {',
    '      persistent: true,',
    '      deliveryMode: 2,',
    "      contentType: 'application/json',",
    '      messageId: options.messageId,',
    '      correlationId: options.correlationId,',
    `      type: ${tsString(event.eventName)},`,
    '      appId: APP_ID,',
    '      timestamp: Math.floor(options.timestamp.getTime() / 1000),',
    '      headers: { organization_id: envelope.organization_id },',
    '    },',
    '    onConfirm,',
    '  );',
    '}',
  ];
  return <Text>{[...jsdoc, ...body].join('\n')}</Text>;
}
