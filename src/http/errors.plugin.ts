import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { isDatabaseUnavailable } from '../db/db.js';
import { type FieldError, Problem, problems } from '../errors.js';

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
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'rate-limited',
};

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
    const path = (e.instancePath ?? '')
      .split('/')
      .filter(Boolean)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const extra = e.params?.missingProperty ?? e.params?.additionalProperty;
    if (typeof extra === 'string') path.push(extra);
    const field = path.length > 0 ? path.join('.') : part;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties') message = 'is not an allowed field';
    if (e.keyword === 'required') message = 'is required';
    return { field: part === 'body' ? field : `${part}.${field}`, message };
  });
}

/** The one error handler: everything leaves as RFC 9457 problem details; 5xx bodies reveal nothing internal. */
export default fp(
  async function errorsPlugin(app: FastifyInstance) {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      let problem: Problem;
      if (error instanceof Problem) {
        problem = error;
      } else if (error.validation) {
        problem = problems.validation(
          fieldErrors(error.validation as AjvLikeError[], error.validationContext),
          'The request does not match the schema.',
        );
      } else if (isDatabaseUnavailable(error)) {
        request.log.warn({ err: error.message }, 'database unavailable');
        problem = problems.unavailable();
        reply.header('retry-after', '1');
      } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
        const status = error.statusCode;
        const detail =
          status === 400 && /JSON|Unexpected|body/i.test(error.message)
            ? `The body is not valid JSON: ${error.message.replace(/\s+at .*/s, '').slice(0, 200)}`
            : error.message;
        problem = new Problem(status, codes[status] ?? `http-${status}`, titles[status] ?? 'Client error', detail);
        if (status === 400) {
          problem = new Problem(400, 'validation-error', 'Invalid request', detail, {
            errors: [{ field: 'body', message: detail }],
          });
        }
      } else {
        request.log.error({ err: error }, 'unhandled error');
        problem = problems.internal();
      }
      if (problem.status === 401) reply.header('www-authenticate', 'Bearer');
      return reply.code(problem.status).type('application/problem+json').send(problem.toBody());
    });

    app.setNotFoundHandler((request, reply) => {
      return reply
        .code(404)
        .type('application/problem+json')
        .send(problems.notFound(`${request.method} ${request.url.split('?')[0]}`).toBody());
    });
  },
  { name: 'errors' },
);
