import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { uniqueOrg } from '../helpers/app.js';
import { createCustomer, useTestApp } from '../helpers/fixtures.js';

const t = useTestApp();

type Page = { items: Record<string, unknown>[]; next_cursor: string | null };

async function page(url: string, org = t.org): Promise<{ status: number; body: Page & { type?: string } }> {
  const res = await t.request({ method: 'GET', url, org });
  return { status: res.statusCode, body: res.json() };
}

async function earn(customerId: string, org: string, ref: string): Promise<void> {
  const res = await t.request({
    method: 'POST',
    url: `/v1/customers/${customerId}/loyalty/earn`,
    org,
    payload: { points: 10, reference_type: 'purchase', reference_id: ref },
  });
  expect(res.statusCode, res.body).toBe(201);
}

/** A customer enrolled in loyalty (enrolled at sign-up) with three ledger entries, so every list here has a second page at limit=1. */
async function customerWithLedger(org: string): Promise<string> {
  const id = await createCustomer(t, { org });
  for (const ref of ['a', 'b', 'c']) await earn(id, org, `${id}-${ref}`);
  return id;
}

function expectInvalidCursor(res: { status: number; body: { type?: string } }): void {
  expect(res.status).toBe(400);
  expect(res.body.type).toMatch(/\/invalid-cursor$/);
}

describe('list cursors are opaque and signed for their organization and list', () => {
  it('when a cursor is decoded, then it shows no sequence number, and paging with it still walks the list', async () => {
    const org = uniqueOrg();
    const ids = [await createCustomer(t, { org }), await createCustomer(t, { org }), await createCustomer(t, { org })];
    const seen: string[] = [];
    let url = '/v1/customers?limit=1';
    for (;;) {
      const res = await page(url, org);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((c) => c.customer_id as string));
      if (!res.body.next_cursor) break;
      expect(Buffer.from(res.body.next_cursor, 'base64url').toString('latin1')).not.toMatch(/^s?\d+$/);
      url = `/v1/customers?limit=1&cursor=${res.body.next_cursor}`;
    }
    expect(seen).toEqual(ids);
    // The same page asked twice gives two different cursors (encrypted with a fresh IV), and both page on.
    const [one, two] = [await page('/v1/customers?limit=1', org), await page('/v1/customers?limit=1', org)];
    expect(one.body.next_cursor).not.toBe(two.body.next_cursor);
    for (const c of [one.body.next_cursor, two.body.next_cursor]) {
      expect((await page(`/v1/customers?limit=1&cursor=${c}`, org)).body.items[0]?.customer_id).toBe(ids[1]);
    }
  });

  it("when one organization sends another's cursor, then it is refused with 400 invalid-cursor", async () => {
    const [orgA, orgB] = [uniqueOrg(), uniqueOrg()];
    await createCustomer(t, { org: orgA });
    await createCustomer(t, { org: orgB });
    await createCustomer(t, { org: orgB });
    const b = await page('/v1/customers?limit=1', orgB);
    expect(b.body.next_cursor).toEqual(expect.any(String));
    expectInvalidCursor(await page(`/v1/customers?limit=1&cursor=${b.body.next_cursor}`, orgA));
    // The same cursor still works where it was given out.
    expect((await page(`/v1/customers?limit=1&cursor=${b.body.next_cursor}`, orgB)).status).toBe(200);
  });

  it("when a cursor of one list is sent to another (another customer's ledger, the customers list), then 400", async () => {
    const org = uniqueOrg();
    const [x, y] = [await customerWithLedger(org), await customerWithLedger(org)];
    const ledgerX = await page(`/v1/customers/${x}/loyalty/transactions?limit=1`, org);
    const cursor = ledgerX.body.next_cursor;
    expect(cursor).toEqual(expect.any(String));
    expect((await page(`/v1/customers/${x}/loyalty/transactions?limit=1&cursor=${cursor}`, org)).status).toBe(200);
    expectInvalidCursor(await page(`/v1/customers/${y}/loyalty/transactions?limit=1&cursor=${cursor}`, org));
    expectInvalidCursor(await page(`/v1/customers?limit=1&cursor=${cursor}`, org));
    // A search's cursor does not page a different search.
    const all = await page('/v1/customers?limit=1', org);
    expectInvalidCursor(await page(`/v1/customers?limit=1&customer_type=b2b&cursor=${all.body.next_cursor}`, org));
  });

  it('when a cursor is tampered with or forged in the old format, then it is refused with 400 naming the field', async () => {
    const org = uniqueOrg();
    await createCustomer(t, { org });
    await createCustomer(t, { org });
    const first = await page('/v1/customers?limit=1', org);
    const bytes = Buffer.from(first.body.next_cursor as string, 'base64url');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1; // another sequence number
    const forged = [bytes.toString('base64url'), Buffer.from('s0').toString('base64url'), 'zzz'];
    for (const cursor of forged) {
      const res = await t.request({ method: 'GET', url: `/v1/customers?limit=1&cursor=${cursor}`, org });
      expect(res.statusCode, cursor).toBe(400);
      expect(res.json().type, cursor).toMatch(/\/invalid-cursor$/);
      expect(res.json().errors).toEqual([{ field: 'querystring.cursor', message: expect.any(String) }]);
    }
  });

  it('when the service runs outside development without SIGNING_KEY, or with a short one, then it refuses to start', () => {
    const secret = 'x'.repeat(32);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret })).toThrow(/SIGNING_KEY/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, SIGNING_KEY: 'short' })).toThrow(
      /SIGNING_KEY must be at least 32 bytes/,
    );
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, SIGNING_KEY: secret }).SIGNING_KEY).toBe(secret);
    expect(() => loadConfig({})).not.toThrow();
  });
});
