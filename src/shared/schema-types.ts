import type { FromSchema as FromJsonSchema, JSONSchema } from 'json-schema-to-ts';

/** A schema another one `$ref`s by its `$id`. */
export type SchemaReference = Exclude<JSONSchema, boolean> & { readonly $id: string };

/**
 * The type a JSON Schema describes (what a body schema lets through, what a response schema sends): use cases take
 * and give these, so a schema and the code behind it cannot drift apart unnoticed by `npm run typecheck`.
 * `References` are the schemas the one given `$ref`s by `$id`.
 */
export type FromSchema<S extends JSONSchema, References extends SchemaReference[] = []> = FromJsonSchema<
  S,
  { references: [...References] }
>;
