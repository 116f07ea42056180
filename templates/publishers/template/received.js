import { File } from '@asyncapi/generator-react-sdk';
import { Banner } from '../../shared/Banner.jsx';
import { ReceivedModule } from '../components/ReceivedModule.jsx';
import { inboundQueues, receivedDescriptors } from '../helpers/received.js';

/**
 * `received.ts`: the consumed events (receive operations), their handler map, validation and topology.
 *
 * @param {import('../../shared/context.js').TemplateContext} context the generator's: `params.model` is the document's model, as JSON
 */
export default function ({ params }) {
  return (
    <File name="received.ts">
      <Banner params={params} />
      <ReceivedModule events={receivedDescriptors(params)} queues={inboundQueues(params)} />
    </File>
  );
}
