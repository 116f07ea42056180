/** First line of every generated TypeScript file: written here once, passed to the templates as `banner`. */
export const BANNER = '// Generated from asyncapi.yaml by scripts/generate.ts — DO NOT EDIT.';
