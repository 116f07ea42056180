import path from 'node:path';
import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { type PublishedEvent, publishedEvents, type ReceivedEvent, receivedEvents } from '../asyncapi/events.js';
import { formatDiagnostic, loadSpecWithWarnings, SpecError } from '../asyncapi/load.js';
import { type ContractModel, extractContract } from '../asyncapi/model.js';
import { GenerateError } from './errors.js';

/** A JSON Schema as plain data (no parser metadata). */
export type JsonSchema = { [key: string]: unknown };

export interface EventExample {
  readonly name: string;
  readonly payload: unknown;
  readonly headers: unknown;
}

/** The names of an event and its payload schema, as generation uses them. */
interface SpecEventIdentity {
  readonly eventName: string;
  readonly operationId: string;
  readonly messageId: string;
  /** The payload schema's title: the name Modelina gives its model. */
  readonly modelName: string;
  readonly payloadSchema: JsonSchema;
}

/** What the script needs to know about one published event (one `send` operation). */
export interface SpecEvent extends SpecEventIdentity {
  readonly headersSchema: JsonSchema | undefined;
  readonly examples: readonly EventExample[];
  /** The event as the shared model describes it (wire, exchange, consumers…). */
  readonly published: PublishedEvent;
}

/** What the script needs to know about one consumed event (one `receive` operation). */
export interface ReceivedSpecEvent extends SpecEventIdentity {
  /** The consumer (tolerant) schema, as written in the document, never closed. */
  readonly payloadSchema: JsonSchema;
  readonly examples: readonly EventExample[];
  readonly exchange: { readonly name: string; readonly type: string; readonly durable: boolean };
  readonly queue: { readonly name: string; readonly type: 'quorum' | 'classic'; readonly durable: boolean };
  /** The event as the shared model describes it (description, producer, what it publishes…). */
  readonly received: ReceivedEvent;
}

export interface ParsedSpec {
  readonly document: AsyncAPIDocumentInterface;
  readonly model: ContractModel;
  readonly events: readonly SpecEvent[];
  /** The consumed events (receive operations), in document order. */
  readonly received: readonly ReceivedSpecEvent[];
  readonly warnings: readonly string[];
}

// The AsyncAPI 3.0 default schema format (a superset of JSON Schema draft-07) and plain draft-07 are what
// ajv and Modelina are set up for here.
const SUPPORTED_SCHEMA_FORMATS = [
  'application/vnd.aai.asyncapi;version=3.0.0',
  'application/vnd.aai.asyncapi+json;version=3.0.0',
  'application/vnd.aai.asyncapi+yaml;version=3.0.0',
  'application/schema+json;version=draft-07',
  'application/schema+yaml;version=draft-07',
];

// Keywords whose value maps names (of properties, definitions…) to schemas: their keys are names, not keywords.
const NAME_MAPS = new Set([
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
  'dependencies',
  'dependentSchemas',
]);
// Keywords whose value is instance data, copied as is.
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples']);

/**
 * A copy of a schema without specification extensions (`x-…` keys): the `x-parser-*` keys the parser adds to
 * every schema and any `x-` annotation of the author. They carry no validation, and strict ajv refuses them.
 */
export function stripExtensions(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(stripExtensions);
  if (schema === null || typeof schema !== 'object') return schema;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(schema)) {
    if (key.startsWith('x-')) continue;
    if (DATA_KEYWORDS.has(key)) {
      result[key] = child;
    } else if (NAME_MAPS.has(key) && child !== null && typeof child === 'object' && !Array.isArray(child)) {
      result[key] = Object.fromEntries(Object.entries(child).map(([name, sub]) => [name, stripExtensions(sub)]));
    } else {
      result[key] = stripExtensions(child);
    }
  }
  return result;
}

function asJsonSchema(value: unknown): JsonSchema {
  const stripped = stripExtensions(value);
  if (stripped === null || typeof stripped !== 'object' || Array.isArray(stripped)) {
    throw new Error('schema is not an object');
  }
  return stripped as JsonSchema;
}

function property(schema: JsonSchema, name: string): JsonSchema | undefined {
  const properties = schema.properties;
  if (properties === null || typeof properties !== 'object') return undefined;
  const value = (properties as Record<string, unknown>)[name];
  return value !== null && typeof value === 'object' ? (value as JsonSchema) : undefined;
}

function isRequired(schema: JsonSchema, name: string): boolean {
  return Array.isArray(schema.required) && schema.required.includes(name);
}

/**
 * `nullable` is an OpenAPI keyword, not JSON Schema: ajv ignores it (so `nullable: true` would still refuse null)
 * and Modelina types the field non-null. Refuse it wherever it appears, naming the JSON path.
 */
function findNullable(schema: unknown, path: string, out: string[]): void {
  if (Array.isArray(schema)) {
    for (const [i, item] of schema.entries()) findNullable(item, `${path}[${i}]`, out);
    return;
  }
  if (schema === null || typeof schema !== 'object') return;
  for (const [key, child] of Object.entries(schema)) {
    if (DATA_KEYWORDS.has(key)) continue;
    if (key === 'nullable') out.push(path || '(root)');
    else if (NAME_MAPS.has(key) && child !== null && typeof child === 'object' && !Array.isArray(child)) {
      for (const [name, sub] of Object.entries(child)) findNullable(sub, path ? `${path}.${name}` : name, out);
    } else if (key !== 'properties') findNullable(child, path, out);
  }
}

/**
 * The payload schema of a published or received message, when generation can use it: a JSON Schema (not another
 * schema format) with a title (it names the model), no OpenAPI `nullable`, the event name as the `event` const and
 * a required string `organization_id` (the tenant, also sent as a header). One problem line for each that fails.
 */
function payloadSchemaOf(
  event: PublishedEvent | ReceivedEvent,
  where: string,
  problems: string[],
  headersSchema?: unknown,
): SpecEventIdentity | undefined {
  if (event.payload === undefined) {
    problems.push(`${where}: message ${event.messageId} has no payload`);
    return undefined;
  }
  if (event.schemaFormat !== undefined && !SUPPORTED_SCHEMA_FORMATS.includes(event.schemaFormat)) {
    problems.push(`${where}: message ${event.messageId} uses schema format ${event.schemaFormat}`);
    return undefined;
  }
  const { modelName } = event;
  if (!modelName) {
    problems.push(`${where}: the payload schema of ${event.messageId} needs a title (it names the generated model)`);
    return undefined;
  }
  const nullable: string[] = [];
  findNullable(event.payload, '', nullable);
  findNullable(headersSchema, 'headers', nullable);
  for (const at of nullable) {
    problems.push(
      `message ${event.messageId}: \`nullable\` at ${at} is an OpenAPI keyword, not JSON Schema (ajv ignores it and the model would be typed non-null); write \`type: [X, 'null']\` instead`,
    );
  }
  const payloadSchema = asJsonSchema(event.payload);
  const eventConst = property(payloadSchema, 'event')?.const;
  if (eventConst !== event.eventName) {
    problems.push(
      `${where}: payload property "event" must be const "${event.eventName}" (the channel address), found ${JSON.stringify(eventConst)}`,
    );
  }
  if (property(payloadSchema, 'organization_id')?.type !== 'string' || !isRequired(payloadSchema, 'organization_id')) {
    problems.push(`${where}: payload needs a required string property "organization_id" (the tenant)`);
  }
  return {
    eventName: event.eventName,
    operationId: event.operationId,
    messageId: event.messageId,
    modelName,
    payloadSchema,
  };
}

/**
 * Reads every `send` operation from the one model of the document (scripts/lib/asyncapi) and checks what the
 * generated publishers rely on: the routing key (channel address) is the event name, the payload's `event`
 * const and the AMQP `messageType`; the payload has a required string `organization_id`; every header names
 * the payload field it copies; one exchange, with the properties the publishers set.
 */
function collectEvents(published: readonly PublishedEvent[], problems: string[]): SpecEvent[] {
  const events: SpecEvent[] = [];
  const exchanges = new Set<string>();
  for (const event of published) {
    const { eventName, operationId } = event;
    const where = `operation ${operationId}`;
    if (!event.exchange) {
      problems.push(`${where}: channel ${event.channelId} needs an AMQP binding with exchange.name`);
    } else {
      exchanges.add(JSON.stringify(event.exchange));
    }
    const usable = payloadSchemaOf(event, where, problems, event.headersSchema);
    if (!usable) continue;
    const { payloadSchema } = usable;
    const { wire } = event;
    if (wire.messageType !== undefined && wire.messageType !== eventName) {
      problems.push(`${where}: AMQP messageType ${JSON.stringify(wire.messageType)} differs from the event name`);
    }
    for (const header of wire.headers) {
      if (header.given) {
        if (header.required) problems.push(`${where}: header ${header.name} has no x-value, so it must be optional`);
        continue;
      }
      const field = property(payloadSchema, header.fromPayload);
      if (!header.fromPayload || field?.type !== 'string' || !isRequired(payloadSchema, header.fromPayload)) {
        problems.push(
          `${where}: header ${header.name} needs \`x-value: $message.payload#/<field>\` naming a required string payload field`,
        );
      }
    }
    if (wire.deliveryMode !== 1 && wire.deliveryMode !== 2) {
      problems.push(`${where}: the operation's AMQP binding needs deliveryMode 1 or 2`);
    }
    if (!wire.contentType) problems.push(`${where}: message ${event.messageId} needs a contentType`);
    if (events.some((other) => other.eventName === eventName)) {
      problems.push(`${where}: event ${eventName} is published by more than one operation`);
    }
    events.push({
      ...usable,
      headersSchema: event.headersSchema === undefined ? undefined : asJsonSchema(event.headersSchema),
      examples: event.examples.map((example) => ({
        name: example.name,
        payload: example.payload,
        headers: example.headers,
      })),
      published: event,
    });
  }
  if (exchanges.size > 1) {
    problems.push('send operations publish to several exchanges (or one exchange declared differently)');
  }
  if (events.length === 0 && problems.length === 0) problems.push('the document has no send operation');
  return events;
}

/**
 * Checks every `receive` operation for what the generated consumer side relies on: the routing key is the event
 * name and the payload's `event` const; a titled payload with a required string `organization_id`; an exchange in
 * the channel binding and our queue (`x-queue`) in the operation binding; one exchange per queue.
 */
function collectReceived(
  received: readonly ReceivedEvent[],
  published: readonly SpecEvent[],
  problems: string[],
): ReceivedSpecEvent[] {
  const events: ReceivedSpecEvent[] = [];
  const exchangeOfQueue = new Map<string, string>();
  for (const event of received) {
    const { eventName, operationId } = event;
    const where = `operation ${operationId}`;
    const { exchange, queue } = event;
    if (!exchange) problems.push(`${where}: channel ${event.channelId} needs an AMQP binding with exchange.name`);
    if (!queue) problems.push(`${where}: the operation's AMQP binding needs \`x-queue: { name }\` (our queue)`);
    const usable = payloadSchemaOf(event, where, problems);
    if (!usable) continue;
    if (events.some((other) => other.eventName === eventName)) {
      problems.push(`${where}: event ${eventName} is received by more than one operation`);
    }
    if (published.some((other) => other.eventName === eventName)) {
      problems.push(`${where}: event ${eventName} is both published and received`);
    }
    if (exchange && queue) {
      const known = exchangeOfQueue.get(queue.name);
      if (known !== undefined && known !== exchange.name) {
        problems.push(`${where}: queue ${queue.name} is bound to two exchanges (${known}, ${exchange.name})`);
      }
      exchangeOfQueue.set(queue.name, exchange.name);
    }
    if (!exchange || !queue) continue;
    events.push({
      ...usable,
      examples: event.examples,
      exchange: { name: exchange.name, type: exchange.type, durable: exchange.durable },
      queue,
      received: event,
    });
  }
  return events;
}

/**
 * Parses and checks the AsyncAPI document. Error diagnostics fail (printed as `file:line:col message`);
 * warnings are returned; information and hints (such as "use 3.1.0") are ignored.
 */
export async function parseSpec(specPath: string): Promise<ParsedSpec> {
  const specLabel = path.relative(process.cwd(), specPath) || specPath;
  let document: AsyncAPIDocumentInterface;
  let warnings: string[];
  try {
    ({ document, warnings } = await loadSpecWithWarnings(specPath));
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    throw new GenerateError(
      `Parsing ${specLabel}`,
      error.diagnostics.map((d) => formatDiagnostic(specPath, d)),
    );
  }
  const model = extractContract(document);
  const { events: published, problems } = publishedEvents(model);
  const events = collectEvents(published, problems);
  const inbound = receivedEvents(model);
  problems.push(...inbound.problems);
  const received = collectReceived(inbound.events, events, problems);
  if (problems.length > 0) throw new GenerateError(`Checking ${specLabel}`, problems);
  return { document, model, events, received, warnings };
}
