import { randomBytes } from 'node:crypto';

export type IdPrefix = 'cust' | 'loy_txn' | 'credit' | 'usage' | 'pay';

/** Prefixed opaque ids: `cust_` + 20 random base32 characters. */
export function newId(prefix: IdPrefix): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const bytes = randomBytes(20);
  let out = '';
  for (const b of bytes) out += alphabet[b & 31];
  return `${prefix}_${out}`;
}
