/**
 * Text PostgreSQL cannot keep verbatim: it refuses NUL in `text` (a 500 if it gets that far), and the driver
 * silently turns an unpaired UTF-16 surrogate into U+FFFD. Both are refused up front as 400.
 */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableText(s: string): boolean {
  return !s.includes('\u0000') && !UNPAIRED_SURROGATE.test(s);
}

/**
 * The paths (`tiers.0.name`) of every string in `value`, object keys included, that is not storable text.
 * Iterative, so a deeply nested value cannot overflow the stack.
 */
export function unstorableTextPaths(value: unknown): string[] {
  const found: string[] = [];
  const stack: [unknown, string[]][] = [[value, []]];
  while (stack.length > 0) {
    const [v, path] = stack.pop() as [unknown, string[]];
    if (typeof v === 'string') {
      if (!isStorableText(v)) found.push(path.join('.'));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (!isStorableText(k)) found.push([...path, k.replace(/[^\x20-\x7e]/g, '?')].join('.'));
        else stack.push([child, [...path, k]]);
      }
    }
  }
  return found;
}

/** No body of this API nests deeper than 3 levels; far deeper JSON is refused before any code walks it. */
export const MAX_BODY_DEPTH = 32;

/** True when `value` nests arrays/objects deeper than `max` levels. Iterative: safe on any depth. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}
