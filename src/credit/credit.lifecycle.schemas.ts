import { moneyOut, page, pageQuery } from '../http/schemas.js';

export const holdBody = {
  type: ['object', 'null'],
  properties: {
    note: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S', description: 'Why the account is held' },
  },
  additionalProperties: false,
} as const;

export const overdueRunResponse = {
  type: 'object',
  properties: {
    as_of: { type: 'string', format: 'date', description: "The service clock's UTC date the run judged by" },
    usages_overdue: { type: 'integer', minimum: 0, description: 'Usages this run newly announced overdue' },
    accounts_held: { type: 'integer', minimum: 0, description: 'Accounts this run put on hold' },
  },
  required: ['as_of', 'usages_overdue', 'accounts_held'],
  additionalProperties: false,
} as const;

const date = { type: 'string', format: 'date', description: 'YYYY-MM-DD (UTC)' } as const;

export const statementQuerystring = {
  type: 'object',
  properties: { from: date, to: { ...date, description: 'YYYY-MM-DD (UTC), not before `from`' } },
  required: ['from', 'to'],
  additionalProperties: false,
} as const;

export const statementSchema = {
  type: 'object',
  properties: {
    from: date,
    to: date,
    opening_balance: { ...moneyOut, description: 'Outstanding at the start of `from`' },
    closing_balance: { ...moneyOut, description: 'Outstanding at the end of `to`' },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          date,
          type: { type: 'string', enum: ['usage', 'payment'] },
          id: { type: 'string', description: 'The usage_… or pay_… id' },
          reference: { type: ['string', 'null'], description: "A usage's order id, or a payment's reference" },
          amount: { ...moneyOut, description: 'Positive' },
          balance: { ...moneyOut, description: 'Outstanding after this line' },
        },
        required: ['date', 'type', 'id', 'reference', 'amount', 'balance'],
        additionalProperties: false,
      },
    },
  },
  required: ['from', 'to', 'opening_balance', 'closing_balance', 'lines'],
  additionalProperties: false,
} as const;

export const agingQuerystring = {
  type: 'object',
  properties: {
    as_of: { ...date, description: 'YYYY-MM-DD (UTC); default: today by the service clock' },
    ...pageQuery,
  },
  additionalProperties: false,
} as const;

const buckets = {
  outstanding: { ...moneyOut, description: 'Unpaid as of the date: the sum of the five buckets' },
  current: { ...moneyOut, description: 'Not yet past due (`due_date` ≥ `as_of`)' },
  days_1_30: { ...moneyOut, description: '1–30 days past due' },
  days_31_60: { ...moneyOut, description: '31–60 days past due' },
  days_61_90: { ...moneyOut, description: '61–90 days past due' },
  days_over_90: { ...moneyOut, description: 'More than 90 days past due' },
} as const;
const bucketNames = ['outstanding', 'current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_over_90'] as const;

const agingItem = {
  type: 'object',
  properties: { customer_id: { type: 'string' }, credit_account_id: { type: 'string' }, ...buckets },
  required: ['customer_id', 'credit_account_id', ...bucketNames],
  additionalProperties: false,
} as const;

const agingPage = page(agingItem);

export const agingSchema = {
  type: 'object',
  properties: {
    as_of: date,
    ...agingPage.properties,
    totals: { type: 'object', properties: buckets, required: bucketNames, additionalProperties: false },
  },
  required: ['as_of', ...agingPage.required, 'totals'],
  additionalProperties: false,
} as const;
