import { File } from '@asyncapi/generator-react-sdk';
import { Banner } from '../components/Banner.jsx';
import { ReceivedModule } from '../components/ReceivedModule.jsx';
import { inboundQueues, receivedDescriptors } from '../helpers/received.js';

/** `received.ts`: the consumed events (receive operations), their handler map, validation and topology. */
export default function ({ params }) {
  return (
    <File name="received.ts">
      <Banner />
      <ReceivedModule events={receivedDescriptors(params)} queues={inboundQueues(params)} />
    </File>
  );
}
