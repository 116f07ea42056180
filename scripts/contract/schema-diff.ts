import { isObject, type Json, type JsonObject, jsonEqual } from '../lib/asyncapi/json.js';
import type { SchemaChange, SchemaRule, Severity } from './change.js';
import {
  compareBounds,
  compareFormat,
  compareValues,
  LOWER_BOUNDS,
  type Push,
  UPPER_BOUNDS,
} from './schema-keywords.js';
import { type Node, normalise } from './schema-node.js';

export type { SchemaChange } from './change.js';

/**
 * Compares two resolved JSON Schemas of something the service *produces*, from the consumer's side:
 * a change is breaking when the head schema admits a value the base schema did not promise
 * (wider type, removed or optional field, new null, new enum value, looser bound, …).
 *
 * Deliberate choices (tolerant-reader consumers, i.e. they ignore fields they do not know):
 * - a new field, required or not, is additive: the producer sends more;
 * - `additionalProperties: false` → open is info, not breaking: it is the same assumption that makes a new
 *   field additive, and the documented fields keep their types;
 * - a removed *optional* field is still breaking: consumers that read it lose it silently;
 * - narrowing (fewer enum values, tighter bounds, a type subset such as number → integer) is info;
 * - a change to a keyword this walker does not understand (`if`, `not`, `patternProperties`, …) is reported
 *   as breaking ("unclassified") rather than passed silently.
 */
export function diffSchemas(base: Json | undefined, head: Json | undefined, path = ''): SchemaChange[] {
  const out: SchemaChange[] = [];
  if (base === undefined && head === undefined) return out;
  if (base === undefined) {
    out.push({ severity: 'info', rule: 'constraint-tightened', path, text: 'schema added' });
  } else if (head === undefined) {
    out.push({ severity: 'breaking', rule: 'constraint-loosened', path, text: 'schema removed (anything goes now)' });
  } else {
    compare(base, head, path, out, new WeakMap());
  }
  return out;
}

/** Compares a pair of sub-schemas at `at`, in the same walk (its changes, each pair once). */
type Recurse = (base: Json, head: Json, at: string) => void;

const DOC_KEYWORDS = ['title', 'description', 'examples', 'example', 'default', '$comment'] as const;
/** Keywords compared by a rule of their own; any other keyword that changes is reported as unclassified. */
const HANDLED = new Set<string>([
  ...LOWER_BOUNDS,
  ...UPPER_BOUNDS,
  ...DOC_KEYWORDS,
  'type',
  'nullable',
  'format',
  'const',
  'enum',
  'oneOf',
  'anyOf',
  'allOf',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'prefixItems',
  'pattern',
  'multipleOf',
  'uniqueItems',
  'deprecated',
  'readOnly',
  'writeOnly',
  'discriminator',
  '$schema',
  '$id',
]);

function compare(
  baseSchema: Json,
  headSchema: Json,
  path: string,
  out: SchemaChange[],
  visited: WeakMap<object, WeakSet<object>>,
): void {
  if (isObject(baseSchema) && isObject(headSchema)) {
    // Recursive schemas are cyclic objects: compare each (base, head) pair once.
    const pairs = visited.get(baseSchema) ?? new WeakSet<object>();
    if (pairs.has(headSchema)) return;
    pairs.add(headSchema);
    visited.set(baseSchema, pairs);
  }
  const push = (severity: Severity, rule: SchemaRule, text: string, at = path, refuses?: boolean) =>
    out.push({ severity, rule, path: at, text, ...(refuses !== undefined && { refuses }) });
  const base = normalise(baseSchema);
  const head = normalise(headSchema);

  if (base.rejectsAll || head.rejectsAll) {
    if (base.rejectsAll && !head.rejectsAll)
      push('breaking', 'constraint-loosened', 'schema was `false`, now accepts values');
    if (!base.rejectsAll && head.rejectsAll) push('info', 'constraint-tightened', 'schema is now `false`');
    return;
  }

  if (!base.acceptsNull && head.acceptsNull) push('breaking', 'made-nullable', 'made nullable');
  if (base.acceptsNull && !head.acceptsNull) push('info', 'made-non-nullable', 'no longer nullable');

  // Types. integer ⊂ number, so number → integer narrows and integer → number widens.
  if (base.types && head.types) {
    const covered = (types: Set<string>, t: string) => types.has(t) || (t === 'integer' && types.has('number'));
    const added = [...head.types].filter((t) => !covered(base.types!, t));
    if (added.length > 0) {
      // integer → number, string → string|integer: the new types cover every old value (a pure widening).
      const refuses = [...base.types].some((t) => !covered(head.types!, t));
      const text = `type changed ${formatTypes(base.types)} → ${formatTypes(head.types)}`;
      push('breaking', 'type-changed', text, path, refuses);
      // Nothing in common: comparing fields of an object that became a string is noise.
      if (![...head.types].some((t) => covered(base.types!, t))) return;
    } else if (!sameSet(base.types, head.types)) {
      push('info', 'type-narrowed', `type narrowed ${formatTypes(base.types)} → ${formatTypes(head.types)}`);
    }
  } else if (base.types && !head.types) {
    push('breaking', 'type-changed', `type changed ${formatTypes(base.types)} → any (type removed)`, path, false);
  } else if (!base.types && head.types) {
    push('info', 'type-narrowed', `type set to ${formatTypes(head.types)}`);
  }

  compareFormat(base.raw.format, head.raw.format, push);
  compareValues(base, head, push);
  compareBounds(base.raw, head.raw, push, isInteger(base) && isInteger(head));
  const recurse: Recurse = (b, h, at) => compare(b, h, at, out, visited);
  compareObject(base, head, path, recurse, push);
  compareItems(base.raw, head.raw, path, recurse, push);
  compareVariants(base, head, path, recurse, push);

  if (head.raw.deprecated === true && base.raw.deprecated !== true) push('info', 'deprecated', 'marked deprecated');
  const docEdits = DOC_KEYWORDS.filter((k) => !jsonEqual(base.raw[k], head.raw[k]));
  if (docEdits.length > 0) push('info', 'docs-changed', `${docEdits.join(', ')} changed`);

  const keys = new Set([...Object.keys(base.raw), ...Object.keys(head.raw)]);
  for (const key of keys) {
    if (HANDLED.has(key) || key.startsWith('x-')) continue;
    if (!jsonEqual(base.raw[key], head.raw[key])) {
      push('breaking', 'unclassified', `\`${key}\` changed (not analysed by contract-check; review by hand)`);
    }
  }
}

function compareObject(base: Node, head: Node, path: string, recurse: Recurse, push: Push): void {
  for (const [name, schema] of base.properties) {
    const at = child(path, name);
    const headSchema = head.properties.get(name);
    if (headSchema === undefined) {
      push('breaking', 'field-removed', base.required.has(name) ? 'required field removed' : 'field removed', at);
      continue;
    }
    if (base.required.has(name) && !head.required.has(name))
      push('breaking', 'field-made-optional', 'field made optional', at);
    if (!base.required.has(name) && head.required.has(name))
      push('info', 'field-made-required', 'field is now required', at);
    recurse(schema, headSchema, at);
  }
  for (const name of head.properties.keys()) {
    if (base.properties.has(name)) continue;
    const required = head.required.has(name);
    if (required)
      push('additive', 'required-field-added', 'new required field (old events lack it)', child(path, name));
    else push('additive', 'field-added', 'new optional field', child(path, name));
  }
  // `required` names without a `properties` entry on either side.
  for (const name of base.required) {
    if (!base.properties.has(name) && !head.properties.has(name) && !head.required.has(name)) {
      push('breaking', 'field-made-optional', 'field made optional', child(path, name));
    }
  }

  const b = base.raw.additionalProperties;
  const h = head.raw.additionalProperties;
  const bClosed = b === false;
  const hClosed = h === false;
  if (bClosed && !hClosed) {
    push(
      'info',
      'additional-properties-opened',
      'additionalProperties false → open (tolerant readers ignore unknown fields)',
    );
  } else if (!bClosed && hClosed) {
    push('info', 'additional-properties-closed', 'additionalProperties closed (false)');
  }
  const bSchema = isObject(b) ? b : undefined;
  const hSchema = isObject(h) ? h : undefined;
  if (bSchema && hSchema) recurse(bSchema, hSchema, child(path, '*'));
  else if (bSchema && !hClosed)
    push('breaking', 'constraint-loosened', 'additionalProperties schema removed', child(path, '*'));
  else if (hSchema && !bClosed)
    push('info', 'constraint-tightened', 'additionalProperties schema added', child(path, '*'));
}

function compareItems(base: JsonObject, head: JsonObject, path: string, recurse: Recurse, push: Push): void {
  const b = base.prefixItems ?? (Array.isArray(base.items) ? base.items : undefined);
  const h = head.prefixItems ?? (Array.isArray(head.items) ? head.items : undefined);
  if (Array.isArray(b) || Array.isArray(h)) {
    const bt = Array.isArray(b) ? b : [];
    const ht = Array.isArray(h) ? h : [];
    for (let i = 0; i < Math.max(bt.length, ht.length); i++) {
      const bi = bt[i];
      const hi = ht[i];
      const at = `${path}[${i}]`;
      if (bi !== undefined && hi !== undefined) recurse(bi, hi, at);
      else if (bi !== undefined) push('breaking', 'constraint-loosened', 'tuple item schema removed', at);
      else push('info', 'constraint-tightened', 'tuple item schema added', at);
    }
  }
  const bItems = Array.isArray(base.items) ? undefined : base.items;
  const hItems = Array.isArray(head.items) ? undefined : head.items;
  if (bItems !== undefined && hItems !== undefined) recurse(bItems, hItems, `${path}[]`);
  else if (bItems !== undefined) push('breaking', 'constraint-loosened', 'items schema removed', `${path}[]`);
  else if (hItems !== undefined) push('info', 'constraint-tightened', 'items schema added', `${path}[]`);
}

function compareVariants(base: Node, head: Node, path: string, recurse: Recurse, push: Push): void {
  const b = base.variants;
  const h = head.variants;
  if (!b && !h) return;
  if (b && !h) {
    push('breaking', 'constraint-loosened', `${b.keyword} removed`);
    return;
  }
  if (!b && h) {
    push('info', 'constraint-tightened', `${h.keyword} added`);
    return;
  }
  if (!b || !h) return;
  if (b.keyword !== h.keyword)
    push('breaking', 'unclassified', `${b.keyword} changed to ${h.keyword} (review by hand)`);
  // Branches are matched by title where they have one, otherwise by position.
  const title = (s: Json | undefined) => (isObject(s) && typeof s.title === 'string' ? s.title : undefined);
  const match = new Map<number, number>();
  const usedHead = new Set<number>();
  b.branches.forEach((branch, i) => {
    const t = title(branch);
    const j = t === undefined ? -1 : h.branches.findIndex((x, k) => !usedHead.has(k) && title(x) === t);
    if (j >= 0) {
      match.set(i, j);
      usedHead.add(j);
    }
  });
  b.branches.forEach((branch, i) => {
    if (match.has(i) || title(branch) !== undefined) return;
    if (i < h.branches.length && !usedHead.has(i) && title(h.branches[i]) === undefined) {
      match.set(i, i);
      usedHead.add(i);
    }
  });
  b.branches.forEach((branch, i) => {
    const at = `${path}.${b.keyword}[${i}]`;
    const j = match.get(i);
    const headBranch = j === undefined ? undefined : h.branches[j];
    if (headBranch === undefined) push('info', 'variant-removed', `${b.keyword} variant removed`, at);
    else recurse(branch, headBranch, at);
  });
  h.branches.forEach((_, k) => {
    if (!usedHead.has(k)) push('breaking', 'variant-added', `${h.keyword} variant added`, `${path}.${h.keyword}[${k}]`);
  });
}

function isInteger(node: Node): boolean {
  return node.types !== undefined && node.types.size === 1 && node.types.has('integer');
}

function child(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

function formatTypes(types: Set<string>): string {
  return types.size === 0 ? 'null' : [...types].sort().join('|');
}
