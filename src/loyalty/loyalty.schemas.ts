import { money, page, positivePoints } from '../http/schemas.js';

export const loyaltyAccountSchema = {
  $id: 'LoyaltyAccount',
  type: 'object',
  properties: {
    customer_id: { type: 'string' },
    points_balance: { type: 'integer' },
    lifetime_points: { type: 'integer' },
    tier: { type: 'string' },
    next_tier: { type: ['string', 'null'] },
    points_to_next_tier: { type: ['integer', 'null'] },
  },
  required: ['customer_id', 'points_balance', 'lifetime_points', 'tier', 'next_tier', 'points_to_next_tier'],
} as const;

const reference = { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' } as const;

export const earnBody = {
  type: 'object',
  description: 'Exactly one of `points` and `amount` (converted at the program earn rate, rounded down).',
  properties: {
    points: positivePoints,
    amount: money,
    reference_type: { ...reference, examples: ['purchase'] },
    reference_id: reference,
  },
  required: ['reference_type', 'reference_id'],
  oneOf: [{ required: ['points'] }, { required: ['amount'] }],
  additionalProperties: false,
} as const;

export const earnResponse = {
  type: 'object',
  properties: {
    transaction_id: { type: 'string' },
    points_earned: { type: 'integer' },
    points_balance: { type: 'integer' },
    lifetime_points: { type: 'integer' },
    tier: { type: 'string' },
  },
  required: ['transaction_id', 'points_earned', 'points_balance', 'lifetime_points', 'tier'],
} as const;

export const redeemBody = {
  type: 'object',
  properties: { points: positivePoints, reference_type: reference, reference_id: reference },
  required: ['points'],
  additionalProperties: false,
} as const;

export const redeemResponse = {
  type: 'object',
  properties: {
    transaction_id: { type: 'string' },
    points_redeemed: { type: 'integer' },
    points_balance: { type: 'integer' },
    discount_value: { type: 'number' },
  },
  required: ['transaction_id', 'points_redeemed', 'points_balance', 'discount_value'],
} as const;

export const ledgerEntrySchema = {
  type: 'object',
  properties: {
    transaction_id: { type: 'string' },
    type: {
      type: 'string',
      enum: ['earn', 'redeem', 'forfeiture'],
      description: '`forfeiture`: the points left on the account when its customer was anonymized',
    },
    points: { type: 'integer' },
    points_balance: { type: 'integer', description: 'Balance after this entry' },
    reference_type: { type: ['string', 'null'] },
    reference_id: { type: ['string', 'null'] },
    actor: { type: 'string', description: "The token's sub" },
    created_at: { type: 'string', format: 'date-time' },
  },
  required: [
    'transaction_id',
    'type',
    'points',
    'points_balance',
    'reference_type',
    'reference_id',
    'actor',
    'created_at',
  ],
} as const;

export const ledgerPage = page(ledgerEntrySchema);

const rate = { type: 'integer', minimum: 1, maximum: 1_000_000 } as const;

export const programSchema = {
  type: 'object',
  properties: {
    earn_points_per_currency_unit: { ...rate, description: 'Points earned per 1.00 spent' },
    redeem_points_per_currency_unit: { ...rate, description: 'Points that redeem for 1.00' },
    tiers: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      description: 'By lifetime points: strictly increasing thresholds, the first at 0',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 50, pattern: '^[a-z0-9_-]+$' },
          min_lifetime_points: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
        },
        required: ['name', 'min_lifetime_points'],
        additionalProperties: false,
      },
    },
  },
  required: ['earn_points_per_currency_unit', 'redeem_points_per_currency_unit', 'tiers'],
  additionalProperties: false,
} as const;
