import { Problem } from '../errors.js';
import type { DomainError, DomainErrorCode } from '../shared/domain-error.js';

/** The one table from a domain refusal to its HTTP answer; the problem type is `…/problems/<code>`. */
const answers: Record<DomainErrorCode, { status: number; title: string }> = {
  'validation-error': { status: 400, title: 'Invalid request' },
  'customer-not-found': { status: 404, title: 'Customer not found' },
  'customer-conflict': { status: 409, title: 'Customer already exists' },
  'customer-anonymized': { status: 409, title: 'Customer anonymized' },
  'customer-has-outstanding-credit': { status: 409, title: 'Customer has outstanding credit' },
  'loyalty-account-not-found': { status: 404, title: 'Loyalty account not found' },
  'loyalty-account-exists': { status: 409, title: 'Already enrolled' },
  'duplicate-reference': { status: 409, title: 'Reference already earned' },
  'no-points': { status: 422, title: 'No points to earn' },
  'insufficient-points': { status: 422, title: 'Insufficient points' },
  'points-limit-exceeded': { status: 422, title: 'Points limit exceeded' },
  'transaction-not-found': { status: 404, title: 'Loyalty transaction not found' },
  'reversal-exceeds-transaction': { status: 422, title: 'Reversal exceeds the transaction' },
  'not-reversible': { status: 422, title: 'Not reversible' },
  'credit-account-not-found': { status: 404, title: 'Credit account not found' },
  'credit-account-exists': { status: 409, title: 'Credit account exists' },
  'credit-limit-below-outstanding': { status: 422, title: 'Credit limit below outstanding' },
  'credit-limit-exceeded': { status: 422, title: 'Credit limit exceeded' },
  'duplicate-order': { status: 409, title: 'Order already used credit' },
  'credit-on-hold': { status: 422, title: 'Credit on hold' },
  'credit-overdue': { status: 409, title: 'Credit overdue' },
  'usage-not-found': { status: 404, title: 'Credit usage not found' },
  'usage-partly-paid': { status: 422, title: 'Credit usage partly paid' },
  'usage-already-cancelled': { status: 409, title: 'Credit usage already cancelled' },
  overpayment: { status: 422, title: 'Overpayment' },
  'invalid-cursor': { status: 400, title: 'Invalid cursor' },
  'job-running': { status: 409, title: 'Job running' },
};

export function problemOf(error: DomainError): Problem {
  const { status, title } = answers[error.code];
  return new Problem(status, error.code, title, error.detail, { ...error.fields });
}
