import { File } from '@asyncapi/generator-react-sdk';
import { Banner } from '../components/Banner.jsx';
import { TopologyModule } from '../components/TopologyModule.jsx';
import { eventDescriptors, sharedExchange } from '../helpers/events.js';

/** `topology.ts`: the exchange, its alternate exchange and the message properties the document declares. */
export default function ({ params }) {
  return (
    <File name="topology.ts">
      <Banner />
      <TopologyModule exchange={sharedExchange(params)} events={eventDescriptors(params)} />
    </File>
  );
}
