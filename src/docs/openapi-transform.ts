/**
 * What the published OpenAPI document adds to (or hides from) the route schemas, so that it is the clean input
 * client generators and linters (Redocly `recommended`) expect. Route schemas, and so validation, are untouched:
 * everything here works on copies.
 *
 * - every operation gets its `operationId` from OPERATION_IDS (a route without an entry is published without one;
 *   the docs test fails, the service does not);
 * - every /v1 operation declares 401 (problem details), the bearer token being checked before anything else;
 * - the probes in UNPUBLISHED are left out;
 * - the validation-only keyword `money: true` is published as the extension `x-money: true`;
 * - `servers` is the public URL.
 */
import type { FastifySchema } from 'fastify';
import type { Config } from '../config.js';
import { OPERATION_IDS, routeKey, UNPUBLISHED } from './operation-ids.js';

type JsonObject = Record<string, unknown>;

interface RouteInput {
  schema: FastifySchema;
  url: string;
  route: { method: string | string[] };
}

const unauthorized = {
  description: 'Missing, invalid or expired bearer token',
  content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } },
} as const;

/** Swagger's `transform`: one route's schema as published. */
export function transformRoute({ schema: routeSchema, url, route }: RouteInput): {
  schema: FastifySchema;
  url: string;
} {
  // Fastify's types say every route has a schema; a route declared without one has none.
  const schema = routeSchema as JsonObject | undefined;
  if (!schema || schema.hide === true) return { schema: routeSchema, url };
  const methods = typeof route.method === 'string' ? [route.method] : route.method;
  const keys = methods.map((m) => routeKey(m, url));
  if (keys.some((k) => k in UNPUBLISHED)) return { schema: { ...schema, hide: true } as FastifySchema, url };

  const published: JsonObject = { ...schema };
  const operationId = keys.map((k) => OPERATION_IDS[k]).find((id) => id !== undefined);
  if (operationId && methods.length === 1) published.operationId = operationId;

  const isPublic = Array.isArray(schema.security) && schema.security.length === 0;
  if (url.startsWith('/v1/') && !isPublic) {
    const response = (schema.response ?? {}) as JsonObject;
    if (!('401' in response)) published.response = { ...response, 401: unauthorized };
  }
  return { schema: published as FastifySchema, url };
}

/** Renames the validation keyword `money: true` to the extension `x-money: true`, in a copy. */
export function publishMoneyKeyword<T>(value: T): T {
  if (Array.isArray(value)) return value.map(publishMoneyKeyword) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value as JsonObject)) {
    // A property *named* money has a schema (an object) as value; the keyword has a boolean.
    if (key === 'money' && typeof child === 'boolean') out['x-money'] = child;
    else out[key] = publishMoneyKeyword(child);
  }
  return out as T;
}

/** PUBLIC_URL, else the listening address (a wildcard host becomes localhost). No trailing slash. */
export function publicUrl(config: Pick<Config, 'PUBLIC_URL' | 'HOST' | 'PORT'>): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, '');
  const wildcard = config.HOST === '0.0.0.0' || config.HOST === '::';
  const host = wildcard ? 'localhost' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  return `http://${host}:${config.PORT}`;
}

/** Swagger's `transformObject`: the whole document as published. */
export function transformDocument(document: JsonObject, serverUrl: string): JsonObject {
  const { openapi, info, ...rest } = publishMoneyKeyword(document);
  return { openapi, info, servers: [{ url: serverUrl, description: 'This service' }], ...rest };
}
