// The keyword rules of the schema comparison: format, const/enum values, numeric/length/count bounds, pattern.

import { type Json, type JsonObject, jsonEqual, stableStringify } from '../lib/asyncapi/json.js';
import type { SchemaRule, Severity } from './change.js';
import type { Node } from './schema-node.js';

export const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
export const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;

/**
 * Records one finding. `refuses` overrides what the rule says about values the base schema admitted (see
 * {@link SchemaChange.refuses}); give it where one rule covers both a pure widening and a change that also refuses.
 */
export type Push = (severity: Severity, rule: SchemaRule, text: string, at?: string, refuses?: boolean) => void;

export function compareFormat(base: Json | undefined, head: Json | undefined, push: Push): void {
  if (jsonEqual(base, head)) return;
  if (base === undefined) push('info', 'format-added', `format ${String(head)} added`);
  else if (head === undefined) push('breaking', 'format-changed', `format ${String(base)} removed`, undefined, false);
  else push('breaking', 'format-changed', `format changed ${String(base)} → ${String(head)}`);
}

export function compareValues(base: Node, head: Node, push: Push): void {
  const b = base.values;
  const h = head.values;
  if (!b && !h) return;
  if (!b && h) {
    push('info', 'values-restricted', `${head.valuesFrom} ${formatValues(h)} added`);
    return;
  }
  if (b && !h) {
    push(
      'breaking',
      base.valuesFrom === 'const' ? 'const-changed' : 'enum-widened',
      `${base.valuesFrom} removed (was ${formatValues(b)})`,
      undefined,
      false,
    );
    return;
  }
  if (!b || !h) return;
  const added = h.filter((v) => !b.some((w) => jsonEqual(v, w)));
  const removed = b.filter((v) => !h.some((w) => jsonEqual(v, w)));
  if (added.length > 0) {
    if (base.valuesFrom === 'const') {
      push(
        'breaking',
        'const-changed',
        `const changed ${formatValues(b)} → ${head.valuesFrom === 'const' ? formatValues(h) : `enum ${formatValues(h)}`}`,
        undefined,
        removed.length > 0,
      );
    } else {
      push('breaking', 'enum-widened', `enum widened: added ${formatValues(added)}`);
    }
  }
  if (removed.length > 0 && base.valuesFrom === 'enum') {
    push('info', 'enum-narrowed', `enum narrowed: removed ${formatValues(removed)}`);
  }
}

type Bound = { value: number; exclusive: boolean } | undefined;

/**
 * The effective lower or upper bound of a number: `minimum`/`exclusiveMinimum` (draft-07 numbers) taken together,
 * and on an integer turned inclusive (`exclusiveMinimum: 0` is `minimum: 1`), so that two spellings of the same
 * bound compare equal.
 */
function effectiveBound(schema: JsonObject, side: 'lower' | 'upper', integer: boolean): Bound {
  const inclusive = schema[side === 'lower' ? 'minimum' : 'maximum'];
  const exclusive = schema[side === 'lower' ? 'exclusiveMinimum' : 'exclusiveMaximum'];
  const candidates: { value: number; exclusive: boolean }[] = [];
  if (typeof inclusive === 'number') candidates.push({ value: inclusive, exclusive: false });
  if (typeof exclusive === 'number') candidates.push({ value: exclusive, exclusive: true });
  const normal = candidates.map((b) => {
    if (!integer) return b;
    if (side === 'lower')
      return { value: b.exclusive ? Math.floor(b.value) + 1 : Math.ceil(b.value), exclusive: false };
    return { value: b.exclusive ? Math.ceil(b.value) - 1 : Math.floor(b.value), exclusive: false };
  });
  // The tightest of the two when both are given.
  const sign = side === 'lower' ? 1 : -1;
  return normal.reduce<Bound>((best, b) => {
    if (!best) return b;
    const d = (b.value - best.value) * sign;
    return d > 0 || (d === 0 && b.exclusive) ? b : best;
  }, undefined);
}

/** > 0 when `head` is tighter than `base`, < 0 when looser, 0 when the same. */
function boundOrder(base: Bound, head: Bound, side: 'lower' | 'upper'): number {
  if (!base && !head) return 0;
  if (!base) return 1;
  if (!head) return -1;
  const d = (head.value - base.value) * (side === 'lower' ? 1 : -1);
  if (d !== 0) return d;
  return Number(head.exclusive) - Number(base.exclusive);
}

function showBound(bound: Bound, side: 'lower' | 'upper'): string {
  if (!bound) return 'none';
  return `${side === 'lower' ? '>' : '<'}${bound.exclusive ? '' : '='} ${bound.value}`;
}

export function compareBounds(base: JsonObject, head: JsonObject, push: Push, integer = false): void {
  for (const side of ['lower', 'upper'] as const) {
    const b = effectiveBound(base, side, integer);
    const h = effectiveBound(head, side, integer);
    const order = boundOrder(b, h, side);
    const what = side === 'lower' ? 'minimum' : 'maximum';
    if (order > 0)
      push('info', 'constraint-tightened', `${what} tightened ${showBound(b, side)} → ${showBound(h, side)}`);
    else if (order < 0)
      push('breaking', 'constraint-loosened', `${what} loosened ${showBound(b, side)} → ${showBound(h, side)}`);
  }
  for (const [keys, direction] of [
    [LOWER_BOUNDS.filter((k) => k !== 'minimum' && k !== 'exclusiveMinimum'), 1],
    [UPPER_BOUNDS.filter((k) => k !== 'maximum' && k !== 'exclusiveMaximum'), -1],
  ] as const) {
    for (const key of keys) {
      const b = base[key];
      const h = head[key];
      if (jsonEqual(b, h)) continue;
      if (h === undefined) push('breaking', 'constraint-loosened', `${key} ${String(b)} removed`);
      else if (b === undefined) push('info', 'constraint-tightened', `${key} ${String(h)} added`);
      else if (typeof b === 'number' && typeof h === 'number' && (h - b) * direction > 0) {
        push('info', 'constraint-tightened', `${key} tightened ${b} → ${h}`);
      } else push('breaking', 'constraint-loosened', `${key} loosened ${String(b)} → ${String(h)}`);
    }
  }
  if (!jsonEqual(base.pattern, head.pattern)) {
    if (base.pattern === undefined) push('info', 'constraint-tightened', `pattern ${String(head.pattern)} added`);
    else if (head.pattern === undefined)
      push('breaking', 'constraint-loosened', `pattern ${String(base.pattern)} removed`);
    else {
      // A different pattern admits other strings, and may refuse some the old one admitted.
      const text = `pattern changed ${String(base.pattern)} → ${String(head.pattern)}`;
      push('breaking', 'constraint-loosened', text, undefined, true);
    }
  }
  if (!jsonEqual(base.multipleOf, head.multipleOf)) {
    const b = base.multipleOf;
    const h = head.multipleOf;
    if (b === undefined) push('info', 'constraint-tightened', `multipleOf ${String(h)} added`);
    else if (typeof b === 'number' && typeof h === 'number' && Number.isInteger(h / b)) {
      push('info', 'constraint-tightened', `multipleOf tightened ${b} → ${h}`);
    } else {
      // Only a divisor of the old step is a pure loosening (0.01 → 0.005); any other step also refuses values.
      const divides = typeof b === 'number' && typeof h === 'number' && Number.isInteger(b / h);
      push('breaking', 'constraint-loosened', `multipleOf changed ${String(b)} → ${String(h)}`, undefined, !divides);
    }
  }
  if (base.uniqueItems === true && head.uniqueItems !== true)
    push('breaking', 'constraint-loosened', 'uniqueItems removed');
  if (base.uniqueItems !== true && head.uniqueItems === true) push('info', 'constraint-tightened', 'uniqueItems added');
}

function formatValues(values: Json[]): string {
  return values.map((v) => stableStringify(v)).join(', ');
}
