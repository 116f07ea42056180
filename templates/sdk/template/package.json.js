import { File } from '@asyncapi/generator-react-sdk';
import { PackageJson } from '../components/PackageJson.jsx';
import { sdkModel } from '../helpers/model.js';

/**
 * `package.json` of `@customer-service/events`.
 *
 * @param {import('../../shared/context.js').TemplateContext} context the generator's: `params.model` is the document's model, as JSON
 */
export default function ({ params }) {
  const { version, dependencies } = sdkModel(params);
  return (
    <File name="package.json">
      <PackageJson version={version} dependencies={dependencies} />
    </File>
  );
}
