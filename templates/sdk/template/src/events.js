import { File } from '@asyncapi/generator-react-sdk';
import { Banner } from '../../../shared/Banner.jsx';
import { EventCatalogue } from '../../components/EventCatalogue.jsx';
import { sdkModel } from '../../helpers/model.js';

/**
 * `src/events.ts`: the events of the contract and their envelope types.
 *
 * @param {import('../../../shared/context.js').TemplateContext} context the generator's: `params.model` is the document's model, as JSON
 */
export default function ({ params }) {
  const { exchange, events } = sdkModel(params);
  return (
    <File name="events.ts">
      <Banner params={params} />
      <EventCatalogue exchange={exchange} events={events} />
    </File>
  );
}
