import { randomFillSync } from 'node:crypto';

export type IdPrefix = 'cust' | 'loy_txn' | 'credit' | 'usage' | 'pay';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const ID_BYTES = 20;
/** Random bytes for 200 ids, refilled when used up: one call into the CSPRNG per 200 ids instead of one per id. */
const pool = Buffer.alloc(ID_BYTES * 200);
let offset = pool.length;

/** Prefixed opaque ids: `cust_` + 20 random base32 characters. */
export function newId(prefix: IdPrefix): string {
  if (offset + ID_BYTES > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  let out = `${prefix}_`;
  for (let i = offset; i < offset + ID_BYTES; i++) out += ALPHABET[(pool[i] as number) & 31];
  offset += ID_BYTES;
  return out;
}
