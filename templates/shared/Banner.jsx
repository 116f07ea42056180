import { Text } from '@asyncapi/generator-react-sdk';

/**
 * First line of every generated TypeScript file. The text is the generator script's (`BANNER` in
 * scripts/lib/generate/generate.ts, passed as the `banner` parameter), so it is written once.
 *
 * @param {{ params: import('./context.js').TemplateParams }} props
 */
export function Banner({ params }) {
  if (!params.banner) throw new Error('The templates are run by scripts/generate.ts, which passes `banner`.');
  return <Text newLines={2}>{params.banner}</Text>;
}
