// Generated from asyncapi.yaml by scripts/generate.ts — DO NOT EDIT.

/** Exchange every event is published to (the AMQP binding of the channels). */
export const EXCHANGE = 'customer_events' as const;

/** Type of {@link EXCHANGE}. */
export const EXCHANGE_TYPE = 'topic' as const;

/** AMQP `appId` property of every message. */
export const APP_ID = 'customer-service' as const;

/** Per-message AMQP properties chosen by the caller. */
export interface PublishOptions {
  /** Unique id of the event, stable across retries: consumers de-duplicate on it. */
  messageId: string;
  /** Id of the HTTP request that caused the event. */
  correlationId?: string;
  /** When the event is published; sent as whole seconds since the Unix epoch. */
  timestamp: Date;
}
