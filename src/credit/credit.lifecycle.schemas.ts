import { exactObject, moneyOut, page, pageQuery } from '../http/schemas.js';

export const holdBody = {
  type: ['object', 'null'],
  properties: {
    note: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S', description: 'Why the account is held' },
  },
  additionalProperties: false,
} as const;

export const overdueRunResponse = exactObject({
  as_of: { type: 'string', format: 'date', description: "The service clock's UTC date the run judged by" },
  usages_overdue: { type: 'integer', minimum: 0, description: 'Usages this run newly announced overdue' },
  accounts_held: { type: 'integer', minimum: 0, description: 'Accounts this run put on hold' },
});

const date = { type: 'string', format: 'date', description: 'YYYY-MM-DD (UTC)' } as const;

export const statementQuerystring = exactObject({
  from: date,
  to: { ...date, description: 'YYYY-MM-DD (UTC), not before `from`' },
});

export const statementSchema = exactObject({
  from: date,
  to: date,
  opening_balance: { ...moneyOut, description: 'Outstanding at the start of `from`' },
  closing_balance: { ...moneyOut, description: 'Outstanding at the end of `to`' },
  lines: {
    type: 'array',
    items: exactObject({
      date,
      type: { type: 'string', enum: ['usage', 'payment'] },
      id: { type: 'string', description: 'The usage_… or pay_… id' },
      reference: { type: ['string', 'null'], description: "A usage's order id, or a payment's reference" },
      amount: { ...moneyOut, description: 'Positive' },
      balance: { ...moneyOut, description: 'Outstanding after this line' },
    }),
  },
});

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
const agingPage = page(
  exactObject({ customer_id: { type: 'string' }, credit_account_id: { type: 'string' }, ...buckets }),
);

export const agingSchema = exactObject({ as_of: date, ...agingPage.properties, totals: exactObject(buckets) });
