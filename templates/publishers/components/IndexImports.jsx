import { Text } from '@asyncapi/generator-react-sdk';

/**
 * Imports of `index.ts`: the envelope types and publishers that `publishEvent` needs, and the generated
 * schemas and examples.
 *
 * @param {{ events: import('../helpers/events.js').EventDescriptor[] }} props
 */
export function IndexImports({ events }) {
  const envelopeTypes = [...new Set(events.map((event) => event.envelopeType))].sort();
  return (
    <Text newLines={2}>
      {[
        "import type { ConfirmChannel } from 'amqplib';",
        'import type {',
        ...envelopeTypes.map((type) => `  ${type},`),
        "} from './models/index.js';",
        "import type { PublishOptions } from './publishers/common.js';",
        ...events.map((event) => `import { ${event.functionName} } from '${event.modulePath}';`),
        'import {',
        '  eventExamples as examples,',
        '  eventSchemas as schemas,',
        '  strictEventSchemas as strictSchemas,',
        "} from './schemas/index.js';",
      ].join('\n')}
    </Text>
  );
}
