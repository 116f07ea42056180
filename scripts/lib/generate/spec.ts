import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type AsyncAPIDocumentInterface, type Diagnostic, DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { GenerateError } from './errors.js';

/** A JSON Schema as plain data (no parser metadata). */
export type JsonSchema = { [key: string]: unknown };

export interface EventExample {
  readonly name: string;
  readonly payload: unknown;
  readonly headers: unknown;
}

/** What the script needs to know about one published event (one `send` operation). */
export interface SpecEvent {
  readonly eventName: string;
  readonly operationId: string;
  readonly messageId: string;
  /** The payload schema's title: the name Modelina gives its model. */
  readonly modelName: string;
  readonly payloadSchema: JsonSchema;
  readonly headersSchema: JsonSchema | undefined;
  readonly examples: readonly EventExample[];
}

export interface ParsedSpec {
  readonly document: AsyncAPIDocumentInterface;
  readonly events: readonly SpecEvent[];
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

function formatDiagnostic(specLabel: string, diagnostic: Diagnostic): string {
  const { line, character } = diagnostic.range.start;
  const where = diagnostic.path.length > 0 ? ` (at ${diagnostic.path.join('.')})` : '';
  return `${specLabel}:${line + 1}:${character + 1} ${diagnostic.message}${where}`;
}

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
 * Reads every `send` operation. Walks from the operations because `message.operations()` is empty in
 * @asyncapi/parser 3.6.6. Checks what the generated publishers rely on: the routing key (channel address) is
 * the event name and the payload's `event` const, and the payload has a required string `organization_id`.
 */
function collectEvents(document: AsyncAPIDocumentInterface, problems: string[]): SpecEvent[] {
  const events: SpecEvent[] = [];
  const exchanges = new Set<string>();
  for (const operation of document.operations().filterBySend()) {
    const operationId = operation.id() ?? '(no id)';
    const where = `operation ${operationId}`;
    const channels = operation.channels().all();
    const messages = operation.messages().all();
    const [channel] = channels;
    const [message] = messages;
    if (channels.length !== 1 || messages.length !== 1 || !channel || !message) {
      problems.push(`${where}: must have exactly one channel and one message`);
      continue;
    }
    const eventName = channel.address();
    if (!eventName) {
      problems.push(`${where}: channel ${channel.id()} has no address (the routing key)`);
      continue;
    }
    const exchange: unknown = channel.bindings().get('amqp')?.value()?.exchange;
    const exchangeName =
      exchange !== null && typeof exchange === 'object' ? (exchange as Record<string, unknown>).name : undefined;
    if (typeof exchangeName !== 'string') {
      problems.push(`${where}: channel ${channel.id()} needs an AMQP binding with exchange.name`);
    } else {
      exchanges.add(exchangeName);
    }
    const payload = message.payload();
    if (!payload) {
      problems.push(`${where}: message ${message.id()} has no payload`);
      continue;
    }
    const schemaFormat = message.schemaFormat();
    if (schemaFormat !== undefined && !SUPPORTED_SCHEMA_FORMATS.includes(schemaFormat)) {
      problems.push(`${where}: message ${message.id()} uses schema format ${schemaFormat}`);
      continue;
    }
    const modelName = payload.title();
    if (!modelName) {
      problems.push(`${where}: the payload schema of ${message.id()} needs a title (it names the generated model)`);
      continue;
    }
    const payloadSchema = asJsonSchema(payload.json());
    const eventConst = property(payloadSchema, 'event')?.const;
    if (eventConst !== eventName) {
      problems.push(
        `${where}: payload property "event" must be const "${eventName}" (the channel address), found ${JSON.stringify(eventConst)}`,
      );
    }
    const messageType: unknown = message.bindings().get('amqp')?.value()?.messageType;
    if (messageType !== undefined && messageType !== eventName) {
      problems.push(`${where}: AMQP messageType ${JSON.stringify(messageType)} differs from the event name`);
    }
    if (
      property(payloadSchema, 'organization_id')?.type !== 'string' ||
      !isRequired(payloadSchema, 'organization_id')
    ) {
      problems.push(`${where}: payload needs a required string property "organization_id" (sent as a header)`);
    }
    if (events.some((event) => event.eventName === eventName)) {
      problems.push(`${where}: event ${eventName} is published by more than one operation`);
    }
    const headers = message.headers();
    events.push({
      eventName,
      operationId,
      messageId: message.id(),
      modelName,
      payloadSchema,
      headersSchema: headers ? asJsonSchema(headers.json()) : undefined,
      examples: message
        .examples()
        .all()
        .map((example, index) => ({
          name: example.name() ?? `#${index + 1}`,
          payload: example.payload(),
          headers: example.headers(),
        })),
    });
  }
  if (exchanges.size > 1) problems.push(`send operations publish to several exchanges: ${[...exchanges].join(', ')}`);
  if (events.length === 0 && problems.length === 0) problems.push('the document has no send operation');
  return events;
}

/**
 * Parses and checks the AsyncAPI document. Error diagnostics fail (printed as `file:line:col message`);
 * warnings are returned; information and hints (such as "use 3.1.0") are ignored.
 */
export async function parseSpec(specPath: string): Promise<ParsedSpec> {
  const specLabel = path.relative(process.cwd(), specPath) || specPath;
  const source = await readFile(specPath, 'utf8');
  const parser = new Parser();
  const { document, diagnostics } = await parser.parse(source, { source: path.resolve(specPath) });
  const bySeverity = (severity: DiagnosticSeverity) =>
    diagnostics.filter((diagnostic) => diagnostic.severity === severity).map((d) => formatDiagnostic(specLabel, d));
  const errors = bySeverity(DiagnosticSeverity.Error);
  if (errors.length > 0 || !document) {
    throw new GenerateError(`Parsing ${specLabel}`, errors.length > 0 ? errors : ['the document could not be parsed']);
  }
  const problems: string[] = [];
  const events = collectEvents(document, problems);
  if (problems.length > 0) throw new GenerateError(`Checking ${specLabel}`, problems);
  return { document, events, warnings: bySeverity(DiagnosticSeverity.Warning) };
}
