import { Text } from '@asyncapi/generator-react-sdk';
import { docLines } from '../helpers/text.js';

/**
 * Body of `publishers/common.ts`: what every publisher shares. The exchange constants come from `topology.ts`;
 * `PublishOptions` holds the AMQP properties the document says the caller gives per message.
 *
 * @param {{ options: { name: string, required: boolean, description: string, type: string }[] }} props
 */
export function CommonModule({ options }) {
  return (
    <Text>
      {[
        "export { APP_ID, EXCHANGE, EXCHANGE_TYPE } from '../topology.js';",
        '',
        '/** Per-message AMQP properties chosen by the caller (`x-amqp-properties` and bindings of the document). */',
        'export interface PublishOptions {',
        ...options.flatMap((option) => [
          ...(option.description ? [`  /** ${docLines(option.description).join(' ')} */`] : []),
          `  ${option.name}${option.required ? '' : '?'}: ${option.type};`,
        ]),
        '  /**',
        '   * The envelope as JSON bytes, when the caller has them already (an outbox stores events serialized): sent',
        '   * as they are, so they must be exactly the envelope given. Absent, the envelope is serialized here.',
        '   */',
        '  body?: Buffer;',
        '}',
      ].join('\n')}
    </Text>
  );
}
