import { customerItemParams } from '../http/schemas.js';

export const usageCancellationParams = customerItemParams('usage_id', 'usage_');

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
