import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requestHash } from '../../src/http/idempotency.js';
import { appWith } from '../helpers/app.js';
import { customerPayload } from '../helpers/customers.js';
import { useTestApp } from '../helpers/fixtures.js';
import { anonymizeRequest } from '../privacy/privacy.fixtures.js';

const t = useTestApp();

/** The hash as it was stored before: unsalted SHA-256 over method, path and the sorted body. */
function unsaltedHash(path: string, body: Record<string, unknown>): string {
  const sorted = Object.fromEntries(
    Object.keys(body)
      .sort()
      .map((k) => [k, body[k]]),
  );
  return createHash('sha256')
    .update(`POST ${path}\n${JSON.stringify(sorted)}`)
    .digest('base64url');
}

async function storedHash(key: string): Promise<string | undefined> {
  const res = await t.db.query<{ request_hash: string }>(
    'SELECT request_hash FROM idempotency_keys WHERE organization_id = $1 AND key = $2',
    [t.org, key],
  );
  return res.rows[0]?.request_hash;
}

describe("the idempotency record's request hash", () => {
  it('when the hash is taken, then it is keyed by SIGNING_KEY, not a plain SHA-256 of the body', () => {
    const body = { email: 'ana@example.com', name: 'Ana' };
    const a = requestHash('a'.repeat(32), 'POST', '/v1/customers', body);
    expect(a).toBe(requestHash('a'.repeat(32), 'POST', '/v1/customers', { name: 'Ana', email: 'ana@example.com' }));
    expect(a).not.toBe(requestHash('b'.repeat(32), 'POST', '/v1/customers', body));
    expect(a).not.toBe(unsaltedHash('/v1/customers', body));
  });

  it('when a write is retried on an instance with another SIGNING_KEY, then the stored hash does not match (it depends on the key)', async () => {
    const body = customerPayload();
    const key = randomUUID();
    const headers = { 'idempotency-key': key };
    const first = await t.request({ method: 'POST', url: '/v1/customers', payload: body, headers });
    expect(first.statusCode, first.body).toBe(201);
    const retry = await t.request({ method: 'POST', url: '/v1/customers', payload: body, headers });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');

    const other = await appWith(t, { config: { SIGNING_KEY: 'another-signing-key-of-at-least-32-bytes' } });
    try {
      const authorization = `Bearer ${await t.token()}`;
      const elsewhere = await other.inject({
        method: 'POST',
        url: '/v1/customers',
        payload: body,
        headers: { ...headers, authorization },
      });
      expect(elsewhere.statusCode, elsewhere.body).toBe(422);
      expect(elsewhere.json().type).toMatch(/\/idempotency-key-reused$/);
    } finally {
      await other.close();
    }
  });

  it('when the customer is anonymized, then the hash taken over their personal data is replaced, and the scrubbed answer still replays', async () => {
    const body = customerPayload();
    const key = randomUUID();
    const created = await t.request({
      method: 'POST',
      url: '/v1/customers',
      payload: body,
      headers: { 'idempotency-key': key },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().customer_id as string;
    expect(await storedHash(key)).not.toBe('anonymized');

    const anonymized = await anonymizeRequest(t, id);
    expect(anonymized.statusCode, anonymized.body).toBe(200);
    expect(await storedHash(key)).toBe('anonymized');
    const stored = await t.db.query<{ body: string }>(
      'SELECT body FROM idempotency_keys WHERE organization_id = $1 AND key = $2',
      [t.org, key],
    );
    expect(stored.rows[0]?.body).not.toContain(body.email as string);
    const retry = await t.request({
      method: 'POST',
      url: '/v1/customers',
      payload: body,
      headers: { 'idempotency-key': key },
    });
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).not.toContain(body.email as string);
  });
});
