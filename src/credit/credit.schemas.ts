import { money, moneyOut, page } from '../http/schemas.js';

export const creditAccountSchema = {
  $id: 'CreditAccount',
  type: 'object',
  description: 'B2B store credit of one customer. Money is a JSON number with at most 2 decimals.',
  properties: {
    credit_account_id: { type: 'string', description: 'Id (credit_…)' },
    customer_id: { type: 'string' },
    credit_limit: moneyOut,
    outstanding: { ...moneyOut, description: 'Used and not yet paid' },
    credit_available: { ...moneyOut, description: '`credit_limit` minus `outstanding`' },
    payment_term_days: { type: 'integer', minimum: 0, maximum: 365 },
    approved_by: { type: 'string', description: "The token's sub of who approved or last changed the terms" },
    status: {
      type: 'string',
      enum: ['active', 'on_hold'],
      description: '`on_hold`: usages are refused (422 `credit-on-hold`); payments are accepted',
    },
    hold_reason: {
      type: ['string', 'null'],
      enum: ['overdue', 'manual', null],
      description:
        'Why the account is on hold (null when active): `overdue` lifts by itself when a payment leaves no ' +
        'overdue usage; `manual` stays until released',
    },
    hold_note: { type: ['string', 'null'], description: 'The note of a manual hold' },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
  required: [
    'credit_account_id',
    'customer_id',
    'credit_limit',
    'outstanding',
    'credit_available',
    'payment_term_days',
    'approved_by',
    'status',
    'hold_reason',
    'hold_note',
    'created_at',
    'updated_at',
  ],
  additionalProperties: false,
} as const;

const paymentTermDays = {
  type: 'integer',
  minimum: 0,
  maximum: 365,
  description: 'Days after a usage until it is due',
  examples: [30],
} as const;

export const openAccountBody = {
  type: 'object',
  properties: { credit_limit: money, payment_term_days: paymentTermDays },
  required: ['credit_limit', 'payment_term_days'],
  additionalProperties: false,
} as const;

export const changeAccountBody = {
  type: 'object',
  description: 'At least one of the fields; the absent ones keep their value.',
  properties: { credit_limit: money, payment_term_days: paymentTermDays },
  minProperties: 1,
  additionalProperties: false,
} as const;

export const usageBody = {
  type: 'object',
  properties: {
    order_id: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      pattern: '\\S',
      description: 'The order paid with credit; one usage per order in the organization',
    },
    amount: money,
  },
  required: ['order_id', 'amount'],
  additionalProperties: false,
} as const;

export const paymentBody = {
  type: 'object',
  properties: {
    amount: money,
    reference: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      pattern: '\\S',
      description: 'E.g. a bank transfer id',
    },
  },
  required: ['amount'],
  additionalProperties: false,
} as const;

export const usageSchema = {
  type: 'object',
  properties: {
    usage_id: { type: 'string', description: 'Id (usage_…)' },
    order_id: { type: 'string' },
    amount: moneyOut,
    amount_paid: { ...moneyOut, description: 'Settled by payments (earliest due date first, then oldest)' },
    status: {
      type: 'string',
      enum: ['open', 'paid', 'overdue', 'cancelled'],
      description:
        '`cancelled` when cancelled (its amount returned to the available credit; it is never paid nor overdue); ' +
        "`paid` when settled in full; `overdue` when the service clock's UTC date is after `due_date` and it is " +
        'not fully paid; else `open`',
    },
    credit_available: { ...moneyOut, description: 'Credit available after this usage' },
    due_date: { type: 'string', format: 'date', description: 'Usage day (UTC) plus the payment term' },
    created_at: { type: 'string', format: 'date-time' },
  },
  required: ['usage_id', 'order_id', 'amount', 'amount_paid', 'status', 'credit_available', 'due_date', 'created_at'],
  additionalProperties: false,
} as const;

export const paymentSchema = {
  type: 'object',
  properties: {
    payment_id: { type: 'string', description: 'Id (pay_…)' },
    amount: moneyOut,
    reference: { type: ['string', 'null'] },
    credit_available: { ...moneyOut, description: 'Credit available after this payment' },
    created_at: { type: 'string', format: 'date-time' },
  },
  required: ['payment_id', 'amount', 'reference', 'credit_available', 'created_at'],
  additionalProperties: false,
} as const;

export const usagePage = page(usageSchema);
export const paymentPage = page(paymentSchema);
