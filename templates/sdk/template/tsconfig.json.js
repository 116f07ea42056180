import { File } from '@asyncapi/generator-react-sdk';
import { Tsconfig } from '../components/Tsconfig.jsx';

/** `tsconfig.json`: how `npm run sdk:pack` builds the package. */
export default function () {
  return (
    <File name="tsconfig.json">
      <Tsconfig />
    </File>
  );
}
