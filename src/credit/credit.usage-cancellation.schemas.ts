export const usageCancellationParams = {
  type: 'object',
  properties: {
    customer_id: { type: 'string', minLength: 1, maxLength: 64, description: 'Id (cust_…)' },
    usage_id: { type: 'string', minLength: 1, maxLength: 64, description: 'Id (usage_…)' },
  },
  required: ['customer_id', 'usage_id'],
  additionalProperties: false,
} as const;

export const usageCancellationBody = {
  type: ['object', 'null'],
  description: 'Empty (or no body): the reason stored is `cancelled by a credit manager`.',
  properties: {
    reason: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      pattern: '\\S',
      description: 'Why the usage is cancelled (kept with it)',
      examples: ['order cancelled by phone'],
    },
  },
  additionalProperties: false,
} as const;
