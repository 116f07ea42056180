import type { AsyncAPIDocumentInterface, BindingsInterface, ExtensionsInterface } from '@asyncapi/parser';
import type { Json, JsonObject } from './json.js';

export type { Json, JsonObject } from './json.js';

/** The parts of a message a consumer depends on, as plain JSON. */
export interface MessageContract {
  id: string;
  extensions: JsonObject;
  name: string | undefined;
  title: string | undefined;
  summary: string | undefined;
  description: string | undefined;
  contentType: string | undefined;
  schemaFormat: string | undefined;
  payload: Json | undefined;
  headers: Json | undefined;
  bindings: JsonObject;
  examples: { name: string | undefined; payload: Json | undefined; headers: Json | undefined }[];
}

export interface ChannelContract {
  id: string;
  /** The AMQP routing key: also the event's name. */
  address: string | undefined;
  description: string | undefined;
  bindings: JsonObject;
  messages: Map<string, MessageContract>;
}

export interface OperationContract {
  id: string;
  action: string;
  extensions: JsonObject;
  channelIds: string[];
  messageIds: string[];
  summary: string | undefined;
  description: string | undefined;
  bindings: JsonObject;
}

export interface ServerContract {
  id: string;
  host: string;
  protocol: string;
  protocolVersion: string | undefined;
  pathname: string | undefined;
  bindings: JsonObject;
}

/**
 * The one model of the AsyncAPI document that every tool reads: the generator, the publishers template (through
 * the generator), the contract check and release, and the docs. Extracted once from a parsed document.
 */
export interface ContractModel {
  title: string;
  version: string;
  description: string | undefined;
  servers: Map<string, ServerContract>;
  channels: Map<string, ChannelContract>;
  operations: Map<string, OperationContract>;
  /** Channel ids that some `send` operation publishes to: the events this service emits. */
  publishedChannelIds: Set<string>;
}

/**
 * Reads the parsed document through the model API (so `$ref`s and message traits are applied), then keeps
 * plain JSON with the parser's `x-parser-*` bookkeeping stripped.
 *
 * Messages are collected from `document.operations()` and `channel.messages()`, not from
 * `message.channels()`: with @asyncapi/parser 3.6.6 the latter comes back empty.
 */
export function extractContract(document: AsyncAPIDocumentInterface): ContractModel {
  const channels = new Map<string, ChannelContract>();
  for (const channel of document.channels()) {
    const messages = new Map<string, MessageContract>();
    for (const message of channel.messages()) {
      messages.set(message.id(), {
        id: message.id(),
        extensions: extensionsJson(message.extensions()),
        name: message.name(),
        title: message.title(),
        summary: message.summary(),
        description: message.description(),
        contentType: message.contentType(),
        schemaFormat: message.schemaFormat(),
        payload: message.hasPayload() ? plainJson(message.payload()?.json()) : undefined,
        headers: message.hasHeaders() ? plainJson(message.headers()?.json()) : undefined,
        bindings: bindingsJson(message.bindings()),
        examples: message
          .examples()
          .all()
          .map((example) => ({
            name: example.name(),
            payload: example.hasPayload() ? plainJson(example.payload() as Json) : undefined,
            headers: example.hasHeaders() ? plainJson(example.headers() as Json) : undefined,
          })),
      });
    }
    channels.set(channel.id(), {
      id: channel.id(),
      address: channel.address() ?? undefined,
      description: channel.description(),
      bindings: bindingsJson(channel.bindings()),
      messages,
    });
  }

  const operations = new Map<string, OperationContract>();
  const publishedChannelIds = new Set<string>();
  for (const operation of document.operations()) {
    const channelIds = operation
      .channels()
      .all()
      .map((c) => c.id());
    // Typed optional, but every operation of a 3.x document has one (its key under `operations`).
    const id = operation.id() ?? '';
    operations.set(id, {
      id,
      action: operation.action(),
      extensions: extensionsJson(operation.extensions()),
      channelIds,
      messageIds: operation
        .messages()
        .all()
        .map((m) => m.id()),
      summary: operation.summary(),
      description: operation.description(),
      bindings: bindingsJson(operation.bindings()),
    });
    if (operation.isSend()) for (const id of channelIds) publishedChannelIds.add(id);
  }

  const servers = new Map<string, ServerContract>();
  for (const server of document.servers()) {
    servers.set(server.id(), {
      id: server.id(),
      host: server.host(),
      protocol: server.protocol(),
      protocolVersion: server.protocolVersion(),
      pathname: server.pathname(),
      bindings: bindingsJson(server.bindings()),
    });
  }

  return {
    servers,
    title: document.info().title(),
    version: document.info().version(),
    description: document.info().description(),
    channels,
    operations,
    publishedChannelIds,
  };
}

function extensionsJson(extensions: ExtensionsInterface): JsonObject {
  const out: JsonObject = {};
  for (const extension of extensions) out[extension.id()] = plainJson(extension.value());
  return out;
}

function bindingsJson(bindings: BindingsInterface): JsonObject {
  const out: JsonObject = {};
  for (const binding of bindings) {
    out[binding.protocol()] = plainJson(binding.json() as Json);
  }
  return out;
}

/**
 * Deep copy without `x-parser-*` keys. Recursive schemas come back from the parser as cyclic objects;
 * the copy keeps the cycles (memoised per source object) instead of recursing forever.
 */
export function plainJson(value: unknown, seen = new WeakMap<object, Json>()): Json {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
  }
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const arr: Json[] = [];
    seen.set(value, arr);
    for (const item of value) arr.push(plainJson(item, seen));
    return arr;
  }
  const obj: JsonObject = {};
  seen.set(value, obj);
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith('x-parser-') || item === undefined) continue;
    obj[key] = plainJson(item, seen);
  }
  return obj;
}
