import { customerSchema, newCustomerFields } from '../customers/customers.schemas.js';
import { exactObject } from '../http/schemas.js';

export const signUpBody = {
  type: 'object',
  properties: {
    ...newCustomerFields,
    enroll_loyalty: { type: 'boolean', default: true, description: 'Open a loyalty account (default true)' },
  },
  required: ['customer_type', 'name'],
  additionalProperties: false,
  description: 'At least one of email and phone.',
} as const;

/** A customer with its loyalty summary and credit account (each null when the customer has none). */
export const profileSchema = exactObject({
  ...customerSchema.properties,
  loyalty: { anyOf: [{ $ref: 'LoyaltyAccount#' }, { type: 'null' }] },
  credit: { anyOf: [{ $ref: 'CreditAccount#' }, { type: 'null' }] },
});
