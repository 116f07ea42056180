import { exactObject, money, moneyOut, page } from '../http/schemas.js';

export const creditAccountSchema = {
  $id: 'CreditAccount',
  description: 'B2B store credit of one customer. Money is a JSON number with at most 2 decimals.',
  ...exactObject({
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
  }),
} as const;

const paymentTermDays = {
  type: 'integer',
  minimum: 0,
  maximum: 365,
  description: 'Days after a usage until it is due',
  examples: [30],
} as const;

export const openAccountBody = exactObject({ credit_limit: money, payment_term_days: paymentTermDays });

export const changeAccountBody = {
  type: 'object',
  description: 'At least one of the fields; the absent ones keep their value.',
  properties: { credit_limit: money, payment_term_days: paymentTermDays },
  minProperties: 1,
  additionalProperties: false,
} as const;

export const usageBody = exactObject({
  order_id: {
    type: 'string',
    minLength: 1,
    maxLength: 100,
    pattern: '\\S',
    description: 'The order paid with credit; one usage per order in the organization',
  },
  amount: money,
});

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

export const usageSchema = exactObject({
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
});

export const paymentSchema = exactObject({
  payment_id: { type: 'string', description: 'Id (pay_…)' },
  amount: moneyOut,
  reference: { type: ['string', 'null'] },
  credit_available: { ...moneyOut, description: 'Credit available after this payment' },
  created_at: { type: 'string', format: 'date-time' },
});

export const usagePage = page(usageSchema);
export const paymentPage = page(paymentSchema);
