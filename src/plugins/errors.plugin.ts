import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { isDatabaseUnavailable, pgErrorCode } from '../db/db.js';
import { type FieldError, Problem, problems } from '../errors.js';
import { problemOf } from '../http/domain-problems.js';
import { DomainError } from '../shared/domain-error.js';
import { isStorableText, MAX_BODY_DEPTH, nestsDeeperThan, unstorableTextPaths } from '../shared/text.js';

const titles: Record<number, string> = {
  400: 'Invalid request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  408: 'Request timeout',
  409: 'Conflict',
  411: 'Length required',
  413: 'Payload too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  431: 'Request header fields too large',
};

const codes: Record<number, string> = {
  400: 'validation-error',
  404: 'not-found',
  408: 'request-timeout',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  429: 'rate-limited',
  431: 'request-header-fields-too-large',
};

/** PostgreSQL "character not in repertoire" / "untranslatable character": text the guard below should have caught. */
const unstorableTextCodes = new Set(['22021', '22P05']);

const UNSTORABLE_MESSAGE = 'must not contain NUL (U+0000) or unpaired surrogates';

interface AjvLikeError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Names the failing field of an Ajv error: `body.points`, `querystring.limit`, `params.customer_id`. */
function fieldErrors(validation: AjvLikeError[], context: string | undefined): FieldError[] {
  const part = context ?? 'body';
  return validation.map((e) => {
    const pointer = e.instancePath ?? '';
    const path = (pointer === '' ? [] : pointer.slice(1).split('/')).map((s) =>
      s.replace(/~1/g, '/').replace(/~0/g, '~'),
    );
    const extra = e.params?.missingProperty ?? e.params?.additionalProperty;
    if (typeof extra === 'string') path.push(extra);
    // An empty key ({"": 1}) still gets a visible name.
    const field = path.length > 0 ? path.map((s) => (s === '' ? '""' : s)).join('.') : part;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties') message = 'is not an allowed field';
    if (e.keyword === 'required') message = 'is required';
    return { field: part === 'body' ? field : `${part}.${field}`, message };
  });
}

/** A client error Fastify (or a plugin) raised, as problem details. */
function clientProblem(status: number, message: string, code: string | undefined): Problem {
  if (status === 400) {
    const badUrl = code === 'FST_ERR_BAD_URL';
    const detail = badUrl
      ? 'The URL is not valid (bad percent-encoding).'
      : /JSON|Unexpected|body/i.test(message)
        ? `The body is not valid JSON: ${message.replace(/\s+at .*/s, '').slice(0, 200)}`
        : message;
    return problems.validation([{ field: badUrl ? 'url' : 'body', message: detail }], detail);
  }
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return new Problem(414, codes[414] as string, titles[414] as string, 'A path parameter is too long.');
  }
  return new Problem(status, codes[status] ?? `http-${status}`, titles[status] ?? 'Client error', message);
}

/** Every error leaves as RFC 9457 problem details; 5xx bodies reveal nothing internal. */
function problemFor(error: FastifyError, request: FastifyRequest, reply: FastifyReply): Problem {
  if (error instanceof Problem) return error;
  if (error instanceof DomainError) return problemOf(error);
  if (error.validation) {
    return problems.validation(
      fieldErrors(error.validation as AjvLikeError[], error.validationContext),
      'The request does not match the schema.',
    );
  }
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error.message }, 'database unavailable');
    reply.header('retry-after', '1');
    return problems.unavailable();
  }
  const pgCode = pgErrorCode(error);
  if (pgCode !== undefined && unstorableTextCodes.has(pgCode)) {
    request.log.warn({ err: error.message }, 'text PostgreSQL cannot store reached the database');
    return problems.validation(
      [{ field: 'request', message: UNSTORABLE_MESSAGE }],
      'The request has text that cannot be stored.',
    );
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return clientProblem(error.statusCode, error.message, error.code);
  }
  request.log.error({ err: error }, 'unhandled error');
  return problems.internal();
}

function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer');
  return reply.code(problem.status).type('application/problem+json').send(problem.toBody());
}

/**
 * Errors the router raises before any route or error handler runs (bad percent-encoding in the path, a path
 * parameter over the router's length limit). Wire it as the `frameworkErrors` server option.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  sendProblem(reply, problemFor(error, request, reply));
}

/**
 * Malformed HTTP that Node's parser refuses (a NUL in a header, headers over the size limit, a request timeout).
 * No request or reply exists yet, so the answer is written on the socket. Wire it as `clientErrorHandler`.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const problem =
    status === 400
      ? problems.validation(
          [{ field: 'request', message: 'is not well-formed HTTP' }],
          'The request is not well-formed HTTP.',
        )
      : clientProblem(status, STATUS_CODES[status] ?? 'Client error', undefined);
  const body = JSON.stringify(problem.toBody());
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** The server options that route Fastify's own early errors through the problem-details format. */
export const problemServerOptions = { frameworkErrors, clientErrorHandler } satisfies FastifyServerOptions;

/** The one error handler: everything leaves as RFC 9457 problem details; 5xx bodies reveal nothing internal. */
export default fp(
  async function errorsPlugin(app: FastifyInstance) {
    app.setErrorHandler((error: FastifyError, request, reply) => sendProblem(reply, problemFor(error, request, reply)));

    app.setNotFoundHandler((request, reply) =>
      sendProblem(reply, problems.notFound(`${request.method} ${request.url.split('?')[0]}`)),
    );

    // Before the schema, on every route (those without a body schema too): code that walks a body recursively
    // (validation, the idempotency hash) must never meet JSON thousands of levels deep.
    app.addHook('preValidation', async (request) => {
      if (request.body !== undefined && nestsDeeperThan(request.body, MAX_BODY_DEPTH)) {
        throw problems.validation(
          [{ field: 'body', message: `nests deeper than ${MAX_BODY_DEPTH} levels` }],
          'The body is nested too deeply.',
        );
      }
    });

    // After the schema and the role checks, before any handler reaches the database: text PostgreSQL cannot
    // keep verbatim is a 400 naming the field, not a 500 (NUL) or a silently altered value (lone surrogate).
    app.addHook('preHandler', async (request) => {
      const errors: FieldError[] = [];
      const fail = (field: string) => errors.push({ field, message: UNSTORABLE_MESSAGE });
      for (const p of unstorableTextPaths(request.params)) fail(`params.${p}`);
      for (const p of unstorableTextPaths(request.query)) fail(`querystring.${p}`);
      const key = request.headers['idempotency-key'];
      if (typeof key === 'string' && !isStorableText(key)) fail('headers.idempotency-key');
      // Only a body the route declares reaches the database; an undeclared one is ignored.
      if (request.routeOptions.schema?.body) {
        for (const p of unstorableTextPaths(request.body)) fail(p || 'body');
      }
      if (errors.length > 0) throw problems.validation(errors, 'The request has text that cannot be stored.');
    });
  },
  { name: 'errors' },
);
