import { exactObject, page, pageQuery } from '../http/schemas.js';

const email = {
  type: 'string',
  format: 'email',
  maxLength: 254,
  description: 'Unique per organization, case-insensitively',
} as const;
const phone = {
  type: 'string',
  pattern: '^\\+?[0-9][0-9 ().-]{5,28}[0-9]$',
  description: 'Kept as written (`+507 6000-0000`); unique per organization, compared by its digits',
} as const;
const name = { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' } as const;
const taxId = { type: 'string', minLength: 1, maxLength: 50, description: 'Tax id, e.g. a Panama RUC' } as const;
const customerType = { type: 'string', enum: ['b2c', 'b2b'] } as const;
const customerStatus = {
  type: 'string',
  enum: ['active', 'anonymized'],
  description:
    '`anonymized`: the personal data was erased (Law 81 of 2019); name `Anonymized customer`, no email, phone or tax id',
} as const;

/** The fields a new customer is given (the sign-up body in src/profile/ adds its own). */
export const newCustomerFields = { customer_type: customerType, name, email, phone, tax_id: taxId } as const;

export const customerSchema = {
  $id: 'Customer',
  ...exactObject({
    customer_id: { type: 'string', description: 'cust_…' },
    customer_type: customerType,
    name: { type: 'string' },
    email: { type: ['string', 'null'] },
    phone: { type: ['string', 'null'] },
    tax_id: { type: ['string', 'null'] },
    status: customerStatus,
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  }),
} as const;

export const patchCustomerBody = {
  type: 'object',
  description: 'JSON merge patch: null clears an optional field. The customer keeps an email or a phone.',
  properties: {
    name,
    email: { ...email, type: ['string', 'null'] },
    phone: { ...phone, type: ['string', 'null'] },
    tax_id: { ...taxId, type: ['string', 'null'] },
  },
  additionalProperties: false,
} as const;

export const listCustomersQuery = {
  type: 'object',
  properties: {
    email: { type: 'string', maxLength: 254 },
    phone: { type: 'string', maxLength: 40 },
    customer_type: customerType,
    status: {
      ...customerStatus,
      default: 'active',
      description: 'Anonymized customers are listed only when asked for',
    },
    q: { type: 'string', minLength: 1, maxLength: 200, description: 'name, email or phone contains' },
    ...pageQuery,
  },
  additionalProperties: false,
} as const;

export const customerPage = page({ $ref: 'Customer#' });
