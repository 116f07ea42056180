import { invalid } from './domain-error.js';

/**
 * Cursor pagination shared by every list: cursors are opaque (base64url of the last row's sequence number) and a
 * repository returns one row more than `limit` to tell whether there is a next page.
 */
function encodeCursor(seq: number): string {
  return Buffer.from(`s${seq}`).toString('base64url');
}

/** The sequence number in `cursor`, or undefined for the first page; a malformed cursor is invalid input. */
export function cursorSeq(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const m = /^s(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m?.[1]) throw invalid([{ field: 'querystring.cursor', message: 'is not a valid cursor' }]);
  return Number(m[1]);
}

export interface PageQuery {
  limit: number;
  cursor?: string;
}

export interface Page<V> {
  items: V[];
  next_cursor: string | null;
}

export function toPage<R extends { seq: number }, V>(rows: readonly R[], limit: number, view: (row: R) => V): Page<V> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(view), next_cursor: rows.length > limit && last ? encodeCursor(last.seq) : null };
}
