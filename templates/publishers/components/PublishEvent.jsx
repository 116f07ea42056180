import { Text } from '@asyncapi/generator-react-sdk';
import { tsString } from '../helpers/text.js';

/**
 * `publishEvent`: dispatch on `envelope.event` to the typed publisher.
 *
 * @param {{ events: import('../helpers/events.js').EventDescriptor[] }} props
 */
export function PublishEvent({ events }) {
  return (
    <Text>
      {[
        '/**',
        ' * Publishes any event with its typed publisher, chosen by `envelope.event` (the routing key).',
        ' *',
        ' * @param channel A confirm channel, opened once and reused for every message.',
        ' * @param envelope The message body.',
        ' * @param options `messageId` (stable across retries), `correlationId`, publication `timestamp`.',
        ' * @param onConfirm Called with `null` when the broker confirms the message, or an error when it does not.',
        " * @returns `false` when the caller should wait for the channel's 'drain' event before publishing more.",
        ' * @throws Error when `envelope.event` is not an event of the AsyncAPI document.',
        ' */',
        'export function publishEvent(',
        '  channel: ConfirmChannel,',
        '  envelope: EventEnvelope,',
        '  options: PublishOptions,',
        '  onConfirm?: (err: Error | null) => void,',
        '): boolean {',
        '  switch (envelope.event) {',
        ...events.flatMap((event) => [
          `    case ${tsString(event.eventName)}:`,
          `      return ${event.functionName}(channel, envelope, options, onConfirm);`,
        ]),
        '    default:',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: this is the generated TypeScript's template literal.
        '      throw new Error(`Unknown event: ${String((envelope as { event: unknown }).event)}`);',
        '  }',
        '}',
      ].join('\n')}
    </Text>
  );
}
