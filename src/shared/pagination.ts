import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { DomainError } from './domain-error.js';

/**
 * Cursor pagination shared by every list. A cursor is opaque: the last row's sequence number encrypted and
 * authenticated (AES-256-GCM, key from SIGNING_KEY) with the organization and the list as associated data. So it
 * reveals nothing (not another tenant's write volume: the sequence is global) and works only for the list and the
 * organization that gave it out.
 */
export interface CursorScope {
  /** The server's key (SIGNING_KEY). */
  readonly key: string;
  readonly org: string;
  /** Which list: its name and whatever narrows it (the customer of a ledger, the filters of a search). */
  readonly list: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const keys = new Map<string, Buffer>();

function aesKey(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = createHash('sha256').update(`customer-service cursor key\n${secret}`).digest();
    keys.set(secret, key);
  }
  return key;
}

const associated = (scope: CursorScope) => Buffer.from(`${scope.org}\n${scope.list}`);

function encodeCursor(scope: CursorScope, seq: number): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', aesKey(scope.key), iv).setAAD(associated(scope));
  const body = Buffer.concat([cipher.update(String(seq)), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

const invalidCursor = () =>
  new DomainError('invalid-cursor', 'The cursor is not one this list gave out (tampered, or from another list).', {
    errors: [{ field: 'querystring.cursor', message: 'is not a valid cursor for this list' }],
  });

/** The sequence number in `cursor`, or undefined for the first page; a cursor not given out for `scope` is refused. */
export function cursorSeq(cursor: string | undefined, scope: CursorScope): number | undefined {
  if (cursor === undefined) return undefined;
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.length <= IV_BYTES + TAG_BYTES || bytes.length > IV_BYTES + TAG_BYTES + 15) throw invalidCursor();
  let text: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', aesKey(scope.key), bytes.subarray(0, IV_BYTES))
      .setAAD(associated(scope))
      .setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    text = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString();
  } catch {
    throw invalidCursor();
  }
  if (!/^\d{1,15}$/.test(text)) throw invalidCursor();
  return Number(text);
}

export interface PageQuery {
  limit: number;
  cursor?: string;
}

/** A page asked for by a client, with the key its cursors are signed with. */
export interface PageRequest extends PageQuery {
  readonly signingKey: string;
}

export interface Page<V> {
  items: V[];
  next_cursor: string | null;
}

/** A page of `limit` rows; the repository read one row more than `limit` to tell whether there is a next page. */
export function toPage<R extends { seq: number }, V>(
  rows: readonly R[],
  limit: number,
  view: (row: R) => V,
  scope: CursorScope,
): Page<V> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(view), next_cursor: rows.length > limit && last ? encodeCursor(scope, last.seq) : null };
}
