/**
 * A single-quoted TypeScript string literal for `value`.
 *
 * @param {string} value
 */
export function tsString(value) {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/**
 * Text made safe for a JSDoc block: one line per input line, no early `*\/`.
 *
 * @param {string} text
 * @returns {string[]}
 */
export function docLines(text) {
  return text
    .trim()
    .replace(/\*\//g, '*\\/')
    .split('\n')
    .map((line) => line.trimEnd());
}
