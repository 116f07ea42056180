import { File } from '@asyncapi/generator-react-sdk';
import { Banner } from '../../shared/Banner.jsx';
import { TopologyModule } from '../components/TopologyModule.jsx';
import { eventDescriptors, sharedExchange } from '../helpers/events.js';

/**
 * `topology.ts`: the exchange, its alternate exchange and the message properties the document declares.
 *
 * @param {import('../../shared/context.js').TemplateContext} context the generator's: `params.model` is the document's model, as JSON
 */
export default function ({ params }) {
  return (
    <File name="topology.ts">
      <Banner params={params} />
      <TopologyModule exchange={sharedExchange(params)} events={eventDescriptors(params)} />
    </File>
  );
}
