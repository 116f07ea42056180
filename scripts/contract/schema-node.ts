import { isObject, type Json, type JsonObject } from '../lib/asyncapi/json.js';

/** A schema node reduced to what the comparison rules look at. */
export interface Node {
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

/**
 * Flattens `allOf`, unwraps `oneOf`/`anyOf` of one schema and null ("nullable X") and works out which
 * types, values and null the schema admits.
 */
export function normalise(schema: Json): Node {
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
