import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import type { SchemaReference } from '../shared/schema-types.js';
import type { problemSchema } from './schemas.js';

/**
 * Route types come from the route schemas: params, query, headers and body as validated, replies as serialized.
 * `References` are the schemas registered by `$id` (src/app.ts) that the routes `$ref` (`{ $ref: 'Customer#' }`).
 */
export type TypeProvider<References extends SchemaReference[]> = JsonSchemaToTsProvider<{
  ValidatorSchemaOptions: { references: [typeof problemSchema, ...References] };
  SerializerSchemaOptions: { references: [typeof problemSchema, ...References] };
}>;

/** `app` with route types derived from the route schemas: the one place that says how. */
export function typed<References extends SchemaReference[] = []>(app: FastifyInstance) {
  return app.withTypeProvider<TypeProvider<References>>();
}
