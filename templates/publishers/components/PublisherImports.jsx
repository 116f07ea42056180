import { Text } from '@asyncapi/generator-react-sdk';

/**
 * Imports of one publisher file.
 *
 * @param {{ envelopeType: string }} props
 */
export function PublisherImports({ envelopeType }) {
  return (
    <Text newLines={2}>
      {[
        "import type { ConfirmChannel } from 'amqplib';",
        `import type { ${envelopeType} } from '../models/index.js';`,
        "import { EXCHANGE, type PublishOptions } from './common.js';",
      ].join('\n')}
    </Text>
  );
}
