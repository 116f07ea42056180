import { MONEY_BELOW } from '../shared/money.js';
import { MAX_POINTS_BALANCE, MAX_POINTS_PER_OPERATION } from '../shared/points.js';

/**
 * Shared JSON Schema pieces for the HTTP API. They feed Fastify's validation and the OpenAPI document.
 */
export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem details',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { field: { type: 'string' }, message: { type: 'string' } },
        required: ['field', 'message'],
        additionalProperties: false,
      },
    },
  },
  required: ['type', 'title', 'status'],
  additionalProperties: true,
} as const;

/** Money: a JSON number with at most 2 decimals, > 0 and < 10^12 (the `money` keyword checks the decimals). */
export const money = {
  type: 'number',
  exclusiveMinimum: 0,
  exclusiveMaximum: MONEY_BELOW,
  money: true,
  description: 'Amount in currency units, at most 2 decimals, below 1,000,000,000,000',
  examples: [125.5],
} as const;

export const moneyOut = { type: 'number', description: 'Amount in currency units (2 decimals at most)' } as const;

export const positivePoints = {
  type: 'integer',
  minimum: 1,
  maximum: MAX_POINTS_PER_OPERATION,
  description: 'Whole points, from 1 to 1,000,000,000',
} as const;

/** Points an account holds (a balance, a lifetime total), as answered: never above 1,000,000,000,000. */
export const heldPoints = { type: 'integer', minimum: 0, maximum: MAX_POINTS_BALANCE } as const;

function idSchema(prefix: string) {
  return { type: 'string', minLength: 1, maxLength: 64, description: `Id (${prefix}…)` } as const;
}

export function idParam<N extends string>(name: N, prefix: string) {
  return {
    type: 'object',
    properties: { [name]: idSchema(prefix) } as Record<N, ReturnType<typeof idSchema>>,
    required: [name],
    additionalProperties: false,
  } as const;
}

/** Params of one item of a customer (`/customers/:customer_id/…/:<name>`). */
export function customerItemParams<N extends string>(name: N, prefix: string) {
  return {
    type: 'object',
    properties: {
      customer_id: idSchema('cust_'),
      ...({ [name]: idSchema(prefix) } as Record<N, ReturnType<typeof idSchema>>),
    },
    required: ['customer_id', name],
    additionalProperties: false,
  } as const;
}

export const customerIdParams = idParam('customer_id', 'cust_');

export const pageQuery = {
  limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  cursor: { type: 'string', minLength: 1, maxLength: 200 },
} as const;

/** The query string of a list without filters. */
export const pageQuerystring = {
  type: 'object',
  properties: pageQuery,
  additionalProperties: false,
} as const;

export const idempotencyHeaders = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description: 'Retries with the same key and body return the first response and publish nothing new (≥ 24 h).',
    },
  },
} as const;

/** Error responses every /v1 operation may give; routes add their own 404/409/422. */
const problemDescriptions: Record<number, string> = {
  400: 'Invalid request: `errors` names each failing field',
  401: 'Missing, expired or badly signed bearer token',
  403: 'The token lacks the role this action needs',
  404: "No such resource in the caller's organization",
  409: 'Conflicts with an existing resource',
  413: 'Body over 1 MiB',
  415: 'Body is not JSON',
  422: 'Refused by a business rule (stable `type`)',
  429: 'Rate limit of the organization exceeded',
  503: 'Database unreachable; retry later',
};

/** A problem-details response: `application/problem+json` with the `Problem` schema. */
interface ProblemResponse {
  readonly description: string;
  readonly content: { readonly 'application/problem+json': { readonly schema: { readonly $ref: 'Problem#' } } };
}

type CommonStatus = 400 | 401 | 403 | 413 | 415 | 429 | 503;

export function errorResponses<S extends number = never>(
  ...statuses: S[]
): { readonly [K in CommonStatus | S]: ProblemResponse } {
  const all = [400, 401, 403, ...statuses, 413, 415, 429, 503];
  return Object.fromEntries(
    [...new Set(all)].map((s): [number, ProblemResponse] => [
      s,
      {
        description: problemDescriptions[s] ?? 'Problem details (RFC 9457)',
        content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } },
      },
    ]),
  ) as { readonly [K in CommonStatus | S]: ProblemResponse };
}

/**
 * An object of exactly `properties`, each of them required (in their order): what an answer is, and a body whose
 * fields are all needed.
 */
export function exactObject<const P extends Record<string, object>>(properties: P) {
  return {
    type: 'object',
    properties,
    required: Object.keys(properties) as (keyof P & string)[],
    additionalProperties: false,
  } as const;
}

/** `schema`, or null (what is absent is answered as null), described by `description`. */
export function orNull<const S extends object>(description: string, schema: S) {
  return { description, anyOf: [schema, { type: 'null' }] } as const;
}

export function page<T extends object>(item: T) {
  return {
    type: 'object',
    properties: { items: { type: 'array', items: item }, next_cursor: { type: ['string', 'null'] } },
    required: ['items', 'next_cursor'],
    additionalProperties: false,
  } as const;
}
