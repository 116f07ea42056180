/**
 * What @asyncapi/generator gives a template file: our templates read only `params`, which scripts/generate.ts
 * fills (scripts/lib/generate/publishers.ts and sdk.ts).
 *
 * @typedef {object} TemplateParams
 * @property {string} [model]   The document's model as JSON (events, exchange, received events…).
 * @property {string} [banner]  The first line of every generated TypeScript file.
 *
 * @typedef {object} TemplateContext
 * @property {TemplateParams} params
 */
export {};
