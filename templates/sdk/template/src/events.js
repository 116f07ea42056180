import { File } from '@asyncapi/generator-react-sdk';
import { Banner } from '../../components/Banner.jsx';
import { EventCatalogue } from '../../components/EventCatalogue.jsx';
import { sdkModel } from '../../helpers/model.js';

/** `src/events.ts`: the events of the contract and their envelope types. */
export default function ({ params }) {
  const { exchange, events } = sdkModel(params);
  return (
    <File name="events.ts">
      <Banner />
      <EventCatalogue exchange={exchange} events={events} />
    </File>
  );
}
