import { isObject, type Json, type JsonObject } from './json.js';
import type { ContractModel, MessageContract } from './model.js';

/** An AMQP property the publisher sets: a constant (`value`) or one given per message (`required` or not). */
export interface AmqpProperty {
  readonly value?: string | number | boolean;
  readonly required?: boolean;
  readonly description?: string;
}

/**
 * A message header and where its value comes from: a payload field (`x-value: $message.payload#/<field>`), or, with
 * no `x-value`, the publisher's caller per message (`given`: the trace context headers).
 */
export interface HeaderSpec {
  readonly name: string;
  readonly required: boolean;
  /** The top-level payload field the header copies ('' when `given`). */
  readonly fromPayload: string;
  readonly given: boolean;
}

/** What goes on the wire for one event, all of it read from the document. */
export interface WireSpec {
  readonly routingKey: string;
  readonly deliveryMode: number | undefined;
  readonly mandatory: boolean | undefined;
  /** Whether the publisher sets the AMQP `timestamp` (operation binding `timestamp: true`). */
  readonly timestamp: boolean;
  readonly contentType: string | undefined;
  /** AMQP `type` (message binding `messageType`). */
  readonly messageType: string | undefined;
  /** The properties without a binding field (`x-amqp-properties` of the operation binding), by AMQP name. */
  readonly properties: Readonly<Record<string, AmqpProperty>>;
  readonly headers: readonly HeaderSpec[];
}

export interface ExchangeSpec {
  readonly name: string;
  readonly type: string;
  readonly durable: boolean;
  readonly autoDelete: boolean;
  readonly vhost: string;
  /** `x-alternate-exchange` of the channel binding: where unroutable messages go. */
  readonly alternateExchange:
    | { readonly name: string; readonly type: string; readonly durable: boolean; readonly queue: QueueSpec | undefined }
    | undefined;
}

export interface QueueSpec {
  readonly name: string;
  readonly durable: boolean;
  /** `x-arguments` of the queue: its declaration arguments (`x-message-ttl`, `x-max-length`, …). */
  readonly arguments: Readonly<Record<string, Json>> | undefined;
}

export interface EventExample {
  readonly name: string;
  readonly payload: Json | undefined;
  readonly headers: Json | undefined;
}

/** What names an event of either direction: its operation, channel and message, and their summaries. */
export interface OperationEvent {
  readonly eventName: string;
  readonly operationId: string;
  readonly channelId: string;
  readonly messageId: string;
  readonly schemaFormat: string | undefined;
  /** The payload schema's title: the name Modelina gives its model. */
  readonly modelName: string | undefined;
  readonly summary: string;
  readonly messageSummary: string;
}

/** One published event (one `send` operation), as plain data: what generate, the template and the docs read. */
export interface PublishedEvent extends OperationEvent {
  readonly consumers: readonly string[];
  readonly payload: Json | undefined;
  readonly headersSchema: Json | undefined;
  readonly examples: readonly EventExample[];
  readonly exchange: ExchangeSpec | undefined;
  readonly wire: WireSpec;
}

const PAYLOAD_EXPRESSION = /^\$message\.payload#\/([^/]+)$/;

function str(value: Json | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function bool(value: Json | undefined): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function exchangeOf(bindings: JsonObject): ExchangeSpec | undefined {
  const amqp = bindings.amqp;
  if (!isObject(amqp) || !isObject(amqp.exchange)) return undefined;
  const exchange = amqp.exchange;
  const name = str(exchange.name);
  if (name === undefined) return undefined;
  const alternate = amqp['x-alternate-exchange'];
  const queue = isObject(alternate) && isObject(alternate.queue) ? alternate.queue : undefined;
  return {
    name,
    type: str(exchange.type) ?? 'topic',
    durable: bool(exchange.durable) ?? false,
    autoDelete: bool(exchange.autoDelete) ?? false,
    vhost: str(exchange.vhost) ?? '/',
    alternateExchange:
      isObject(alternate) && typeof alternate.name === 'string'
        ? {
            name: alternate.name,
            type: str(alternate.type) ?? 'fanout',
            durable: bool(alternate.durable) ?? false,
            queue:
              queue && typeof queue.name === 'string'
                ? {
                    name: queue.name,
                    durable: bool(queue.durable) ?? false,
                    arguments: isObject(queue['x-arguments']) ? queue['x-arguments'] : undefined,
                  }
                : undefined,
          }
        : undefined,
  };
}

function propertiesOf(value: Json | undefined): Record<string, AmqpProperty> {
  const out: Record<string, AmqpProperty> = {};
  if (!isObject(value)) return out;
  for (const [name, spec] of Object.entries(value)) {
    if (!isObject(spec)) continue;
    const v = spec.value;
    out[name] = {
      ...(typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? { value: v } : {}),
      ...(typeof spec.required === 'boolean' ? { required: spec.required } : {}),
      ...(typeof spec.description === 'string' ? { description: spec.description } : {}),
    };
  }
  return out;
}

function headersOf(schema: Json | undefined): HeaderSpec[] {
  if (!isObject(schema) || !isObject(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  return Object.entries(schema.properties).map(([name, property]) => {
    const expression = isObject(property) ? str(property['x-value']) : undefined;
    const field = expression === undefined ? undefined : PAYLOAD_EXPRESSION.exec(expression)?.[1];
    return { name, required: required.has(name), fromPayload: field ?? '', given: expression === undefined };
  });
}

function wireOf(model: ContractModel, operationId: string, message: MessageContract, routingKey: string): WireSpec {
  const operation = model.operations.get(operationId);
  const op = operation && isObject(operation.bindings.amqp) ? operation.bindings.amqp : {};
  const msg = isObject(message.bindings.amqp) ? message.bindings.amqp : {};
  return {
    routingKey,
    deliveryMode: typeof op.deliveryMode === 'number' ? op.deliveryMode : undefined,
    mandatory: bool(op.mandatory),
    timestamp: op.timestamp === true,
    contentType: message.contentType,
    messageType: str(msg.messageType),
    properties: propertiesOf(op['x-amqp-properties']),
    headers: headersOf(message.headers),
  };
}

/**
 * The operations of `action` with exactly one channel (that has an address, the routing key) and one message, in
 * document order; a problem line in `problems` for each that does not have that shape. Walks from the operations:
 * with @asyncapi/parser 3.6.6 `message.operations()` comes back empty.
 */
function* singleChannelOperations(model: ContractModel, action: 'send' | 'receive', problems: string[]) {
  for (const operation of model.operations.values()) {
    if (operation.action !== action) continue;
    const where = `operation ${operation.id}`;
    const [channelId] = operation.channelIds;
    const [messageId] = operation.messageIds;
    const channel = channelId === undefined ? undefined : model.channels.get(channelId);
    const message = messageId === undefined ? undefined : channel?.messages.get(messageId);
    if (operation.channelIds.length !== 1 || operation.messageIds.length !== 1 || !channel || !message) {
      problems.push(`${where}: must have exactly one channel and one message`);
      continue;
    }
    if (!channel.address) {
      problems.push(`${where}: channel ${channel.id} has no address (the routing key)`);
      continue;
    }
    yield { operation, channel: { ...channel, address: channel.address }, message };
  }
}

type SingleChannelOperation = ReturnType<typeof singleChannelOperations> extends Generator<infer T> ? T : never;

/** What a published and a received event read alike from their operation, channel and message. */
function eventFields({ operation, channel, message }: SingleChannelOperation) {
  const payload = message.payload;
  return {
    eventName: channel.address,
    operationId: operation.id,
    channelId: channel.id,
    messageId: message.id,
    schemaFormat: message.schemaFormat,
    modelName: isObject(payload) ? str(payload.title) : undefined,
    summary: operation.summary ?? '',
    messageSummary: message.summary ?? '',
    payload,
    examples: message.examples.map((example, index) => ({
      name: example.name ?? `#${index + 1}`,
      payload: example.payload,
      headers: example.headers,
    })),
  };
}

/**
 * Every `send` operation with exactly one channel and one message, in document order, plus one problem line per
 * operation that does not have that shape. Walks from the operations: with @asyncapi/parser 3.6.6
 * `message.operations()` comes back empty.
 */
export function publishedEvents(model: ContractModel): { events: PublishedEvent[]; problems: string[] } {
  return eventsOf(model, 'send', (found) => {
    const { operation, channel, message } = found;
    const consumers = message.extensions['x-consumers'];
    return {
      ...eventFields(found),
      consumers: Array.isArray(consumers) ? consumers.map(String) : [],
      headersSchema: message.headers,
      exchange: exchangeOf(channel.bindings),
      wire: wireOf(model, operation.id, message, channel.address),
    };
  });
}

/** The operations of `action` with one channel and one message, each described by `describe`, and the problems. */
function eventsOf<E>(
  model: ContractModel,
  action: 'send' | 'receive',
  describe: (found: SingleChannelOperation) => E,
): { events: E[]; problems: string[] } {
  const problems: string[] = [];
  const events = [...singleChannelOperations(model, action, problems)].map(describe);
  return { events, problems };
}

/** Our queue for a received event (`x-queue` of the receive operation's AMQP binding). */
export interface InboundQueueSpec {
  readonly name: string;
  readonly type: 'quorum' | 'classic';
  readonly durable: boolean;
}

/** One consumed event (one `receive` operation), as plain data. */
export interface ReceivedEvent extends OperationEvent {
  /** What the service does with the event (the operation's description). */
  readonly description: string;
  /** The service that publishes it (`x-producer` of the message). */
  readonly producer: string | undefined;
  /** The events the service publishes as a result (`x-publishes` of the operation). */
  readonly publishes: readonly string[];
  readonly payload: Json | undefined;
  readonly examples: readonly EventExample[];
  readonly exchange: ExchangeSpec | undefined;
  /** The exchange's owner (`x-owner` of the channel binding). */
  readonly exchangeOwner: string | undefined;
  readonly queue: InboundQueueSpec | undefined;
}

function queueOf(bindings: JsonObject): InboundQueueSpec | undefined {
  const amqp = bindings.amqp;
  const queue = isObject(amqp) ? amqp['x-queue'] : undefined;
  if (!isObject(queue) || typeof queue.name !== 'string') return undefined;
  return {
    name: queue.name,
    type: queue.type === 'classic' ? 'classic' : 'quorum',
    durable: bool(queue.durable) ?? true,
  };
}

/**
 * Every `receive` operation with exactly one channel and one message, in document order, plus one problem line per
 * operation that does not have that shape (the same walk as {@link publishedEvents}).
 */
export function receivedEvents(model: ContractModel): { events: ReceivedEvent[]; problems: string[] } {
  return eventsOf(model, 'receive', (found) => {
    const { operation, channel, message } = found;
    const publishes = operation.extensions['x-publishes'];
    const amqp = channel.bindings.amqp;
    return {
      ...eventFields(found),
      description: operation.description ?? '',
      producer: str(message.extensions['x-producer']),
      publishes: Array.isArray(publishes) ? publishes.map(String) : [],
      exchange: exchangeOf(channel.bindings),
      exchangeOwner: isObject(amqp) ? str(amqp['x-owner']) : undefined,
      queue: queueOf(operation.bindings),
    };
  });
}
