/**
 * RFC 9457 problem details. Every refusal the service makes is a `Problem`; the one error handler in
 * app.ts turns it (and Fastify's own errors) into `application/problem+json`.
 */
export interface FieldError {
  field: string;
  message: string;
}

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
  customerNotFound: () => new Problem(404, 'customer-not-found', 'Customer not found', 'The customer does not exist.'),
  loyaltyAccountNotFound: () =>
    new Problem(404, 'loyalty-account-not-found', 'Loyalty account not found', 'The customer has no loyalty account.'),
  creditAccountNotFound: () =>
    new Problem(404, 'credit-account-not-found', 'Credit account not found', 'The customer has no credit account.'),
  conflict: (code: string, title: string, detail: string, extensions: Record<string, unknown> = {}) =>
    new Problem(409, code, title, detail, extensions),
  unprocessable: (code: string, title: string, detail: string, extensions: Record<string, unknown> = {}) =>
    new Problem(422, code, title, detail, extensions),
  unavailable: () =>
    new Problem(503, 'service-unavailable', 'Service unavailable', 'The database is not reachable; retry later.'),
  internal: () => new Problem(500, 'internal-error', 'Internal error', 'An unexpected error occurred.'),
};
