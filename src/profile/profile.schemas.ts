import { newCustomerFields } from '../customers/customers.schemas.js';

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
