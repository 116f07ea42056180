import { File } from '@asyncapi/generator-react-sdk';
import { Banner } from '../../components/Banner.jsx';
import { IndexExports } from '../../components/IndexExports.jsx';

/** `src/index.ts`: the package's one entry point. */
export default function () {
  return (
    <File name="index.ts">
      <Banner />
      <IndexExports />
    </File>
  );
}
