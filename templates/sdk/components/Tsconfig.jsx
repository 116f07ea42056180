import { Text } from '@asyncapi/generator-react-sdk';

/** `tsconfig.json` the package is built with (`npm run sdk:pack`): ESM for Node ≥ 20 plus declarations. */
export function Tsconfig() {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      declaration: true,
      skipLibCheck: true,
      types: ['node'],
      rootDir: 'src',
      outDir: 'dist',
    },
    include: ['src'],
  };
  return <Text>{JSON.stringify(config, null, 2)}</Text>;
}
