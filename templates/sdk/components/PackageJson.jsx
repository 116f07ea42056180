import { Text } from '@asyncapi/generator-react-sdk';

/**
 * `package.json` of `@customer-service/events`: ESM with declarations, Node ≥ 20, the contract's version, and only
 * the runtime dependencies the SDK imports.
 *
 * @param {{ version: string, dependencies: Record<string, string> }} props
 */
export function PackageJson({ version, dependencies }) {
  const manifest = {
    name: '@customer-service/events',
    version,
    description:
      'Typed consumer of the Customer Service events on RabbitMQ (customer_events), generated from its AsyncAPI document.',
    type: 'module',
    engines: { node: '>=20' },
    main: './dist/index.js',
    types: './dist/index.d.ts',
    exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
    files: ['dist', 'README.md'],
    sideEffects: false,
    dependencies,
  };
  return <Text>{JSON.stringify(manifest, null, 2)}</Text>;
}
