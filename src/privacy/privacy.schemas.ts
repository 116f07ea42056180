import { paymentSchema, usageSchema } from '../credit/credit.schemas.js';
import { moneyOut } from '../http/schemas.js';
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
  type: 'object',
  description: 'A credit usage that was refused (credit.limit.exceeded), kept as audit',
  properties: {
    order_id: { type: 'string' },
    attempted_amount: moneyOut,
    credit_available: moneyOut,
    actor: { type: 'string', description: "The token's sub" },
    created_at: { type: 'string', format: 'date-time' },
  },
  required: ['order_id', 'attempted_amount', 'credit_available', 'actor', 'created_at'],
  additionalProperties: false,
} as const;

export const customerExportSchema = {
  type: 'object',
  description: 'Everything stored about one customer (Law 81 of 2019: access and portability), newest first',
  properties: {
    customer: { $ref: 'Customer#' },
    loyalty: {
      description: 'The loyalty account and its whole ledger; null when the customer has no account',
      anyOf: [
        {
          type: 'object',
          properties: {
            account: { $ref: 'LoyaltyAccount#' },
            transactions: { type: 'array', items: ledgerEntrySchema },
          },
          required: ['account', 'transactions'],
          additionalProperties: false,
        },
        { type: 'null' },
      ],
    },
    credit: {
      description: 'The credit account, every usage, payment and refused usage; null when the customer has none',
      anyOf: [
        {
          type: 'object',
          properties: {
            account: { $ref: 'CreditAccount#' },
            usages: { type: 'array', items: usageSchema },
            payments: { type: 'array', items: paymentSchema },
            refusals: { type: 'array', items: refusalSchema },
          },
          required: ['account', 'usages', 'payments', 'refusals'],
          additionalProperties: false,
        },
        { type: 'null' },
      ],
    },
    anonymization: {
      description: 'When and why the customer was anonymized; null while it is active',
      anyOf: [
        {
          type: 'object',
          properties: {
            anonymized_at: { type: 'string', format: 'date-time' },
            reason: { type: ['string', 'null'] },
            points_forfeited: { type: 'integer' },
          },
          required: ['anonymized_at', 'reason', 'points_forfeited'],
          additionalProperties: false,
        },
        { type: 'null' },
      ],
    },
    exported_at: { type: 'string', format: 'date-time' },
  },
  required: ['customer', 'loyalty', 'credit', 'anonymization', 'exported_at'],
  additionalProperties: false,
} as const;
