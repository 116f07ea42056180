import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { isObject, jsonEqual } from '../lib/asyncapi/json.js';
import {
  type ChannelContract,
  type ContractModel,
  extractContract,
  type Json,
  type MessageContract,
  type OperationContract,
} from '../lib/asyncapi/model.js';
import { compareBindings } from './bindings-diff.js';
import { type AddChange, type Change, type Rule, receivedSeverity, type Severity } from './change.js';
import { diffSchemas, type SchemaChange } from './schema-diff.js';

export type { Change } from './change.js';

/**
 * Compares the released contract (`base`) with the working spec (`head`). The events the service publishes are
 * judged from their consumers' side; the events it consumes (channels only `receive` operations use) from their
 * producers' side: a change of their schemas is breaking when it refuses a message the released schema admitted.
 * Pure: no I/O; the dev loop, the CLI and the tests all call it.
 */
export function compareContracts(base: AsyncAPIDocumentInterface, head: AsyncAPIDocumentInterface): Change[] {
  return compareModels(extractContract(base), extractContract(head));
}

export function compareModels(base: ContractModel, head: ContractModel): Change[] {
  const changes: Change[] = [];
  const add = (change: Change) => changes.push(change);

  for (const [key, b, h] of [
    ['info.title', base.title, head.title],
    ['info.version', base.version, head.version],
    ['info.description', base.description, head.description],
  ] as const) {
    if (b !== h) {
      const text = key === 'info.description' ? 'description changed' : `${key} changed ${b} → ${h}`;
      add({ severity: 'info', rule: 'docs-changed', event: '', part: 'document', path: key, text });
    }
  }

  // Channels: by id; a channel whose id changed but whose routing key did not is followed by address.
  const baseReceived = receivedChannelIds(base);
  const headReceived = receivedChannelIds(head);
  const pairs: [ChannelContract, ChannelContract][] = [];
  const matchedHead = new Set<string>();
  const unmatchedBase: ChannelContract[] = [];
  for (const channel of base.channels.values()) {
    const same = head.channels.get(channel.id);
    if (same) {
      pairs.push([channel, same]);
      matchedHead.add(same.id);
    } else unmatchedBase.push(channel);
  }
  for (const channel of unmatchedBase) {
    const event = eventName(channel);
    const renamed = [...head.channels.values()].find(
      (c) =>
        !matchedHead.has(c.id) && !base.channels.has(c.id) && c.address !== undefined && c.address === channel.address,
    );
    if (renamed) {
      // The id is the document's own name for the channel; the wire (its address) is unchanged.
      add({
        severity: 'info',
        rule: 'channel-renamed',
        event,
        part: 'channel',
        path: `channels.${channel.id}`,
        text: `channel id renamed ${channel.id} → ${renamed.id} (same address)`,
      });
      pairs.push([channel, renamed]);
      matchedHead.add(renamed.id);
    } else if (base.publishedChannelIds.has(channel.id)) {
      add({
        severity: 'breaking',
        rule: 'event-removed',
        event,
        part: 'channel',
        path: `channels.${channel.id}`,
        text: 'event removed',
      });
    } else {
      const received = baseReceived.has(channel.id);
      add({
        severity: 'breaking',
        rule: 'channel-removed',
        event,
        part: 'channel',
        path: `channels.${channel.id}`,
        text: received ? 'consumed event removed (the service no longer reads it)' : 'channel removed',
        ...(received && { side: 'received' as const }),
      });
    }
  }
  for (const [b, h] of pairs) {
    const received = !head.publishedChannelIds.has(h.id) && (headReceived.has(h.id) || baseReceived.has(b.id));
    compareChannel(b, h, received ? (change) => add({ ...change, side: 'received' }) : add, received);
    if (base.publishedChannelIds.has(b.id) && !head.publishedChannelIds.has(h.id)) {
      add({
        severity: 'breaking',
        rule: 'event-unpublished',
        event: eventName(b),
        part: 'channel',
        path: `channels.${h.id}`,
        text: 'no send operation publishes this event any more',
      });
    }
  }
  for (const channel of head.channels.values()) {
    if (matchedHead.has(channel.id)) continue;
    const published = head.publishedChannelIds.has(channel.id);
    const received = !published && headReceived.has(channel.id);
    add({
      severity: 'additive',
      rule: published ? 'event-added' : 'channel-added',
      event: eventName(channel),
      part: 'channel',
      path: `channels.${channel.id}`,
      text: published
        ? `new event${reachedBy(channel.address)}`
        : received
          ? newConsumedEvent(head, channel)
          : 'new channel',
      ...(received && { side: 'received' as const }),
    });
  }

  compareOperations(base, head, new Map(pairs.map(([b, h]) => [b.id, h.id])), add);
  compareServers(base, head, add);
  compareAmqpProperties(base, head, add);
  return changes;
}

function compareChannel(b: ChannelContract, h: ChannelContract, add: AddChange, received: boolean): void {
  const event = eventName(b);
  const channelChange = (severity: Severity, rule: Rule, field: string, text: string) =>
    add({ severity, rule, event, part: 'channel', path: `channels.${h.id}.${field}`, text });
  /** A change of message `id`; `tagged` names the message (the channel carries more than one). */
  const messageChange = (severity: Severity, rule: Rule, id: string, text: string, tagged: boolean) =>
    add({ severity, rule, event, part: 'message', path: `messages.${id}`, text, ...(tagged && { messageId: id }) });
  if (b.address !== h.address) {
    const text = `routing key changed ${b.address ?? '(none)'} → ${h.address ?? '(none)'}`;
    channelChange('breaking', 'routing-key-changed', 'address', text);
  }
  if (b.description !== h.description) channelChange('info', 'docs-changed', 'description', 'description changed');
  compareBindings(b.bindings, h.bindings, event, 'channel', add, `channels.${h.id}`);

  const multi = b.messages.size > 1 || h.messages.size > 1;
  const matched = new Set<string>();
  for (const message of b.messages.values()) {
    const same =
      h.messages.get(message.id) ??
      [...h.messages.values()].find((m) => !b.messages.has(m.id) && m.name !== undefined && m.name === message.name);
    if (!same) {
      messageChange('breaking', 'message-removed', message.id, 'message removed', multi);
      continue;
    }
    matched.add(same.id);
    if (same.id !== message.id) {
      messageChange('breaking', 'message-removed', message.id, `message id renamed ${message.id} → ${same.id}`, false);
    }
    compareMessage(message, same, event, multi, add, received);
  }
  for (const message of h.messages.values()) {
    if (matched.has(message.id)) continue;
    messageChange('additive', 'message-added', message.id, 'new message', multi);
  }
}

function compareMessage(
  b: MessageContract,
  h: MessageContract,
  event: string,
  multi: boolean,
  add: AddChange,
  received: boolean,
): void {
  const messageId = multi ? { messageId: h.id } : {};
  const at = (part: Change['part'], path: string, severity: Severity, rule: Rule, text: string) =>
    add({ severity, rule, event, part, path, text, ...messageId });
  // A schema finding: for a consumed event, its severity from the producer's side.
  const schemaAt = (part: 'payload' | 'headers', c: SchemaChange) =>
    add({
      severity: received ? receivedSeverity(c) : c.severity,
      rule: c.rule,
      event,
      part,
      path: c.path,
      text: c.text,
      ...(c.refuses !== undefined && { refuses: c.refuses }),
      ...messageId,
    });

  if (b.name !== h.name)
    at('message', 'name', 'breaking', 'message-changed', `message name changed ${b.name} → ${h.name}`);
  if (b.contentType !== h.contentType) {
    at(
      'message',
      'contentType',
      'breaking',
      'message-changed',
      `content type changed ${b.contentType} → ${h.contentType}`,
    );
  }
  for (const key of ['title', 'summary', 'description'] as const) {
    if (b[key] !== h[key]) at('message', key, 'info', 'docs-changed', `message ${key} changed`);
  }
  compareBindings(b.bindings, h.bindings, event, 'message', add);

  for (const c of diffSchemas(b.payload, h.payload)) schemaAt('payload', c);
  if (received && (b.headers === undefined) !== (h.headers === undefined)) {
    // Headers a producer sends are an object either way: compare with "any object", field by field.
    const anyObject: Json = { type: 'object' };
    for (const c of diffSchemas(b.headers ?? anyObject, h.headers ?? anyObject, 'headers')) schemaAt('headers', c);
  } else if (b.headers === undefined && h.headers !== undefined)
    at('headers', 'headers', 'additive', 'field-added', 'message headers added');
  else if (b.headers !== undefined && h.headers === undefined)
    at('headers', 'headers', 'breaking', 'field-removed', 'message headers removed');
  else for (const c of diffSchemas(b.headers, h.headers, 'headers')) schemaAt('headers', c);

  // Examples are matched by name, unnamed ones by position.
  const key = (e: MessageContract['examples'][number], i: number) => e.name ?? `#${i + 1}`;
  const baseExamples = new Map(b.examples.map((e, i) => [key(e, i), e]));
  const headExamples = new Map(h.examples.map((e, i) => [key(e, i), e]));
  for (const [name, example] of baseExamples) {
    const other = headExamples.get(name);
    if (!other) at('message', `examples.${name}`, 'info', 'example-removed', `example ${name} removed`);
    else if (!jsonEqual(example.payload, other.payload) || !jsonEqual(example.headers, other.headers)) {
      at('message', `examples.${name}`, 'info', 'example-changed', `example ${name} changed`);
    }
  }
  for (const name of headExamples.keys()) {
    if (!baseExamples.has(name)) at('message', `examples.${name}`, 'additive', 'example-added', `new example ${name}`);
  }
}

function compareOperations(
  base: ContractModel,
  head: ContractModel,
  channelMap: Map<string, string>,
  addChange: AddChange,
): void {
  const label = (model: ContractModel, channelIds: string[]) =>
    channelIds.map((id) => eventName(model.channels.get(id) ?? { id, address: undefined })).join(', ');
  // An operation whose id changed is followed by what it does: the same action on the same (matched) channels.
  const renamedTo = new Map<string, OperationContract>();
  for (const op of base.operations.values()) {
    if (head.operations.has(op.id)) continue;
    const channels = op.channelIds.map((id) => channelMap.get(id)).join();
    const match = [...head.operations.values()].find(
      (o) =>
        !base.operations.has(o.id) &&
        ![...renamedTo.values()].includes(o) &&
        o.action === op.action &&
        o.channelIds.join() === channels,
    );
    if (match) renamedTo.set(op.id, match);
  }
  /** Messages `from` sends and `to` does not, though one of `to`'s channels (in `model`) still carries them. */
  const notSentBy = (from: OperationContract, to: OperationContract, model: ContractModel) =>
    from.messageIds.filter(
      (id) => !to.messageIds.includes(id) && to.channelIds.some((c) => model.channels.get(c)?.messages.has(id)),
    );
  for (const op of base.operations.values()) {
    const event = label(base, op.channelIds);
    const add: AddChange = op.action === 'receive' ? (change) => addChange({ ...change, side: 'received' }) : addChange;
    const change = (severity: Severity, rule: Rule, path: string, text: string) =>
      add({ severity, rule, event, part: 'operation', path, text });
    const renamed = renamedTo.get(op.id);
    const other = head.operations.get(op.id) ?? renamed;
    const path = `operations.${op.id}`;
    if (renamed) {
      change(
        'info',
        'operation-renamed',
        path,
        `operation id renamed ${op.id} → ${renamed.id} (same action and address)`,
      );
    }
    if (!other) {
      change('breaking', 'operation-removed', path, `operation ${op.id} removed`);
      continue;
    }
    if (op.action !== other.action) {
      change('breaking', 'operation-changed', `${path}.action`, `action changed ${op.action} → ${other.action}`);
    }
    // Channels are compared as matched above, so a routing-key change is reported once, on the channel.
    const expected = op.channelIds.map((id) => channelMap.get(id) ?? `(removed ${id})`);
    if (expected.join() !== other.channelIds.join()) {
      change(
        'breaking',
        'operation-changed',
        `${path}.channel`,
        `operation now publishes to ${label(head, other.channelIds)}`,
      );
    }
    // A message dropped from its channel is reported there; here only one the operation stopped (or started) sending.
    for (const id of notSentBy(op, other, head)) {
      change('breaking', 'message-removed', `${path}.messages`, `operation no longer sends message ${id}`);
    }
    for (const id of notSentBy(other, op, base)) {
      change('additive', 'message-added', `${path}.messages`, `operation also sends message ${id}`);
    }
    if (op.summary !== other.summary || op.description !== other.description) {
      change('info', 'docs-changed', path, 'operation summary/description changed');
    }
    compareBindings(op.bindings, other.bindings, event, 'operation', add, path);
  }
  const renamedHead = new Set([...renamedTo.values()].map((o) => o.id));
  for (const op of head.operations.values()) {
    if (base.operations.has(op.id) || renamedHead.has(op.id)) continue;
    addChange({
      severity: 'additive',
      rule: 'operation-added',
      event: label(head, op.channelIds),
      part: 'operation',
      path: `operations.${op.id}`,
      text: `new operation ${op.id}`,
      ...(op.action === 'receive' && { side: 'received' as const }),
    });
  }
}

/** Channels that some `receive` operation reads and no `send` operation publishes to: the consumed events. */
function receivedChannelIds(model: ContractModel): Set<string> {
  const ids = new Set<string>();
  for (const op of model.operations.values()) {
    if (op.action !== 'receive') continue;
    for (const id of op.channelIds) if (!model.publishedChannelIds.has(id)) ids.add(id);
  }
  return ids;
}

/** `new consumed event from order_events (queue customer-service.order-events)`. */
function newConsumedEvent(model: ContractModel, channel: ChannelContract): string {
  const amqp = channel.bindings.amqp;
  const exchange = isObject(amqp) && isObject(amqp.exchange) ? amqp.exchange.name : undefined;
  const queues = [...model.operations.values()]
    .filter((op) => op.action === 'receive' && op.channelIds.includes(channel.id))
    .map((op) => {
      const binding = op.bindings.amqp;
      const queue = isObject(binding) ? binding['x-queue'] : undefined;
      return isObject(queue) ? queue.name : undefined;
    })
    .filter((name): name is string => typeof name === 'string');
  const from = typeof exchange === 'string' ? ` from ${exchange}` : '';
  const into = queues.length > 0 ? ` (queue ${queues.join(', ')})` : '';
  return `new consumed event${from}${into}`;
}

function eventName(channel: Pick<ChannelContract, 'id' | 'address'>): string {
  return channel.address ?? channel.id;
}

function compareServers(base: ContractModel, head: ContractModel, add: AddChange): void {
  for (const server of base.servers.values()) {
    const other = head.servers.get(server.id);
    const path = `servers.${server.id}`;
    if (!other) {
      add({ severity: 'breaking', rule: 'server-removed', event: '', part: 'document', path, text: 'server removed' });
      continue;
    }
    for (const key of ['host', 'protocol', 'protocolVersion', 'pathname'] as const) {
      if (server[key] !== other[key]) {
        add({
          severity: 'breaking',
          rule: 'server-changed',
          event: '',
          part: 'document',
          path: `${path}.${key}`,
          text: `server ${key} changed ${server[key] ?? '(none)'} → ${other[key] ?? '(none)'}`,
        });
      }
    }
    if (!jsonEqual(server.bindings, other.bindings)) {
      add({
        severity: 'breaking',
        rule: 'server-changed',
        event: '',
        part: 'document',
        path: `${path}.bindings`,
        text: 'server bindings changed',
      });
    }
  }
  for (const server of head.servers.values()) {
    if (base.servers.has(server.id)) continue;
    const path = `servers.${server.id}`;
    add({ severity: 'additive', rule: 'server-added', event: '', part: 'document', path, text: 'new server' });
  }
}

/**
 * The AMQP properties each published message carries, by name, with their constant value where the document
 * gives one: from the bindings (`deliveryMode`, `timestamp`, `type` = `messageType`), the message's `contentType`,
 * `x-amqp-properties` of the operation binding, and (as 1.0.0 declared them) `x-amqp-properties` of the headers
 * schema.
 */
function amqpProperties(model: ContractModel): Map<string, Map<string, Json>> {
  const out = new Map<string, Map<string, Json>>();
  for (const op of model.operations.values()) {
    if (op.action !== 'send') continue;
    const opBinding = isObject(op.bindings.amqp) ? op.bindings.amqp : {};
    for (const channelId of op.channelIds) {
      const channel = model.channels.get(channelId);
      if (!channel) continue;
      for (const messageId of op.messageIds) {
        const message = channel.messages.get(messageId);
        if (!message) continue;
        const properties = new Map<string, Json>();
        const legacy = isObject(message.headers) ? message.headers['x-amqp-properties'] : undefined;
        if (isObject(legacy)) for (const name of Object.keys(legacy)) properties.set(name, null);
        if (opBinding.deliveryMode !== undefined) properties.set('deliveryMode', opBinding.deliveryMode);
        if (opBinding.timestamp === true) properties.set('timestamp', null);
        const messageBinding = isObject(message.bindings.amqp) ? message.bindings.amqp : {};
        if (messageBinding.messageType !== undefined) properties.set('type', messageBinding.messageType);
        if (message.contentType !== undefined) properties.set('contentType', message.contentType);
        const declared = opBinding['x-amqp-properties'];
        if (isObject(declared)) {
          for (const [name, spec] of Object.entries(declared)) {
            properties.set(name, isObject(spec) && spec.value !== undefined ? spec.value : null);
          }
        }
        out.set(channel.address ?? channel.id, properties);
      }
    }
  }
  return out;
}

function compareAmqpProperties(base: ContractModel, head: ContractModel, add: AddChange): void {
  const before = amqpProperties(base);
  const after = amqpProperties(head);
  for (const [event, properties] of before) {
    const now = after.get(event);
    if (!now) continue; // a removed event is reported once, on its channel
    for (const [name, value] of properties) {
      const path = `amqp.properties.${name}`;
      if (!now.has(name)) {
        add({
          severity: 'breaking',
          rule: 'amqp-property-removed',
          event,
          part: 'message',
          path,
          text: `AMQP property ${name} no longer set`,
        });
      } else if (value !== null && now.get(name) !== null && !jsonEqual(value, now.get(name))) {
        add({
          severity: 'breaking',
          rule: 'amqp-property-changed',
          event,
          part: 'message',
          path,
          text: `AMQP property ${name} changed ${JSON.stringify(value)} → ${JSON.stringify(now.get(name))}`,
        });
      }
    }
    for (const name of now.keys()) {
      if (properties.has(name)) continue;
      add({
        severity: 'additive',
        rule: 'amqp-property-added',
        event,
        part: 'message',
        path: `amqp.properties.${name}`,
        text: `AMQP property ${name} now declared`,
      });
    }
  }
}

/**
 * The documented kinds of binding (`<first word>.#`, `<first word>.*`, `#`) a new event reaches, so that a review
 * sees which existing queues start receiving it.
 */
function reachedBy(address: string | undefined): string {
  if (!address) return '';
  const words = address.split('.');
  const patterns = [`${words[0]}.#`, ...(words.length === 2 ? [`${words[0]}.*`] : []), '#'];
  return `; queues bound with ${patterns.join(', ')} will receive it`;
}
