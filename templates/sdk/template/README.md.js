import { File } from '@asyncapi/generator-react-sdk';
import { Readme } from '../components/Readme.jsx';
import { sdkModel } from '../helpers/model.js';

/** `README.md`: the package's documentation, a complete consumer. */
export default function ({ params }) {
  const { version, exchange, events } = sdkModel(params);
  return (
    <File name="README.md">
      <Readme version={version} exchange={exchange} events={events} />
    </File>
  );
}
