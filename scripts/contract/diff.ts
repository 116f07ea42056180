import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { jsonEqual } from '../lib/asyncapi/json.js';
import {
  type ChannelContract,
  type ContractModel,
  extractContract,
  type Json,
  type MessageContract,
} from '../lib/asyncapi/model.js';
import { compareBindings } from './bindings-diff.js';
import type { AddChange, Change, Rule, Severity } from './change.js';
import { diffSchemas } from './schema-diff.js';

export type { Change, Rule, Severity } from './change.js';

/**
 * Compares the released contract (`base`) with the working spec (`head`) from the consumers' side.
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
      add({
        severity: 'breaking',
        rule: 'channel-removed',
        event,
        part: 'channel',
        path: `channels.${channel.id}`,
        text: `channel id renamed ${channel.id} → ${renamed.id}`,
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
      add({
        severity: 'breaking',
        rule: 'channel-removed',
        event,
        part: 'channel',
        path: `channels.${channel.id}`,
        text: 'channel removed',
      });
    }
  }
  for (const [b, h] of pairs) {
    compareChannel(b, h, add);
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
    add({
      severity: 'additive',
      rule: published ? 'event-added' : 'channel-added',
      event: eventName(channel),
      part: 'channel',
      path: `channels.${channel.id}`,
      text: published ? 'new event' : 'new channel',
    });
  }

  compareOperations(base, head, new Map(pairs.map(([b, h]) => [b.id, h.id])), add);
  return changes;
}

function compareChannel(b: ChannelContract, h: ChannelContract, add: AddChange): void {
  const event = eventName(b);
  if (b.address !== h.address) {
    add({
      severity: 'breaking',
      rule: 'routing-key-changed',
      event,
      part: 'channel',
      path: `channels.${h.id}.address`,
      text: `routing key changed ${b.address ?? '(none)'} → ${h.address ?? '(none)'}`,
    });
  }
  if (b.description !== h.description) {
    add({
      severity: 'info',
      rule: 'docs-changed',
      event,
      part: 'channel',
      path: `channels.${h.id}.description`,
      text: 'description changed',
    });
  }
  compareBindings(b.bindings, h.bindings, event, 'channel', add);

  const multi = b.messages.size > 1 || h.messages.size > 1;
  const matched = new Set<string>();
  for (const message of b.messages.values()) {
    const same =
      h.messages.get(message.id) ??
      [...h.messages.values()].find((m) => !b.messages.has(m.id) && m.name !== undefined && m.name === message.name);
    if (!same) {
      add({
        severity: 'breaking',
        rule: 'message-removed',
        event,
        part: 'message',
        path: `messages.${message.id}`,
        text: 'message removed',
        ...(multi && { messageId: message.id }),
      });
      continue;
    }
    matched.add(same.id);
    if (same.id !== message.id) {
      add({
        severity: 'breaking',
        rule: 'message-removed',
        event,
        part: 'message',
        path: `messages.${message.id}`,
        text: `message id renamed ${message.id} → ${same.id}`,
      });
    }
    compareMessage(message, same, event, multi, add);
  }
  for (const message of h.messages.values()) {
    if (matched.has(message.id)) continue;
    add({
      severity: 'additive',
      rule: 'message-added',
      event,
      part: 'message',
      path: `messages.${message.id}`,
      text: 'new message',
      ...(multi && { messageId: message.id }),
    });
  }
}

function compareMessage(b: MessageContract, h: MessageContract, event: string, multi: boolean, add: AddChange): void {
  const messageId = multi ? { messageId: h.id } : {};
  const at = (part: Change['part'], path: string, severity: Severity, rule: Rule, text: string) =>
    add({ severity, rule, event, part, path, text, ...messageId });

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

  for (const c of diffSchemas(b.payload, h.payload)) at('payload', c.path, c.severity, c.rule, c.text);
  if (b.headers === undefined && h.headers !== undefined)
    at('headers', 'headers', 'additive', 'field-added', 'message headers added');
  else if (b.headers !== undefined && h.headers === undefined)
    at('headers', 'headers', 'breaking', 'field-removed', 'message headers removed');
  else for (const c of diffSchemas(b.headers, h.headers, 'headers')) at('headers', c.path, c.severity, c.rule, c.text);

  // Examples are matched by name, unnamed ones by position.
  const key = (e: MessageContract['examples'][number], i: number) => e.name ?? `#${i + 1}`;
  const baseExamples = new Map(b.examples.map((e, i) => [key(e, i), e]));
  const headExamples = new Map(h.examples.map((e, i) => [key(e, i), e]));
  for (const [name, example] of baseExamples) {
    const other = headExamples.get(name);
    if (!other) at('message', `examples.${name}`, 'info', 'example-removed', `example ${name} removed`);
    else if (!jsonEqual(example as unknown as Json, other as unknown as Json)) {
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
  add: AddChange,
): void {
  const label = (model: ContractModel, channelIds: string[]) =>
    channelIds.map((id) => eventName(model.channels.get(id) ?? { id, address: undefined })).join(', ');
  for (const op of base.operations.values()) {
    const event = label(base, op.channelIds);
    const other = head.operations.get(op.id);
    const path = `operations.${op.id}`;
    if (!other) {
      add({
        severity: 'breaking',
        rule: 'operation-removed',
        event,
        part: 'operation',
        path,
        text: `operation ${op.id} removed`,
      });
      continue;
    }
    if (op.action !== other.action) {
      add({
        severity: 'breaking',
        rule: 'operation-changed',
        event,
        part: 'operation',
        path: `${path}.action`,
        text: `action changed ${op.action} → ${other.action}`,
      });
    }
    // Channels are compared as matched above, so a routing-key change is reported once, on the channel.
    const expected = op.channelIds.map((id) => channelMap.get(id) ?? `(removed ${id})`);
    if (expected.join() !== other.channelIds.join()) {
      const headEvent = label(head, other.channelIds);
      add({
        severity: 'breaking',
        rule: 'operation-changed',
        event,
        part: 'operation',
        path: `${path}.channel`,
        text: `operation now publishes to ${headEvent}`,
      });
    }
    // A message dropped from its channel is reported there; here only one the operation stopped sending.
    const inHeadChannels = (id: string) => other.channelIds.some((c) => head.channels.get(c)?.messages.has(id));
    for (const id of op.messageIds) {
      if (!other.messageIds.includes(id) && inHeadChannels(id)) {
        add({
          severity: 'breaking',
          rule: 'message-removed',
          event,
          part: 'operation',
          path: `${path}.messages`,
          text: `operation no longer sends message ${id}`,
        });
      }
    }
    const inBaseChannels = (id: string) => op.channelIds.some((c) => base.channels.get(c)?.messages.has(id));
    for (const id of other.messageIds) {
      if (!op.messageIds.includes(id) && inBaseChannels(id)) {
        add({
          severity: 'additive',
          rule: 'message-added',
          event,
          part: 'operation',
          path: `${path}.messages`,
          text: `operation also sends message ${id}`,
        });
      }
    }
    if (op.summary !== other.summary || op.description !== other.description) {
      add({
        severity: 'info',
        rule: 'docs-changed',
        event,
        part: 'operation',
        path,
        text: 'operation summary/description changed',
      });
    }
    compareBindings(op.bindings, other.bindings, event, 'operation', add, path);
  }
  for (const op of head.operations.values()) {
    if (base.operations.has(op.id)) continue;
    add({
      severity: 'additive',
      rule: 'operation-added',
      event: label(head, op.channelIds),
      part: 'operation',
      path: `operations.${op.id}`,
      text: `new operation ${op.id}`,
    });
  }
}

function eventName(channel: Pick<ChannelContract, 'id' | 'address'>): string {
  return channel.address ?? channel.id;
}
