/**
 * Why a use case refused. Each code is stable: the HTTP layer maps it, in one table
 * (src/http/domain-problems.ts), to a status, a title and the problem type `…/problems/<code>`.
 */
export type DomainErrorCode =
  | 'validation-error'
  | 'customer-not-found'
  | 'customer-conflict'
  | 'customer-anonymized'
  | 'customer-has-outstanding-credit'
  | 'loyalty-account-not-found'
  | 'loyalty-account-exists'
  | 'duplicate-reference'
  | 'no-points'
  | 'insufficient-points'
  | 'points-limit-exceeded'
  | 'transaction-not-found'
  | 'reversal-exceeds-transaction'
  | 'not-reversible'
  | 'credit-account-not-found'
  | 'credit-account-exists'
  | 'credit-limit-below-outstanding'
  | 'credit-limit-exceeded'
  | 'duplicate-order'
  | 'credit-on-hold'
  | 'credit-overdue'
  | 'usage-not-found'
  | 'usage-partly-paid'
  | 'usage-already-cancelled'
  | 'overpayment'
  | 'invalid-cursor'
  | 'job-running';

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  /**
   * @param code the stable refusal code
   * @param detail a sentence for the person who asked
   * @param fields facts a client can act on (`points_balance`, `errors`…), answered next to the detail
   */
  constructor(
    readonly code: DomainErrorCode,
    readonly detail: string,
    readonly fields: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

/** Invalid input that a schema cannot express (e.g. "email or phone"); answered like a schema failure. */
export function invalid(errors: FieldError[], detail = 'The request is not valid.'): DomainError {
  return new DomainError('validation-error', detail, { errors });
}

export const customerNotFound = () => new DomainError('customer-not-found', 'The customer does not exist.');
