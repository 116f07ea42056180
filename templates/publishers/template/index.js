import { File } from '@asyncapi/generator-react-sdk';
import { Banner } from '../../shared/Banner.jsx';
import { EventCatalog } from '../components/EventCatalog.jsx';
import { EventEnvelopeTypes } from '../components/EventEnvelopeTypes.jsx';
import { EventNames } from '../components/EventNames.jsx';
import { IndexImports } from '../components/IndexImports.jsx';
import { IndexReExports } from '../components/IndexReExports.jsx';
import { PublishEvent } from '../components/PublishEvent.jsx';
import { eventDescriptors } from '../helpers/events.js';

/**
 * `index.ts`: the one import path of the generated code.
 *
 * @param {import('../../shared/context.js').TemplateContext} context the generator's: `params.model` is the document's model, as JSON
 */
export default function ({ params }) {
  const events = eventDescriptors(params);
  return (
    <File name="index.ts">
      <Banner params={params} />
      <IndexImports events={events} />
      <IndexReExports events={events} />
      <EventNames events={events} />
      <EventEnvelopeTypes events={events} />
      <EventCatalog />
      <PublishEvent events={events} />
    </File>
  );
}
