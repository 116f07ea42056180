import { createHmac } from 'node:crypto';
import type { Queryable } from '../db/db.js';
import { problems } from '../errors.js';
import { ANONYMIZED_REQUEST_HASH } from '../shared/idempotency-marks.js';

/** What a write answers; stored verbatim for idempotent replays. */
export interface Outcome<Body = unknown> {
  status: number;
  body: Body;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * What identifies a request behind an Idempotency-Key. Keyed (HMAC with SIGNING_KEY), because the body holds
 * personal data: an unsalted hash of a short body (an email, a phone) can be reversed by guessing.
 */
export function requestHash(key: string, method: string, path: string, body: unknown): string {
  return createHmac('sha256', key)
    .update(`${method} ${path}\n${JSON.stringify(canonical(body ?? null))}`)
    .digest('base64url');
}

/**
 * Claims `key` inside the caller's transaction. Returns the stored outcome when the key was used before with the
 * same request, or undefined when this request owns the key (the caller then runs the work and calls `remember`).
 * A concurrent request with the same key waits on the primary key until the first one commits or rolls back.
 */
export async function claimKey(tx: Queryable, org: string, key: string, hash: string): Promise<Outcome | undefined> {
  const inserted = await tx.query(
    `INSERT INTO idempotency_keys (organization_id, key, request_hash) VALUES ($1, $2, $3)
     ON CONFLICT (organization_id, key) DO NOTHING`,
    [org, key, hash],
  );
  if (inserted.rowCount === 1) return undefined;
  const res = await tx.query<{ request_hash: string; status: number | null; body: string | null }>(
    'SELECT request_hash, status, body FROM idempotency_keys WHERE organization_id = $1 AND key = $2',
    [org, key],
  );
  const row = res.rows[0];
  const matches = row?.request_hash === hash || row?.request_hash === ANONYMIZED_REQUEST_HASH;
  if (!row || !matches || row.status === null) {
    throw problems.unprocessable(
      'idempotency-key-reused',
      'Idempotency key reused',
      'This Idempotency-Key was already used with a different request.',
    );
  }
  return { status: row.status, body: row.body === null ? null : JSON.parse(row.body) };
}

export async function remember(tx: Queryable, org: string, key: string, outcome: Outcome): Promise<void> {
  await tx.query('UPDATE idempotency_keys SET status = $3, body = $4 WHERE organization_id = $1 AND key = $2', [
    org,
    key,
    outcome.status,
    JSON.stringify(outcome.body),
  ]);
}

export async function purgeIdempotencyKeys(db: Queryable, ttlHours: number): Promise<number> {
  const res = await db.query('DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1)', [
    ttlHours * 3600,
  ]);
  return res.rowCount;
}
