import { customerItemParams, exactObject, heldPoints, money, orNull, page, positivePoints } from '../http/schemas.js';
import type { FromSchema } from '../shared/schema-types.js';

export const loyaltyAccountSchema = {
  $id: 'LoyaltyAccount',
  type: 'object',
  properties: {
    customer_id: { type: 'string' },
    points_balance: heldPoints,
    lifetime_points: heldPoints,
    tier: { type: 'string' },
    next_tier: { type: ['string', 'null'] },
    points_to_next_tier: { type: ['integer', 'null'] },
    next_expiry: orNull(
      'The earliest points to expire (null: none will)',
      exactObject({
        points: { type: 'integer', description: 'Points that expire at `expires_at`' },
        expires_at: { type: 'string', format: 'date-time' },
      }),
    ),
  },
  required: [
    'customer_id',
    'points_balance',
    'lifetime_points',
    'tier',
    'next_tier',
    'points_to_next_tier',
    'next_expiry',
  ],
  additionalProperties: false,
} as const;

const reference = { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' } as const;

export const earnBody = {
  type: 'object',
  description:
    'Exactly one of `points` and `amount` (converted at the program earn rate, rounded down). One earn credits at ' +
    'most 1,000,000,000 points, and the balance and lifetime total stay at most 1,000,000,000,000: past either, ' +
    '422 `points-limit-exceeded` naming the field.',
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

export const earnResponse = exactObject({
  transaction_id: { type: 'string' },
  points_earned: { ...positivePoints, description: 'At most 1,000,000,000 (one earn)' },
  points_balance: heldPoints,
  lifetime_points: heldPoints,
  tier: { type: 'string' },
});

export const redeemBody = {
  type: 'object',
  properties: { points: positivePoints, reference_type: reference, reference_id: reference },
  required: ['points'],
  additionalProperties: false,
} as const;

export const redeemResponse = exactObject({
  transaction_id: { type: 'string' },
  points_redeemed: { type: 'integer' },
  points_balance: heldPoints,
  discount_value: { type: 'number' },
});

export const ledgerEntrySchema = exactObject({
  transaction_id: { type: 'string' },
  type: {
    type: 'string',
    enum: ['earn', 'redeem', 'reversal', 'expiry', 'forfeiture'],
    description: '`forfeiture`: the points left on the account when its customer was anonymized',
  },
  points: {
    ...heldPoints,
    description: 'For a reversal: the points reversed (taken plus unrecovered); an expiry or forfeiture: the total',
  },
  points_balance: { ...heldPoints, description: 'Balance after this entry' },
  reference_type: { type: ['string', 'null'] },
  reference_id: { type: ['string', 'null'] },
  reversed_transaction_id: { type: ['string', 'null'], description: 'The entry a reversal reverses; else null' },
  actor: { type: 'string', description: "The token's sub (expiry runs by the scheduler: `system`)" },
  created_at: { type: 'string', format: 'date-time' },
});

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
      items: exactObject({
        name: { type: 'string', minLength: 1, maxLength: 50, pattern: '^[a-z0-9_-]+$' },
        min_lifetime_points: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
      }),
    },
    points_validity_days: {
      type: ['integer', 'null'],
      minimum: 1,
      maximum: 3650,
      default: null,
      description: 'Days the points of an earn stay valid (null: they never expire); applies to later earns',
    },
    expiry_notice_days: {
      type: 'integer',
      minimum: 0,
      maximum: 365,
      default: 30,
      description: 'Days before expiry the customer is told (loyalty.points.expiring); 0: never',
    },
  },
  required: ['earn_points_per_currency_unit', 'redeem_points_per_currency_unit', 'tiers'],
  additionalProperties: false,
} as const;

/** The program as answered: every field present. */
export const programResponse = {
  ...programSchema,
  required: [...programSchema.required, 'points_validity_days', 'expiry_notice_days'],
} as const;

/** The program as stored and answered: every field present (the body's defaults applied). */
export type LoyaltyProgram = FromSchema<typeof programResponse>;

export const reversalParams = customerItemParams('transaction_id', 'loy_txn_');

export const reversalBody = {
  type: ['object', 'null'],
  description:
    'Empty (or no body): reverse all that is still reversible. Points given back by reversing a redemption keep ' +
    'the balance at most 1,000,000,000,000 (else 422 `points-limit-exceeded`).',
  properties: {
    points: { ...positivePoints, description: 'Points to reverse (default: all that is still reversible)' },
    reason: { type: 'string', maxLength: 200, examples: ['order refunded'] },
  },
  additionalProperties: false,
} as const;

export const reversalResponse = exactObject({
  transaction_id: { type: 'string', description: 'The reversal entry (prefix `loy_txn_`)' },
  reversed_transaction_id: { type: 'string' },
  points_reversed: { type: 'integer', description: 'Points taken from (earn) or given back to (redeem) the balance' },
  unrecovered_points: { type: 'integer', description: 'Points of an earn that were already spent' },
  points_balance: heldPoints,
  lifetime_points: heldPoints,
});

export const expiryRunResponse = exactObject({
  as_of: { type: 'string', format: 'date-time', description: "The service clock's now for this run" },
  points_expired: { type: 'integer' },
  customers_affected: { type: 'integer', description: 'Customers whose points expired' },
  notices_sent: { type: 'integer', description: 'loyalty.points.expiring events stored' },
});
