import { type Json, type JsonObject, jsonEqual, stableStringify } from '../lib/asyncapi/json.js';
import type { AddChange } from './change.js';

/**
 * Bindings are compared leaf by leaf. Anything changed or removed is breaking: a consumer declaring the exchange
 * with other arguments gets 406 PRECONDITION_FAILED, and delivery settings change what it receives.
 * A leaf that only appears in head is info (usually a default written out); `bindingVersion` is info.
 */
export function compareBindings(
  base: JsonObject,
  head: JsonObject,
  event: string,
  part: 'channel' | 'operation' | 'message',
  add: AddChange,
  prefix = '',
): void {
  const b = leaves(base);
  const h = leaves(head);
  const at = (key: string) => `${prefix ? `${prefix}.` : ''}bindings.${key}`;
  for (const [key, value] of b) {
    const other = h.get(key);
    if (other !== undefined && jsonEqual(value, other)) continue;
    const isVersion = key.endsWith('.bindingVersion');
    const isExchange = /^amqp\.exchange\./.test(key);
    const text =
      other === undefined
        ? `${part} binding ${key} removed (was ${show(value)})`
        : `${isExchange ? 'exchange' : `${part} binding`} ${key.replace(/^amqp\.exchange\./, '')} changed ${show(value)} → ${show(other)}`;
    add({
      severity: isVersion ? 'info' : 'breaking',
      rule: isExchange ? 'exchange-changed' : 'binding-changed',
      event,
      part,
      path: at(key),
      text,
    });
  }
  for (const [key, value] of h) {
    if (b.has(key)) continue;
    add({
      severity: 'info',
      rule: 'binding-changed',
      event,
      part,
      path: at(key),
      text: `${part} binding ${key} added (${show(value)})`,
    });
  }
}

/** Leaves of a binding; `x-amqp-properties` is compared on its own (diff.ts), descriptions are documentation. */
function leaves(value: Json, prefix = '', out = new Map<string, Json>()): Map<string, Json> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'x-amqp-properties' || k === 'description') continue;
      leaves(v, prefix ? `${prefix}.${k}` : k, out);
    }
  } else if (prefix) out.set(prefix, value);
  return out;
}

function show(value: Json): string {
  return typeof value === 'string' ? value : stableStringify(value);
}
