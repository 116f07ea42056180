// Generated from asyncapi.yaml by scripts/generate.ts — DO NOT EDIT.

import type { EventEnvelopeMap, EventName } from './events.js';

/**
 * The consumer JSON Schema (draft-07, self-contained) of each event envelope: objects are open, so unknown
 * extra fields are accepted (tolerant reader). The same documents are served at `/schemas/<event name>.json`.
 */
export const eventSchemas: Readonly<Record<EventName, object>> = {
  'customer.created': {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Generated from asyncapi.yaml by scripts/generate.ts (message CustomerCreated; consumer schema: objects are open, a tolerant reader ignores fields it does not know) — DO NOT EDIT.',
    title: 'CustomerCreatedEvent',
    type: 'object',
    description: 'Envelope of the `customer.created` event.',
    required: ['event', 'version', 'timestamp', 'organization_id', 'data'],
    properties: {
      event: {
        type: 'string',
        const: 'customer.created',
        description: 'The event name; also the routing key.',
      },
      version: {
        type: 'string',
        const: '1.0',
        description: 'Version of the envelope and payload format.',
      },
      timestamp: {
        type: 'string',
        format: 'date-time',
        description: 'When the change happened, RFC 3339 in UTC.',
      },
      organization_id: {
        type: 'string',
        description: 'The organization the customer belongs to.',
      },
      data: {
        title: 'CustomerCreatedData',
        type: 'object',
        description: 'The customer that was created. A customer has at least one of `email` and `phone`.',
        required: ['customer_id', 'customer_type', 'email', 'phone', 'loyalty_account_created'],
        properties: {
          customer_id: {
            type: 'string',
            description: 'Id of the customer (prefix `cust_`).',
          },
          customer_type: {
            title: 'CustomerType',
            type: 'string',
            description: '`b2c` for a consumer, `b2b` for a business.',
            enum: ['b2c', 'b2b'],
          },
          email: {
            type: ['string', 'null'],
            description: 'Email address of the customer, or null when it has none.',
          },
          phone: {
            type: ['string', 'null'],
            description: 'Phone number as written by the client (e.g. `+507 6000-0000`), or null when it has none.',
          },
          loyalty_account_created: {
            type: 'boolean',
            description: 'Whether a loyalty account was opened together with the customer.',
          },
        },
      },
    },
  },
  'customer.updated': {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Generated from asyncapi.yaml by scripts/generate.ts (message CustomerUpdated; consumer schema: objects are open, a tolerant reader ignores fields it does not know) — DO NOT EDIT.',
    title: 'CustomerUpdatedEvent',
    type: 'object',
    description: 'Envelope of the `customer.updated` event.',
    required: ['event', 'version', 'timestamp', 'organization_id', 'data'],
    properties: {
      event: {
        type: 'string',
        const: 'customer.updated',
        description: 'The event name; also the routing key.',
      },
      version: {
        type: 'string',
        const: '1.0',
        description: 'Version of the envelope and payload format.',
      },
      timestamp: {
        type: 'string',
        format: 'date-time',
        description: 'When the change happened, RFC 3339 in UTC.',
      },
      organization_id: {
        type: 'string',
        description: 'The organization the customer belongs to.',
      },
      data: {
        title: 'CustomerUpdatedData',
        type: 'object',
        description: 'The customer that changed and what changed.',
        required: ['customer_id', 'changes'],
        properties: {
          customer_id: {
            type: 'string',
            description: 'Id of the customer (prefix `cust_`).',
          },
          changes: {
            title: 'CustomerChanges',
            type: 'object',
            description:
              'Exactly the fields whose value changed, with their new values. `null` means the field was cleared.\nFields that did not change are absent.\n',
            minProperties: 1,
            properties: {
              name: {
                type: 'string',
                description:
                  'The new name of the customer. In a stored event of a customer who was later anonymized (a redelivery or\na replay) it is `Anonymized customer`, and `email`, `phone` and `tax_id` are null.\n',
              },
              email: {
                type: ['string', 'null'],
                description: 'The new email address, or null when it was cleared.',
              },
              phone: {
                type: ['string', 'null'],
                description: 'The new phone number as written by the client, or null when it was cleared.',
              },
              tax_id: {
                type: ['string', 'null'],
                description: 'The new tax id (e.g. a Panama RUC), or null when it was cleared.',
              },
            },
          },
        },
      },
    },
  },
  'customer.anonymized': {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Generated from asyncapi.yaml by scripts/generate.ts (message CustomerAnonymized; consumer schema: objects are open, a tolerant reader ignores fields it does not know) — DO NOT EDIT.',
    title: 'CustomerAnonymizedEvent',
    type: 'object',
    description: 'Envelope of the `customer.anonymized` event.',
    required: ['event', 'version', 'timestamp', 'organization_id', 'data'],
    properties: {
      event: {
        type: 'string',
        const: 'customer.anonymized',
        description: 'The event name; also the routing key.',
      },
      version: {
        type: 'string',
        const: '1.0',
        description: 'Version of the envelope and payload format.',
      },
      timestamp: {
        type: 'string',
        format: 'date-time',
        description: 'When the customer was anonymized, RFC 3339 in UTC.',
      },
      organization_id: {
        type: 'string',
        description: 'The organization the customer belongs to.',
      },
      data: {
        title: 'CustomerAnonymizedData',
        type: 'object',
        description:
          "The customer whose personal data was erased. No personal data: consumers MUST erase the customer's name,\nemail, phone and tax id on their side when they receive this event.\n",
        required: ['customer_id', 'anonymized_at', 'points_forfeited'],
        properties: {
          customer_id: {
            type: 'string',
            description:
              'Id of the customer (prefix `cust_`); it stays, the customer now answers with status `anonymized`.',
          },
          anonymized_at: {
            type: 'string',
            format: 'date-time',
            description: 'When the personal data was erased, RFC 3339 in UTC.',
          },
          points_forfeited: {
            type: 'integer',
            minimum: 0,
            description: 'Loyalty points that were still on the account and were forfeited (0 when none).',
          },
        },
      },
    },
  },
  'loyalty.points.earned': {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Generated from asyncapi.yaml by scripts/generate.ts (message LoyaltyPointsEarned; consumer schema: objects are open, a tolerant reader ignores fields it does not know) — DO NOT EDIT.',
    title: 'LoyaltyPointsEarnedEvent',
    type: 'object',
    description: 'Envelope of the `loyalty.points.earned` event.',
    required: ['event', 'version', 'timestamp', 'organization_id', 'data'],
    properties: {
      event: {
        type: 'string',
        const: 'loyalty.points.earned',
        description: 'The event name; also the routing key.',
      },
      version: {
        type: 'string',
        const: '1.0',
        description: 'Version of the envelope and payload format.',
      },
      timestamp: {
        type: 'string',
        format: 'date-time',
        description: 'When the points were earned, RFC 3339 in UTC.',
      },
      organization_id: {
        type: 'string',
        description: 'The organization the customer belongs to.',
      },
      data: {
        title: 'LoyaltyPointsEarnedData',
        type: 'object',
        description: 'The points earned and the account after the earn.',
        required: [
          'customer_id',
          'transaction_id',
          'points_earned',
          'points_balance',
          'tier',
          'reference_type',
          'reference_id',
        ],
        properties: {
          customer_id: {
            type: 'string',
            description: 'Id of the customer (prefix `cust_`).',
          },
          transaction_id: {
            type: 'string',
            description: 'Id of the loyalty ledger entry (prefix `loy_txn_`).',
          },
          points_earned: {
            type: 'integer',
            minimum: 1,
            description: 'Points credited by this transaction.',
          },
          points_balance: {
            type: 'integer',
            minimum: 0,
            description: 'Points balance after this transaction.',
          },
          tier: {
            type: 'string',
            description:
              "Loyalty tier after this transaction. The default program's tiers are `bronze`, `silver`, `gold` and\n`platinum`; an organization can configure its own tier names, so consumers must accept any string.\n",
          },
          reference_type: {
            type: 'string',
            description: 'What the points were earned for (e.g. `purchase`).',
          },
          reference_id: {
            type: 'string',
            description: 'Id of the referenced business object (e.g. an order id); earns once per type and id.',
          },
        },
      },
    },
  },
  'loyalty.points.redeemed': {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Generated from asyncapi.yaml by scripts/generate.ts (message LoyaltyPointsRedeemed; consumer schema: objects are open, a tolerant reader ignores fields it does not know) — DO NOT EDIT.',
    title: 'LoyaltyPointsRedeemedEvent',
    type: 'object',
    description: 'Envelope of the `loyalty.points.redeemed` event.',
    required: ['event', 'version', 'timestamp', 'organization_id', 'data'],
    properties: {
      event: {
        type: 'string',
        const: 'loyalty.points.redeemed',
        description: 'The event name; also the routing key.',
      },
      version: {
        type: 'string',
        const: '1.0',
        description: 'Version of the envelope and payload format.',
      },
      timestamp: {
        type: 'string',
        format: 'date-time',
        description: 'When the points were redeemed, RFC 3339 in UTC.',
      },
      organization_id: {
        type: 'string',
        description: 'The organization the customer belongs to.',
      },
      data: {
        title: 'LoyaltyPointsRedeemedData',
        type: 'object',
        description: 'The points redeemed and the account after the redemption.',
        required: ['customer_id', 'transaction_id', 'points_redeemed', 'points_balance', 'discount_value'],
        properties: {
          customer_id: {
            type: 'string',
            description: 'Id of the customer (prefix `cust_`).',
          },
          transaction_id: {
            type: 'string',
            description: 'Id of the loyalty ledger entry (prefix `loy_txn_`).',
          },
          points_redeemed: {
            type: 'integer',
            minimum: 1,
            description: 'Points taken from the balance by this transaction.',
          },
          points_balance: {
            type: 'integer',
            minimum: 0,
            description: 'Points balance after this transaction.',
          },
          discount_value: {
            type: 'number',
            minimum: 0,
            description:
              'Money value of the redeemed points, rounded down to cents (a JSON number, at most 2 decimals).',
          },
        },
      },
    },
  },
  'loyalty.tier.upgraded': {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Generated from asyncapi.yaml by scripts/generate.ts (message LoyaltyTierUpgraded; consumer schema: objects are open, a tolerant reader ignores fields it does not know) — DO NOT EDIT.',
    title: 'LoyaltyTierUpgradedEvent',
    type: 'object',
    description: 'Envelope of the `loyalty.tier.upgraded` event.',
    required: ['event', 'version', 'timestamp', 'organization_id', 'data'],
    properties: {
      event: {
        type: 'string',
        const: 'loyalty.tier.upgraded',
        description: 'The event name; also the routing key.',
      },
      version: {
        type: 'string',
        const: '1.0',
        description: 'Version of the envelope and payload format.',
      },
      timestamp: {
        type: 'string',
        format: 'date-time',
        description: 'When the tier rose, RFC 3339 in UTC.',
      },
      organization_id: {
        type: 'string',
        description: 'The organization the customer belongs to.',
      },
      data: {
        title: 'LoyaltyTierUpgradedData',
        type: 'object',
        description: 'The tier before and after the upgrade.',
        required: ['customer_id', 'previous_tier', 'new_tier', 'lifetime_points'],
        properties: {
          customer_id: {
            type: 'string',
            description: 'Id of the customer (prefix `cust_`).',
          },
          previous_tier: {
            type: 'string',
            description:
              'Tier before the upgrade. Default tiers are `bronze`, `silver`, `gold` and `platinum`; an organization can\nconfigure its own tier names, so consumers must accept any string.\n',
          },
          new_tier: {
            type: 'string',
            description:
              'Tier after the upgrade. Default tiers are `bronze`, `silver`, `gold` and `platinum`; an organization can\nconfigure its own tier names, so consumers must accept any string.\n',
          },
          lifetime_points: {
            type: 'integer',
            minimum: 0,
            description: 'Lifetime points of the customer (never reduced by redemptions) that reached the new tier.',
          },
        },
      },
    },
  },
  'loyalty.points.reversed': {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Generated from asyncapi.yaml by scripts/generate.ts (message LoyaltyPointsReversed; consumer schema: objects are open, a tolerant reader ignores fields it does not know) — DO NOT EDIT.',
    title: 'LoyaltyPointsReversedEvent',
    type: 'object',
    description: 'Envelope of the `loyalty.points.reversed` event.',
    required: ['event', 'version', 'timestamp', 'organization_id', 'data'],
    properties: {
      event: {
        type: 'string',
        const: 'loyalty.points.reversed',
        description: 'The event name; also the routing key.',
      },
      version: {
        type: 'string',
        const: '1.0',
        description: 'Version of the envelope and payload format.',
      },
      timestamp: {
        type: 'string',
        format: 'date-time',
        description: 'When the reversal was made, RFC 3339 in UTC.',
      },
      organization_id: {
        type: 'string',
        description: 'The organization the customer belongs to.',
      },
      data: {
        title: 'LoyaltyPointsReversedData',
        type: 'object',
        description: 'The reversal and the account after it.',
        required: [
          'customer_id',
          'transaction_id',
          'reversed_transaction_id',
          'points_reversed',
          'unrecovered_points',
          'points_balance',
          'reason',
        ],
        properties: {
          customer_id: {
            type: 'string',
            description: 'Id of the customer (prefix `cust_`).',
          },
          transaction_id: {
            type: 'string',
            description: "Id of the reversal's ledger entry (prefix `loy_txn_`).",
          },
          reversed_transaction_id: {
            type: 'string',
            description: 'Id of the earn or redemption that was reversed (prefix `loy_txn_`).',
          },
          points_reversed: {
            type: 'integer',
            minimum: 0,
            description: 'Points taken from the balance (earn) or given back to it (redemption).',
          },
          unrecovered_points: {
            type: 'integer',
            minimum: 0,
            description:
              'Points of a reversed earn that could not be taken because they were already spent; 0 for a redemption.',
          },
          points_balance: {
            type: 'integer',
            minimum: 0,
            description: 'Points balance after the reversal.',
          },
          reason: {
            type: ['string', 'null'],
            maxLength: 200,
            description: 'Why the transaction was reversed, as given by the caller, or null.',
          },
        },
      },
    },
  },
  'loyalty.points.expired': {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Generated from asyncapi.yaml by scripts/generate.ts (message LoyaltyPointsExpired; consumer schema: objects are open, a tolerant reader ignores fields it does not know) — DO NOT EDIT.',
    title: 'LoyaltyPointsExpiredEvent',
    type: 'object',
    description: 'Envelope of the `loyalty.points.expired` event.',
    required: ['event', 'version', 'timestamp', 'organization_id', 'data'],
    properties: {
      event: {
        type: 'string',
        const: 'loyalty.points.expired',
        description: 'The event name; also the routing key.',
      },
      version: {
        type: 'string',
        const: '1.0',
        description: 'Version of the envelope and payload format.',
      },
      timestamp: {
        type: 'string',
        format: 'date-time',
        description: 'When the expiry run ran (the service clock), RFC 3339 in UTC.',
      },
      organization_id: {
        type: 'string',
        description: 'The organization the customer belongs to.',
      },
      data: {
        title: 'LoyaltyPointsExpiredData',
        type: 'object',
        description: 'The points that expired and the balance after.',
        required: ['customer_id', 'transaction_id', 'points_expired', 'points_balance'],
        properties: {
          customer_id: {
            type: 'string',
            description: 'Id of the customer (prefix `cust_`).',
          },
          transaction_id: {
            type: 'string',
            description: "Id of the expiry's ledger entry (prefix `loy_txn_`).",
          },
          points_expired: {
            type: 'integer',
            minimum: 1,
            description: 'Points that expired in this run.',
          },
          points_balance: {
            type: 'integer',
            minimum: 0,
            description: 'Points balance after the expiry.',
          },
        },
      },
    },
  },
  'loyalty.points.expiring': {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Generated from asyncapi.yaml by scripts/generate.ts (message LoyaltyPointsExpiring; consumer schema: objects are open, a tolerant reader ignores fields it does not know) — DO NOT EDIT.',
    title: 'LoyaltyPointsExpiringEvent',
    type: 'object',
    description: 'Envelope of the `loyalty.points.expiring` event.',
    required: ['event', 'version', 'timestamp', 'organization_id', 'data'],
    properties: {
      event: {
        type: 'string',
        const: 'loyalty.points.expiring',
        description: 'The event name; also the routing key.',
      },
      version: {
        type: 'string',
        const: '1.0',
        description: 'Version of the envelope and payload format.',
      },
      timestamp: {
        type: 'string',
        format: 'date-time',
        description: 'When the expiry run ran (the service clock), RFC 3339 in UTC.',
      },
      organization_id: {
        type: 'string',
        description: 'The organization the customer belongs to.',
      },
      data: {
        title: 'LoyaltyPointsExpiringData',
        type: 'object',
        description: 'The points that will expire soon and the current balance.',
        required: ['customer_id', 'points_expiring', 'expires_at', 'points_balance'],
        properties: {
          customer_id: {
            type: 'string',
            description: 'Id of the customer (prefix `cust_`).',
          },
          points_expiring: {
            type: 'integer',
            minimum: 1,
            description: 'Points newly within the notice window.',
          },
          expires_at: {
            type: 'string',
            format: 'date-time',
            description: 'The earliest expiry among those points, RFC 3339 in UTC.',
          },
          points_balance: {
            type: 'integer',
            minimum: 0,
            description: 'The current points balance.',
          },
        },
      },
    },
  },
  'credit.approved': {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Generated from asyncapi.yaml by scripts/generate.ts (message CreditApproved; consumer schema: objects are open, a tolerant reader ignores fields it does not know) — DO NOT EDIT.',
    title: 'CreditApprovedEvent',
    type: 'object',
    description: 'Envelope of the `credit.approved` event.',
    required: ['event', 'version', 'timestamp', 'organization_id', 'data'],
    properties: {
      event: {
        type: 'string',
        const: 'credit.approved',
        description: 'The event name; also the routing key.',
      },
      version: {
        type: 'string',
        const: '1.0',
        description: 'Version of the envelope and payload format.',
      },
      timestamp: {
        type: 'string',
        format: 'date-time',
        description: 'When the credit was approved or changed, RFC 3339 in UTC.',
      },
      organization_id: {
        type: 'string',
        description: 'The organization the customer belongs to.',
      },
      data: {
        title: 'CreditApprovedData',
        type: 'object',
        description: 'The credit account and its current terms.',
        required: ['customer_id', 'credit_account_id', 'credit_limit', 'payment_term_days', 'approved_by'],
        properties: {
          customer_id: {
            type: 'string',
            description: 'Id of the customer (prefix `cust_`; usually a `b2b` customer).',
          },
          credit_account_id: {
            type: 'string',
            description: 'Id of the credit account (prefix `credit_`).',
          },
          credit_limit: {
            type: 'number',
            exclusiveMinimum: 0,
            description: 'Approved credit limit (a JSON number, at most 2 decimals; 10000.00 is sent as 10000).',
          },
          payment_term_days: {
            type: 'integer',
            minimum: 0,
            maximum: 365,
            description: 'Days after a usage until its payment is due.',
          },
          approved_by: {
            type: 'string',
            description: "Id of the user (the token's subject) who approved or changed the credit.",
          },
        },
      },
    },
  },
  'credit.used': {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Generated from asyncapi.yaml by scripts/generate.ts (message CreditUsed; consumer schema: objects are open, a tolerant reader ignores fields it does not know) — DO NOT EDIT.',
    title: 'CreditUsedEvent',
    type: 'object',
    description: 'Envelope of the `credit.used` event.',
    required: ['event', 'version', 'timestamp', 'organization_id', 'data'],
    properties: {
      event: {
        type: 'string',
        const: 'credit.used',
        description: 'The event name; also the routing key.',
      },
      version: {
        type: 'string',
        const: '1.0',
        description: 'Version of the envelope and payload format.',
      },
      timestamp: {
        type: 'string',
        format: 'date-time',
        description: 'When the credit was used, RFC 3339 in UTC.',
      },
      organization_id: {
        type: 'string',
        description: 'The organization the customer belongs to.',
      },
      data: {
        title: 'CreditUsedData',
        type: 'object',
        description: 'The usage and the credit left after it.',
        required: ['customer_id', 'usage_id', 'order_id', 'amount', 'credit_available', 'due_date'],
        properties: {
          customer_id: {
            type: 'string',
            description: 'Id of the customer (prefix `cust_`; usually a `b2b` customer).',
          },
          usage_id: {
            type: 'string',
            description: 'Id of the credit usage (prefix `usage_`).',
          },
          order_id: {
            type: 'string',
            description: 'Id of the order paid with credit (one usage per order).',
          },
          amount: {
            type: 'number',
            exclusiveMinimum: 0,
            description: 'Amount charged to the credit (a JSON number, at most 2 decimals).',
          },
          credit_available: {
            type: 'number',
            minimum: 0,
            description: 'Credit available after this usage (a JSON number, at most 2 decimals).',
          },
          due_date: {
            type: 'string',
            format: 'date',
            description: 'Date the usage must be paid by (usage day plus the payment term), `YYYY-MM-DD`.',
          },
        },
      },
    },
  },
  'credit.limit.exceeded': {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Generated from asyncapi.yaml by scripts/generate.ts (message CreditLimitExceeded; consumer schema: objects are open, a tolerant reader ignores fields it does not know) — DO NOT EDIT.',
    title: 'CreditLimitExceededEvent',
    type: 'object',
    description: 'Envelope of the `credit.limit.exceeded` event.',
    required: ['event', 'version', 'timestamp', 'organization_id', 'data'],
    properties: {
      event: {
        type: 'string',
        const: 'credit.limit.exceeded',
        description: 'The event name; also the routing key.',
      },
      version: {
        type: 'string',
        const: '1.0',
        description: 'Version of the envelope and payload format.',
      },
      timestamp: {
        type: 'string',
        format: 'date-time',
        description: 'When the usage was refused, RFC 3339 in UTC.',
      },
      organization_id: {
        type: 'string',
        description: 'The organization the customer belongs to.',
      },
      data: {
        title: 'CreditLimitExceededData',
        type: 'object',
        description: 'The refused amount and how much credit was missing.',
        required: ['customer_id', 'attempted_amount', 'credit_available', 'shortfall'],
        properties: {
          customer_id: {
            type: 'string',
            description: 'Id of the customer (prefix `cust_`; usually a `b2b` customer).',
          },
          attempted_amount: {
            type: 'number',
            exclusiveMinimum: 0,
            description: 'Amount of the refused usage (a JSON number, at most 2 decimals).',
          },
          credit_available: {
            type: 'number',
            minimum: 0,
            description: 'Credit available when the usage was refused (a JSON number, at most 2 decimals).',
          },
          shortfall: {
            type: 'number',
            exclusiveMinimum: 0,
            description: '`attempted_amount` minus `credit_available` (a JSON number, at most 2 decimals).',
          },
        },
      },
    },
  },
  'credit.payment.received': {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Generated from asyncapi.yaml by scripts/generate.ts (message CreditPaymentReceived; consumer schema: objects are open, a tolerant reader ignores fields it does not know) — DO NOT EDIT.',
    title: 'CreditPaymentReceivedEvent',
    type: 'object',
    description: 'Envelope of the `credit.payment.received` event (an addition to the original contract).',
    required: ['event', 'version', 'timestamp', 'organization_id', 'data'],
    properties: {
      event: {
        type: 'string',
        const: 'credit.payment.received',
        description: 'The event name; also the routing key.',
      },
      version: {
        type: 'string',
        const: '1.0',
        description: 'Version of the envelope and payload format.',
      },
      timestamp: {
        type: 'string',
        format: 'date-time',
        description: 'When the payment was recorded, RFC 3339 in UTC.',
      },
      organization_id: {
        type: 'string',
        description: 'The organization the customer belongs to.',
      },
      data: {
        title: 'CreditPaymentReceivedData',
        type: 'object',
        description:
          'The payment and the credit available after it. This event is an addition to the original contract\n(`eventos-publicados.md`).\n',
        required: ['customer_id', 'payment_id', 'amount', 'credit_available', 'reference'],
        properties: {
          customer_id: {
            type: 'string',
            description: 'Id of the customer (prefix `cust_`; usually a `b2b` customer).',
          },
          payment_id: {
            type: 'string',
            description: 'Id of the payment (prefix `pay_`).',
          },
          amount: {
            type: 'number',
            exclusiveMinimum: 0,
            description: 'Amount paid (a JSON number, at most 2 decimals).',
          },
          credit_available: {
            type: 'number',
            minimum: 0,
            description: 'Credit available after the payment (a JSON number, at most 2 decimals).',
          },
          reference: {
            type: ['string', 'null'],
            description: 'Reference given with the payment (e.g. a bank transfer id), or null when none was given.',
          },
        },
      },
    },
  },
  'credit.overdue': {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Generated from asyncapi.yaml by scripts/generate.ts (message CreditOverdue; consumer schema: objects are open, a tolerant reader ignores fields it does not know) — DO NOT EDIT.',
    title: 'CreditOverdueEvent',
    type: 'object',
    description: 'Envelope of the `credit.overdue` event (an addition, the credit lifecycle).',
    required: ['event', 'version', 'timestamp', 'organization_id', 'data'],
    properties: {
      event: {
        type: 'string',
        const: 'credit.overdue',
        description: 'The event name; also the routing key.',
      },
      version: {
        type: 'string',
        const: '1.0',
        description: 'Version of the envelope and payload format.',
      },
      timestamp: {
        type: 'string',
        format: 'date-time',
        description: 'When the overdue run found the usage overdue (the service clock), RFC 3339 in UTC.',
      },
      organization_id: {
        type: 'string',
        description: 'The organization the customer belongs to.',
      },
      data: {
        title: 'CreditOverdueData',
        type: 'object',
        description: 'The overdue usage and what is still unpaid of it.',
        required: [
          'customer_id',
          'credit_account_id',
          'usage_id',
          'order_id',
          'amount_due',
          'due_date',
          'days_overdue',
        ],
        properties: {
          customer_id: {
            type: 'string',
            description: 'Id of the customer (prefix `cust_`; usually a `b2b` customer).',
          },
          credit_account_id: {
            type: 'string',
            description: 'Id of the credit account (prefix `credit_`).',
          },
          usage_id: {
            type: 'string',
            description: 'Id of the overdue usage (prefix `usage_`).',
          },
          order_id: {
            type: 'string',
            description: 'The order the usage paid.',
          },
          amount_due: {
            type: 'number',
            exclusiveMinimum: 0,
            description: 'What is still unpaid of the usage (a JSON number, at most 2 decimals).',
          },
          due_date: {
            type: 'string',
            format: 'date',
            description: "The usage's due date (`YYYY-MM-DD`, UTC).",
          },
          days_overdue: {
            type: 'integer',
            minimum: 1,
            description: 'Days from `due_date` to the date of the run that found it overdue.',
          },
        },
      },
    },
  },
  'credit.hold.placed': {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Generated from asyncapi.yaml by scripts/generate.ts (message CreditHoldPlaced; consumer schema: objects are open, a tolerant reader ignores fields it does not know) — DO NOT EDIT.',
    title: 'CreditHoldPlacedEvent',
    type: 'object',
    description: 'Envelope of the `credit.hold.placed` event (an addition, the credit lifecycle).',
    required: ['event', 'version', 'timestamp', 'organization_id', 'data'],
    properties: {
      event: {
        type: 'string',
        const: 'credit.hold.placed',
        description: 'The event name; also the routing key.',
      },
      version: {
        type: 'string',
        const: '1.0',
        description: 'Version of the envelope and payload format.',
      },
      timestamp: {
        type: 'string',
        format: 'date-time',
        description: 'When the hold was placed (the service clock), RFC 3339 in UTC.',
      },
      organization_id: {
        type: 'string',
        description: 'The organization the customer belongs to.',
      },
      data: {
        title: 'CreditHoldPlacedData',
        type: 'object',
        description: 'The held account, why, and what it owes.',
        required: ['customer_id', 'credit_account_id', 'reason', 'note', 'outstanding'],
        properties: {
          customer_id: {
            type: 'string',
            description: 'Id of the customer (prefix `cust_`; usually a `b2b` customer).',
          },
          credit_account_id: {
            type: 'string',
            description: 'Id of the credit account (prefix `credit_`).',
          },
          reason: {
            title: 'CreditHoldReason',
            type: 'string',
            description:
              'Why the account is on hold: `overdue` when the overdue run placed the hold (it lifts by itself when paid), `manual` when a credit manager placed it (lifted only by hand).',
            enum: ['overdue', 'manual'],
          },
          note: {
            type: ['string', 'null'],
            description:
              "The credit manager's note of a manual hold; null when none was given or the hold is for overdue.",
          },
          outstanding: {
            type: 'number',
            minimum: 0,
            description: 'Amount outstanding when the hold was placed (a JSON number, at most 2 decimals).',
          },
        },
      },
    },
  },
  'credit.hold.released': {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Generated from asyncapi.yaml by scripts/generate.ts (message CreditHoldReleased; consumer schema: objects are open, a tolerant reader ignores fields it does not know) — DO NOT EDIT.',
    title: 'CreditHoldReleasedEvent',
    type: 'object',
    description: 'Envelope of the `credit.hold.released` event (an addition, the credit lifecycle).',
    required: ['event', 'version', 'timestamp', 'organization_id', 'data'],
    properties: {
      event: {
        type: 'string',
        const: 'credit.hold.released',
        description: 'The event name; also the routing key.',
      },
      version: {
        type: 'string',
        const: '1.0',
        description: 'Version of the envelope and payload format.',
      },
      timestamp: {
        type: 'string',
        format: 'date-time',
        description: 'When the hold was lifted (the service clock), RFC 3339 in UTC.',
      },
      organization_id: {
        type: 'string',
        description: 'The organization the customer belongs to.',
      },
      data: {
        title: 'CreditHoldReleasedData',
        type: 'object',
        description: 'The account whose hold was lifted and the credit available again.',
        required: ['customer_id', 'credit_account_id', 'credit_available'],
        properties: {
          customer_id: {
            type: 'string',
            description: 'Id of the customer (prefix `cust_`; usually a `b2b` customer).',
          },
          credit_account_id: {
            type: 'string',
            description: 'Id of the credit account (prefix `credit_`).',
          },
          credit_available: {
            type: 'number',
            minimum: 0,
            description: 'Credit available after the release (a JSON number, at most 2 decimals).',
          },
        },
      },
    },
  },
  'credit.usage.cancelled': {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Generated from asyncapi.yaml by scripts/generate.ts (message CreditUsageCancelled; consumer schema: objects are open, a tolerant reader ignores fields it does not know) — DO NOT EDIT.',
    title: 'CreditUsageCancelledEvent',
    type: 'object',
    description: 'Envelope of the `credit.usage.cancelled` event.',
    required: ['event', 'version', 'timestamp', 'organization_id', 'data'],
    properties: {
      event: {
        type: 'string',
        const: 'credit.usage.cancelled',
        description: 'The event name; also the routing key.',
      },
      version: {
        type: 'string',
        const: '1.0',
        description: 'Version of the envelope and payload format.',
      },
      timestamp: {
        type: 'string',
        format: 'date-time',
        description: 'When the usage was cancelled, RFC 3339 in UTC.',
      },
      organization_id: {
        type: 'string',
        description: 'The organization the customer belongs to.',
      },
      data: {
        title: 'CreditUsageCancelledData',
        type: 'object',
        description: 'The cancelled usage and the credit available after it.',
        required: ['customer_id', 'credit_account_id', 'usage_id', 'order_id', 'amount', 'credit_available'],
        properties: {
          customer_id: {
            type: 'string',
            description: 'Id of the customer (prefix `cust_`; usually a `b2b` customer).',
          },
          credit_account_id: {
            type: 'string',
            description: 'Id of the credit account (prefix `credit_`).',
          },
          usage_id: {
            type: 'string',
            description: 'Id of the cancelled credit usage (prefix `usage_`).',
          },
          order_id: {
            type: 'string',
            description: 'Id of the order the usage paid (one usage per order).',
          },
          amount: {
            type: 'number',
            exclusiveMinimum: 0,
            description: 'Amount of the usage, returned to the available credit (a JSON number, at most 2 decimals).',
          },
          credit_available: {
            type: 'number',
            minimum: 0,
            description: 'Credit available after the cancellation (a JSON number, at most 2 decimals).',
          },
        },
      },
    },
  },
};

/** The contract's example envelopes of each event, for your own unit tests. */
export const examples: { readonly [N in EventName]: readonly EventEnvelopeMap[N][] } = {
  'customer.created': [
    {
      event: 'customer.created',
      version: '1.0',
      timestamp: '2025-11-24T10:00:00Z',
      organization_id: 'org_001',
      data: {
        customer_id: 'cust_123',
        customer_type: 'b2c',
        email: 'juan@example.com',
        phone: '+507 6000-0000',
        loyalty_account_created: true,
      },
    },
  ],
  'customer.updated': [
    {
      event: 'customer.updated',
      version: '1.0',
      timestamp: '2025-11-24T11:00:00Z',
      organization_id: 'org_001',
      data: {
        customer_id: 'cust_123',
        changes: {
          email: 'new.email@example.com',
          phone: '+507 6111-1111',
        },
      },
    },
  ],
  'customer.anonymized': [
    {
      event: 'customer.anonymized',
      version: '1.0',
      timestamp: '2025-12-01T09:30:00Z',
      organization_id: 'org_001',
      data: {
        customer_id: 'cust_123',
        anonymized_at: '2025-12-01T09:30:00Z',
        points_forfeited: 250,
      },
    },
  ],
  'loyalty.points.earned': [
    {
      event: 'loyalty.points.earned',
      version: '1.0',
      timestamp: '2025-11-24T12:00:00Z',
      organization_id: 'org_001',
      data: {
        customer_id: 'cust_123',
        transaction_id: 'loy_txn_001',
        points_earned: 100,
        points_balance: 550,
        tier: 'silver',
        reference_type: 'purchase',
        reference_id: 'order_789',
      },
    },
  ],
  'loyalty.points.redeemed': [
    {
      event: 'loyalty.points.redeemed',
      version: '1.0',
      timestamp: '2025-11-24T13:00:00Z',
      organization_id: 'org_001',
      data: {
        customer_id: 'cust_123',
        transaction_id: 'loy_txn_002',
        points_redeemed: 100,
        points_balance: 450,
        discount_value: 1,
      },
    },
  ],
  'loyalty.tier.upgraded': [
    {
      event: 'loyalty.tier.upgraded',
      version: '1.0',
      timestamp: '2025-11-24T14:00:00Z',
      organization_id: 'org_001',
      data: {
        customer_id: 'cust_123',
        previous_tier: 'silver',
        new_tier: 'gold',
        lifetime_points: 1000,
      },
    },
  ],
  'loyalty.points.reversed': [
    {
      event: 'loyalty.points.reversed',
      version: '1.0',
      timestamp: '2025-11-25T09:30:00Z',
      organization_id: 'org_001',
      data: {
        customer_id: 'cust_123',
        transaction_id: 'loy_txn_003',
        reversed_transaction_id: 'loy_txn_001',
        points_reversed: 40,
        unrecovered_points: 60,
        points_balance: 0,
        reason: 'order refunded',
      },
    },
  ],
  'loyalty.points.expired': [
    {
      event: 'loyalty.points.expired',
      version: '1.0',
      timestamp: '2026-11-24T10:00:00Z',
      organization_id: 'org_001',
      data: {
        customer_id: 'cust_123',
        transaction_id: 'loy_txn_004',
        points_expired: 120,
        points_balance: 330,
      },
    },
  ],
  'loyalty.points.expiring': [
    {
      event: 'loyalty.points.expiring',
      version: '1.0',
      timestamp: '2026-10-25T10:00:00Z',
      organization_id: 'org_001',
      data: {
        customer_id: 'cust_123',
        points_expiring: 120,
        expires_at: '2026-11-24T10:00:00Z',
        points_balance: 450,
      },
    },
  ],
  'credit.approved': [
    {
      event: 'credit.approved',
      version: '1.0',
      timestamp: '2025-11-24T11:00:00Z',
      organization_id: 'org_001',
      data: {
        customer_id: 'cust_456',
        credit_account_id: 'credit_001',
        credit_limit: 10000,
        payment_term_days: 30,
        approved_by: 'user_manager',
      },
    },
  ],
  'credit.used': [
    {
      event: 'credit.used',
      version: '1.0',
      timestamp: '2025-11-24T15:00:00Z',
      organization_id: 'org_001',
      data: {
        customer_id: 'cust_456',
        usage_id: 'usage_001',
        order_id: 'order_789',
        amount: 5000,
        credit_available: 5000,
        due_date: '2025-12-24',
      },
    },
  ],
  'credit.limit.exceeded': [
    {
      event: 'credit.limit.exceeded',
      version: '1.0',
      timestamp: '2025-11-24T16:00:00Z',
      organization_id: 'org_001',
      data: {
        customer_id: 'cust_456',
        attempted_amount: 6000,
        credit_available: 5000,
        shortfall: 1000,
      },
    },
  ],
  'credit.payment.received': [
    {
      event: 'credit.payment.received',
      version: '1.0',
      timestamp: '2025-11-25T09:30:00Z',
      organization_id: 'org_001',
      data: {
        customer_id: 'cust_456',
        payment_id: 'pay_001',
        amount: 2500,
        credit_available: 7500,
        reference: 'TRF-20251125-0042',
      },
    },
    {
      event: 'credit.payment.received',
      version: '1.0',
      timestamp: '2025-11-26T14:15:00Z',
      organization_id: 'org_001',
      data: {
        customer_id: 'cust_456',
        payment_id: 'pay_002',
        amount: 500,
        credit_available: 8000,
        reference: null,
      },
    },
  ],
  'credit.overdue': [
    {
      event: 'credit.overdue',
      version: '1.0',
      timestamp: '2025-12-27T02:00:00Z',
      organization_id: 'org_001',
      data: {
        customer_id: 'cust_456',
        credit_account_id: 'credit_001',
        usage_id: 'usage_001',
        order_id: 'order_789',
        amount_due: 2000,
        due_date: '2025-12-24',
        days_overdue: 3,
      },
    },
  ],
  'credit.hold.placed': [
    {
      event: 'credit.hold.placed',
      version: '1.0',
      timestamp: '2025-12-27T02:00:00Z',
      organization_id: 'org_001',
      data: {
        customer_id: 'cust_456',
        credit_account_id: 'credit_001',
        reason: 'overdue',
        note: null,
        outstanding: 2000,
      },
    },
    {
      event: 'credit.hold.placed',
      version: '1.0',
      timestamp: '2025-12-02T15:45:00Z',
      organization_id: 'org_001',
      data: {
        customer_id: 'cust_456',
        credit_account_id: 'credit_001',
        reason: 'manual',
        note: 'Returned cheque, pending review',
        outstanding: 5000,
      },
    },
  ],
  'credit.hold.released': [
    {
      event: 'credit.hold.released',
      version: '1.0',
      timestamp: '2025-12-29T10:05:00Z',
      organization_id: 'org_001',
      data: {
        customer_id: 'cust_456',
        credit_account_id: 'credit_001',
        credit_available: 10000,
      },
    },
  ],
  'credit.usage.cancelled': [
    {
      event: 'credit.usage.cancelled',
      version: '1.0',
      timestamp: '2025-11-24T17:00:00Z',
      organization_id: 'org_001',
      data: {
        customer_id: 'cust_456',
        credit_account_id: 'credit_001',
        usage_id: 'usage_001',
        order_id: 'order_789',
        amount: 5000,
        credit_available: 10000,
      },
    },
  ],
};
