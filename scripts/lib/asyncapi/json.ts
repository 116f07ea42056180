// JSON values as the contract check sees them, and key-order-insensitive comparison of them.

/** A JSON value as it appears in a resolved schema (objects may be cyclic for recursive schemas). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
