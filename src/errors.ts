/**
 * RFC 9457 problem details: what the HTTP layer answers for every refusal. Use cases throw a `DomainError`
 * (src/shared/domain-error.ts), mapped to a `Problem` in src/http/domain-problems.ts; the one error handler
 * (src/plugins/errors.plugin.ts) turns both, and Fastify's own errors, into `application/problem+json`.
 */
import type { FieldError } from './shared/domain-error.js';

export type { FieldError };

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const TYPE_BASE = 'https://customer-service.dev/problems/';

export class Problem extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail?: string;
  readonly extensions: Record<string, unknown>;

  constructor(status: number, code: string, title: string, detail?: string, extensions: Record<string, unknown> = {}) {
    super(detail ?? title);
    this.status = status;
    this.type = TYPE_BASE + code;
    this.title = title;
    this.detail = detail;
    this.extensions = extensions;
  }

  toBody(): ProblemBody {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      ...this.extensions,
    };
  }
}

export function problemType(code: string): string {
  return TYPE_BASE + code;
}

export const problems = {
  validation: (errors: FieldError[], detail = 'The request is not valid.') =>
    new Problem(400, 'validation-error', 'Invalid request', detail, { errors }),
  unauthorized: (detail = 'A valid bearer token is required.') =>
    new Problem(401, 'unauthorized', 'Unauthorized', detail),
  forbidden: (role: string) => new Problem(403, 'forbidden', 'Forbidden', `This action needs the role '${role}'.`),
  notFound: (what: string) => new Problem(404, 'not-found', 'Not found', `${what} was not found.`),
  unprocessable: (code: string, title: string, detail: string, extensions: Record<string, unknown> = {}) =>
    new Problem(422, code, title, detail, extensions),
  unavailable: () =>
    new Problem(503, 'service-unavailable', 'Service unavailable', 'The database is not reachable; retry later.'),
  internal: () => new Problem(500, 'internal-error', 'Internal error', 'An unexpected error occurred.'),
};
