import { File } from '@asyncapi/generator-react-sdk';
import { Readme } from '../components/Readme.jsx';
import { sdkModel } from '../helpers/model.js';

/**
 * `README.md`: the package's documentation, a complete consumer.
 *
 * @param {import('../../shared/context.js').TemplateContext} context the generator's: `params.model` is the document's model, as JSON
 */
export default function ({ params }) {
  const { version, exchange, events } = sdkModel(params);
  return (
    <File name="README.md">
      <Readme version={version} exchange={exchange} events={events} />
    </File>
  );
}
