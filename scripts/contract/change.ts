// The vocabulary of the contract check: severities, rule ids and the change record every step emits.

/**
 * breaking: a consumer written against the base contract can receive something it was promised it would not.
 * additive: the contract grew (new event, field, example); consumers that ignore unknown fields are unaffected.
 * info: anything else worth seeing in review (narrowing, tightening, documentation edits).
 */
export type Severity = 'breaking' | 'additive' | 'info';

export type SchemaRule =
  | 'field-removed'
  | 'field-added'
  | 'field-made-optional'
  | 'field-made-required'
  | 'made-nullable'
  | 'made-non-nullable'
  | 'type-changed'
  | 'type-narrowed'
  | 'format-changed'
  | 'format-added'
  | 'enum-widened'
  | 'enum-narrowed'
  | 'const-changed'
  | 'values-restricted'
  | 'constraint-loosened'
  | 'constraint-tightened'
  | 'additional-properties-opened'
  | 'additional-properties-closed'
  | 'variant-added'
  | 'variant-removed'
  | 'deprecated'
  | 'docs-changed'
  | 'unclassified';

export interface SchemaChange {
  severity: Severity;
  rule: SchemaRule;
  /** Where in the message: `data.tier`, `data.tags[]`, `data.meta.*`, `headers.message_id`; `''` is the root. */
  path: string;
  text: string;
}

export type Rule =
  | SchemaRule
  | 'event-removed'
  | 'event-added'
  | 'event-unpublished'
  | 'channel-removed'
  | 'channel-added'
  | 'routing-key-changed'
  | 'exchange-changed'
  | 'binding-changed'
  | 'operation-removed'
  | 'operation-added'
  | 'operation-changed'
  | 'message-removed'
  | 'message-added'
  | 'message-changed'
  | 'example-added'
  | 'example-removed'
  | 'example-changed';

/** One difference between the released contract and the working spec. */
export interface Change {
  severity: Severity;
  rule: Rule;
  /** The event's name, i.e. its routing key (channel address); `''` for document-level changes. */
  event: string;
  /** Which part of the contract the path points into. */
  part: 'document' | 'channel' | 'operation' | 'message' | 'payload' | 'headers';
  /** JSON path of the field (`data.tier`, `headers.message_id`) or spec location (`bindings.amqp.exchange.name`). */
  path: string;
  /** Set when the event's channel carries more than one message. */
  messageId?: string;
  text: string;
}

export type AddChange = (change: Change) => void;
