import { Text } from '@asyncapi/generator-react-sdk';

export const BANNER = '// Generated from asyncapi.yaml by scripts/generate.ts — DO NOT EDIT.';

/** First line of every generated TypeScript file. */
export function Banner() {
  return <Text newLines={2}>{BANNER}</Text>;
}
