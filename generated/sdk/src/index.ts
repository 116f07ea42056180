// Generated from asyncapi.yaml by scripts/generate.ts — DO NOT EDIT.

export {
  ATTEMPTS_HEADER,
  type Consumer,
  type ConsumerOptions,
  createConsumer,
  ERROR_HEADER,
  type EventHandler,
  type EventHandlers,
  type MessageMeta,
  retryQueueName,
} from './consumer.js';
export { type DedupeStore, memoryDedupe } from './dedupe.js';
export {
  EVENT_NAMES,
  EXCHANGE,
  EXCHANGE_TYPE,
  type EventEnvelope,
  type EventEnvelopeMap,
  type EventName,
  isEventName,
} from './events.js';
export type * from './models.js';
export { eventSchemas, examples } from './schemas.js';
export { type FieldError, type ValidationResult, validateEvent } from './validate.js';
