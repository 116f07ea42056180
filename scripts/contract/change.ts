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
  | 'required-field-added'
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
  /**
   * Whether the head schema refuses some value the base schema admitted, where the rule alone does not say
   * (`type-changed` integer → number does not, string → integer does). Unset: as {@link refusesAdmittedValues}
   * says for the rule.
   */
  refuses?: boolean;
}

export type Rule =
  | SchemaRule
  | 'event-removed'
  | 'event-added'
  | 'event-unpublished'
  | 'channel-removed'
  | 'channel-added'
  | 'channel-renamed'
  | 'operation-renamed'
  | 'amqp-property-removed'
  | 'amqp-property-changed'
  | 'amqp-property-added'
  | 'server-removed'
  | 'server-changed'
  | 'server-added'
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
  /** The released version the change is judged against (set by the gate). */
  against?: string;
  /** Who it breaks (set by the gate): see {@link directionOf}. */
  direction?: Direction;
  /** Set when the event's channel carries more than one message. */
  messageId?: string;
  /**
   * `received`: the change is to an event the service consumes (a channel only `receive` operations use), judged
   * from the producer's side (see {@link directionOf}). Unset: an event the service publishes.
   */
  side?: 'received';
  /** See {@link SchemaChange.refuses}. */
  refuses?: boolean;
  text: string;
}

export type AddChange = (change: Change) => void;

/**
 * forward: consumers built on the released version read the new events (the new schema admits a value the old
 * one did not, or the wire changed). backward: consumers built on the new version read old events (backlogs,
 * dead-letter queues, replays): the new schema refuses a value the old one admitted. both: the wire or a type.
 * producers: a consumed event's schema now refuses a message its producer may already send (breaks in every mode).
 */
export type Direction = 'forward' | 'backward' | 'both' | 'producers' | 'none';
export type Mode = 'full' | 'forward' | 'backward';
export const MODES: readonly Mode[] = ['full', 'forward', 'backward'];

const BACKWARD_RULES = new Set<Rule>([
  'type-narrowed',
  'enum-narrowed',
  'constraint-tightened',
  'made-non-nullable',
  'field-made-required',
  'additional-properties-closed',
  'values-restricted',
  'format-added',
  'variant-removed',
  'required-field-added',
]);
const BOTH_RULES = new Set<Rule>([
  'type-changed',
  'format-changed',
  'const-changed',
  'routing-key-changed',
  'exchange-changed',
  'binding-changed',
  'message-changed',
  'amqp-property-removed',
  'amqp-property-changed',
  'server-removed',
  'server-changed',
  'event-removed',
  'event-unpublished',
  'channel-removed',
  'message-removed',
  'operation-removed',
  'operation-changed',
  'unclassified',
]);

/** Schema rules whose change refuses some value the base schema admitted, unless the change says otherwise. */
const REFUSING_RULES = new Set<Rule>([
  ...BACKWARD_RULES,
  'type-changed',
  'format-changed',
  'const-changed',
  'unclassified',
]);

/** Whether a schema change makes the head schema refuse some value the base schema admitted. */
export function refusesAdmittedValues(change: Pick<Change, 'rule' | 'refuses'>): boolean {
  return change.refuses ?? REFUSING_RULES.has(change.rule);
}

/**
 * The severity of a schema change of a consumed event, judged from the producer's side: the producer keeps
 * sending what the released schema admitted, so a change that refuses any of it (a new required field, a narrower
 * type or enum, a tighter bound, a removed union member) is breaking, and a loosening (a field made optional or
 * nullable, a wider type or enum, a looser bound, a removed field: our objects are open) is info.
 */
export function receivedSeverity(change: Pick<Change, 'rule' | 'refuses' | 'severity'>): Severity {
  if (refusesAdmittedValues(change)) return 'breaking';
  return change.severity === 'breaking' ? 'info' : change.severity;
}

/** Which readers a change can break (see {@link Direction}). */
export function directionOf(change: Change): Direction {
  if (change.side === 'received' && (change.part === 'payload' || change.part === 'headers')) {
    return refusesAdmittedValues(change) ? 'producers' : 'none';
  }
  if (BACKWARD_RULES.has(change.rule)) return 'backward';
  if (change.severity !== 'breaking') return 'none';
  return BOTH_RULES.has(change.rule) ? 'both' : 'forward';
}

/** Whether a change of that direction fails the gate in `mode`. */
export function breaksIn(direction: Direction, mode: Mode): boolean {
  if (direction === 'none') return false;
  return direction === 'both' || direction === 'producers' || mode === 'full' || mode === direction;
}

/**
 * The changes as the gate reports them in `mode`: `direction` set, and `severity` breaking exactly when the
 * change fails in that mode (a change that only breaks the other direction is listed as info).
 */
export function judge(changes: readonly Change[], mode: Mode, against?: string): Change[] {
  return changes.map((change) => {
    const direction = directionOf(change);
    const severity: Severity = breaksIn(direction, mode)
      ? 'breaking'
      : change.severity === 'breaking' || direction === 'backward'
        ? 'info'
        : change.severity;
    return { ...change, severity, direction, ...(against !== undefined && { against }) };
  });
}
