import type { Json, JsonObject } from './model.js';

/**
 * breaking: a consumer written against the base contract can receive something it was promised it would not.
 * additive: the contract grew (new event, field, example); consumers that ignore unknown fields are unaffected.
 * info: anything else worth seeing in review (narrowing, tightening, documentation edits).
 */
export type Severity = 'breaking' | 'additive' | 'info';

export type SchemaRule =
  | 'field-removed'
  | 'field-added'
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
}

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

interface Node {
  raw: JsonObject;
  rejectsAll: boolean;
  /** Non-null types; undefined when the schema does not constrain the type. */
  types: Set<string> | undefined;
  acceptsNull: boolean;
  /** Allowed non-null values from `const` / `enum`. */
  values: Json[] | undefined;
  valuesFrom: 'const' | 'enum' | undefined;
  variants: { keyword: 'oneOf' | 'anyOf'; branches: Json[] } | undefined;
  properties: Map<string, Json>;
  required: Set<string>;
}

const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;
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
  const push = (severity: Severity, rule: SchemaRule, text: string, at = path) =>
    out.push({ severity, rule, path: at, text });
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
      push('breaking', 'type-changed', `type changed ${formatTypes(base.types)} → ${formatTypes(head.types)}`);
      // Nothing in common: comparing fields of an object that became a string is noise.
      if (![...head.types].some((t) => covered(base.types!, t))) return;
    } else if (!sameSet(base.types, head.types)) {
      push('info', 'type-narrowed', `type narrowed ${formatTypes(base.types)} → ${formatTypes(head.types)}`);
    }
  } else if (base.types && !head.types) {
    push('breaking', 'type-changed', `type changed ${formatTypes(base.types)} → any (type removed)`);
  } else if (!base.types && head.types) {
    push('info', 'type-narrowed', `type set to ${formatTypes(head.types)}`);
  }

  compareFormat(base.raw.format, head.raw.format, push);
  compareValues(base, head, push);
  compareBounds(base.raw, head.raw, push);
  compareObject(base, head, path, out, visited, push);
  compareItems(base.raw, head.raw, path, out, visited, push);
  compareVariants(base, head, path, out, visited, push);

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

type Push = (severity: Severity, rule: SchemaRule, text: string, at?: string) => void;

function compareFormat(base: Json | undefined, head: Json | undefined, push: Push): void {
  if (jsonEqual(base, head)) return;
  if (base === undefined) push('info', 'format-added', `format ${String(head)} added`);
  else if (head === undefined) push('breaking', 'format-changed', `format ${String(base)} removed`);
  else push('breaking', 'format-changed', `format changed ${String(base)} → ${String(head)}`);
}

function compareValues(base: Node, head: Node, push: Push): void {
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
      );
    } else {
      push('breaking', 'enum-widened', `enum widened: added ${formatValues(added)}`);
    }
  }
  if (removed.length > 0 && base.valuesFrom === 'enum') {
    push('info', 'enum-narrowed', `enum narrowed: removed ${formatValues(removed)}`);
  }
}

function compareBounds(base: JsonObject, head: JsonObject, push: Push): void {
  for (const [keys, direction] of [
    [LOWER_BOUNDS, 1],
    [UPPER_BOUNDS, -1],
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
    else push('breaking', 'constraint-loosened', `pattern changed ${String(base.pattern)} → ${String(head.pattern)}`);
  }
  if (!jsonEqual(base.multipleOf, head.multipleOf)) {
    const b = base.multipleOf;
    const h = head.multipleOf;
    if (b === undefined) push('info', 'constraint-tightened', `multipleOf ${String(h)} added`);
    else if (typeof b === 'number' && typeof h === 'number' && Number.isInteger(h / b)) {
      push('info', 'constraint-tightened', `multipleOf tightened ${b} → ${h}`);
    } else push('breaking', 'constraint-loosened', `multipleOf changed ${String(b)} → ${String(h)}`);
  }
  if (base.uniqueItems === true && head.uniqueItems !== true)
    push('breaking', 'constraint-loosened', 'uniqueItems removed');
  if (base.uniqueItems !== true && head.uniqueItems === true) push('info', 'constraint-tightened', 'uniqueItems added');
}

function compareObject(
  base: Node,
  head: Node,
  path: string,
  out: SchemaChange[],
  visited: WeakMap<object, WeakSet<object>>,
  push: Push,
): void {
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
    compare(schema, headSchema, at, out, visited);
  }
  for (const name of head.properties.keys()) {
    if (base.properties.has(name)) continue;
    const required = head.required.has(name);
    push('additive', 'field-added', required ? 'new required field' : 'new optional field', child(path, name));
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
  if (bSchema && hSchema) compare(bSchema, hSchema, child(path, '*'), out, visited);
  else if (bSchema && !hClosed)
    push('breaking', 'constraint-loosened', 'additionalProperties schema removed', child(path, '*'));
  else if (hSchema && !bClosed)
    push('info', 'constraint-tightened', 'additionalProperties schema added', child(path, '*'));
}

function compareItems(
  base: JsonObject,
  head: JsonObject,
  path: string,
  out: SchemaChange[],
  visited: WeakMap<object, WeakSet<object>>,
  push: Push,
): void {
  const b = base.prefixItems ?? (Array.isArray(base.items) ? base.items : undefined);
  const h = head.prefixItems ?? (Array.isArray(head.items) ? head.items : undefined);
  if (Array.isArray(b) || Array.isArray(h)) {
    const bt = Array.isArray(b) ? b : [];
    const ht = Array.isArray(h) ? h : [];
    for (let i = 0; i < Math.max(bt.length, ht.length); i++) {
      const bi = bt[i];
      const hi = ht[i];
      const at = `${path}[${i}]`;
      if (bi !== undefined && hi !== undefined) compare(bi, hi, at, out, visited);
      else if (bi !== undefined) push('breaking', 'constraint-loosened', 'tuple item schema removed', at);
      else push('info', 'constraint-tightened', 'tuple item schema added', at);
    }
  }
  const bItems = Array.isArray(base.items) ? undefined : base.items;
  const hItems = Array.isArray(head.items) ? undefined : head.items;
  if (bItems !== undefined && hItems !== undefined) compare(bItems, hItems, `${path}[]`, out, visited);
  else if (bItems !== undefined) push('breaking', 'constraint-loosened', 'items schema removed', `${path}[]`);
  else if (hItems !== undefined) push('info', 'constraint-tightened', 'items schema added', `${path}[]`);
}

function compareVariants(
  base: Node,
  head: Node,
  path: string,
  out: SchemaChange[],
  visited: WeakMap<object, WeakSet<object>>,
  push: Push,
): void {
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
    else compare(branch, headBranch, at, out, visited);
  });
  h.branches.forEach((_, k) => {
    if (!usedHead.has(k)) push('breaking', 'variant-added', `${h.keyword} variant added`, `${path}.${h.keyword}[${k}]`);
  });
}

function normalise(schema: Json): Node {
  if (schema === false) return emptyNode({}, true);
  let raw: JsonObject = isObject(schema) ? schema : {};
  raw = mergeAllOf(raw);

  let acceptsNullFromVariants = false;
  let variants: Node['variants'];
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const branches = raw[keyword];
    if (!Array.isArray(branches)) continue;
    const nonNull = branches.filter((b) => !isNullSchema(b));
    if (nonNull.length < branches.length) acceptsNullFromVariants = true;
    const only = nonNull[0];
    if (nonNull.length === 1 && isObject(only)) {
      // `oneOf: [X, {type: 'null'}]` is "nullable X": compare it as X plus null.
      const { [keyword]: _, ...rest } = raw;
      raw = { ...rest, ...mergeAllOf(only) };
    } else {
      variants = { keyword, branches: nonNull };
    }
    break;
  }

  const typeList =
    typeof raw.type === 'string' ? [raw.type] : Array.isArray(raw.type) ? raw.type.map(String) : undefined;
  const types = typeList ? new Set(typeList.filter((t) => t !== 'null')) : undefined;
  let values: Json[] | undefined;
  let valuesFrom: Node['valuesFrom'];
  if ('const' in raw) {
    values = raw.const === null ? [] : [raw.const as Json];
    valuesFrom = 'const';
  } else if (Array.isArray(raw.enum)) {
    values = raw.enum.filter((v) => v !== null);
    valuesFrom = 'enum';
  }
  const nullValue = ('const' in raw && raw.const === null) || (Array.isArray(raw.enum) && raw.enum.includes(null));
  const typeAllowsNull = typeList === undefined || typeList.includes('null') || raw.nullable === true;
  const valuesAllowNull = values === undefined || nullValue;
  const acceptsNull =
    acceptsNullFromVariants || (typeAllowsNull && valuesAllowNull && (variants === undefined || nullValue));

  const node = emptyNode(raw, false);
  node.types = types && types.size > 0 ? types : typeList?.includes('null') ? new Set() : undefined;
  node.acceptsNull = acceptsNull;
  node.values = values;
  node.valuesFrom = valuesFrom;
  node.variants = variants;
  if (isObject(raw.properties)) for (const [k, v] of Object.entries(raw.properties)) node.properties.set(k, v);
  if (Array.isArray(raw.required)) for (const r of raw.required) if (typeof r === 'string') node.required.add(r);
  return node;
}

function emptyNode(raw: JsonObject, rejectsAll: boolean): Node {
  return {
    raw,
    rejectsAll,
    types: undefined,
    acceptsNull: !rejectsAll,
    values: undefined,
    valuesFrom: undefined,
    variants: undefined,
    properties: new Map(),
    required: new Set(),
  };
}

/** Flattens `allOf` the simple way (properties and required united, first keyword wins): enough for envelopes. */
function mergeAllOf(raw: JsonObject): JsonObject {
  if (!Array.isArray(raw.allOf)) return raw;
  const { allOf, ...rest } = raw;
  const merged: JsonObject = { ...rest };
  const properties: JsonObject = isObject(rest.properties) ? { ...rest.properties } : {};
  const required = new Set(Array.isArray(rest.required) ? rest.required.map(String) : []);
  for (const part of allOf) {
    if (!isObject(part)) continue;
    const flat = mergeAllOf(part);
    if (isObject(flat.properties)) Object.assign(properties, flat.properties);
    if (Array.isArray(flat.required)) for (const r of flat.required) required.add(String(r));
    for (const [k, v] of Object.entries(flat)) if (!(k in merged)) merged[k] = v;
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.size > 0) merged.required = [...required];
  return merged;
}

function isNullSchema(schema: Json): boolean {
  if (!isObject(schema)) return false;
  if (schema.type === 'null') return true;
  if ('const' in schema && schema.const === null) return true;
  return Array.isArray(schema.enum) && schema.enum.length === 1 && schema.enum[0] === null;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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

function formatValues(values: Json[]): string {
  return values.map((v) => stableStringify(v)).join(', ');
}

/** Key-order-insensitive equality for schema fragments and example values. */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return stableStringify(a) === stableStringify(b);
}

/** JSON with sorted keys; cycles (recursive schemas) print as `"[Circular]"`. */
export function stableStringify(value: Json, seen = new Set<object>()): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (seen.has(value)) return '"[Circular]"';
  seen.add(value);
  const body = Array.isArray(value)
    ? `[${value.map((v) => stableStringify(v, seen)).join(',')}]`
    : `{${Object.keys(value)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${stableStringify(value[k] as Json, seen)}`)
        .join(',')}}`;
  seen.delete(value);
  return body;
}
