// Generated from asyncapi.yaml by scripts/generate.ts — DO NOT EDIT.

export { APP_ID, EXCHANGE, EXCHANGE_TYPE } from '../topology.js';

/** Per-message AMQP properties chosen by the caller (`x-amqp-properties` and bindings of the document). */
export interface PublishOptions {
  /** Unique id of the event, stable across redeliveries; use it to de-duplicate. */
  messageId: string;
  /** Id of the HTTP request that caused the event. */
  correlationId?: string;
  /** Application headers given per message (no `x-value` in the document): `traceparent`, `tracestate`; each is sent when given. */
  headers?: { readonly traceparent?: string; readonly tracestate?: string };
  /** When the event is published; sent as whole seconds since the Unix epoch. */
  timestamp: Date;
  /**
   * The envelope as JSON bytes, when the caller has them already (an outbox stores events serialized): sent
   * as they are, so they must be exactly the envelope given. Absent, the envelope is serialized here.
   */
  body?: Buffer;
}
