import { paymentSchema, usageSchema } from '../credit/credit.schemas.js';
import { exactObject, moneyOut, orNull } from '../http/schemas.js';
import { ledgerEntrySchema } from '../loyalty/loyalty.schemas.js';

export const anonymizationBody = {
  type: 'object',
  properties: {
    reason: {
      type: 'string',
      maxLength: 200,
      description: "Why (e.g. the request's reference); the officer's note, never the customer's personal data",
    },
  },
  additionalProperties: false,
} as const;

export const refusalSchema = {
  description: 'A credit usage that was refused (credit.limit.exceeded), kept as audit',
  ...exactObject({
    order_id: { type: 'string' },
    attempted_amount: moneyOut,
    credit_available: moneyOut,
    actor: { type: 'string', description: "The token's sub" },
    created_at: { type: 'string', format: 'date-time' },
  }),
} as const;

export const customerExportSchema = {
  description: 'Everything stored about one customer (Law 81 of 2019: access and portability), newest first',
  ...exactObject({
    customer: { $ref: 'Customer#' },
    loyalty: orNull(
      'The loyalty account and its whole ledger; null when the customer has no account',
      exactObject({
        account: { $ref: 'LoyaltyAccount#' },
        transactions: { type: 'array', items: ledgerEntrySchema },
      }),
    ),
    credit: orNull(
      'The credit account, every usage, payment and refused usage; null when the customer has none',
      exactObject({
        account: { $ref: 'CreditAccount#' },
        usages: { type: 'array', items: usageSchema },
        payments: { type: 'array', items: paymentSchema },
        refusals: { type: 'array', items: refusalSchema },
      }),
    ),
    anonymization: orNull(
      'When and why the customer was anonymized; null while it is active',
      exactObject({
        anonymized_at: { type: 'string', format: 'date-time' },
        reason: { type: ['string', 'null'] },
        points_forfeited: { type: 'integer' },
      }),
    ),
    exported_at: { type: 'string', format: 'date-time' },
  }),
} as const;
