import { File } from '@asyncapi/generator-react-sdk';
import { Banner } from '../../../shared/Banner.jsx';
import { IndexExports } from '../../components/IndexExports.jsx';

/**
 * `src/index.ts`: the package's one entry point.
 *
 * @param {import('../../../shared/context.js').TemplateContext} context the generator's: `params.banner` is the banner
 */
export default function ({ params }) {
  return (
    <File name="index.ts">
      <Banner params={params} />
      <IndexExports />
    </File>
  );
}
