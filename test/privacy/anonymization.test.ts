import { describe, expect, it } from 'vitest';
import { assertValidEvent } from '../../src/outbox/events.js';
import type { Backend } from '../helpers/app.js';
import { ofCustomer } from '../helpers/events.js';
import { useEventTap, useTestApp } from '../helpers/fixtures.js';
import { outboxRowsOf } from '../helpers/stored-rows.js';
import {
  ALL_ROLES,
  anonymizeRequest,
  customerWithHistory,
  exportRequest,
  post,
  searchEveryTable,
  searchTerms,
} from './privacy.fixtures.js';

const tap = useEventTap('customer.#');

describe.each<Backend>(['postgres', 'pglite'])('anonymization on %s', (backend) => {
  const t = useTestApp({ backend });

  it('when a customer with a whole history is anonymized, then no table holds its former name, email, phone or tax id, and customer.anonymized is published', async () => {
    const c = await customerWithHistory(t);
    // The relay has published them: the rows searched below are retained sent rows.
    await tap.waitUntil((all) => all.some(ofCustomer(t.org, c.id, 'customer.updated')));
    const terms = searchTerms(c.first, c.second);
    const before = await searchEveryTable(t.db, terms);
    expect(before).toEqual(expect.arrayContaining([`customers: ${c.second.email}`, `outbox: ${c.first.phone}`]));
    expect(before).toEqual(
      expect.arrayContaining([`idempotency_keys: ${c.first.name}`, `customers: ${c.second.phone.replace(/\D/g, '')}`]),
    );

    const res = await anonymizeRequest(t, c.id, { reason: 'request DPO-2025-17' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      customer_id: c.id,
      status: 'anonymized',
      name: 'Anonymized customer',
      email: null,
      phone: null,
      tax_id: null,
    });

    expect(await searchEveryTable(t.db, terms)).toEqual([]);

    const [event] = await tap
      .waitUntil((all) => all.some(ofCustomer(t.org, c.id, 'customer.anonymized')))
      .then((all) => all.filter(ofCustomer(t.org, c.id, 'customer.anonymized')));
    expect(event?.body.data).toEqual({
      customer_id: c.id,
      anonymized_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      points_forfeited: 250,
    });

    const stored = await outboxRowsOf(t.db, t.org, c.id);
    for (const row of stored) assertValidEvent(row.body as never);
    expect(stored[0]?.body.data).toMatchObject({ customer_id: c.id, email: null, phone: null });
    expect(stored[1]?.body.data.changes).toEqual({ name: 'Anonymized customer', phone: null, tax_id: null });
    // customer.anonymized was stored once, last.
    expect(stored.filter((r) => r.event_name === 'customer.anonymized').map((r) => r.id)).toEqual([stored.at(-1)?.id]);

    const ledger = await t.request({ method: 'GET', url: `/v1/customers/${c.id}/loyalty/transactions` });
    expect(ledger.json().items[0]).toMatchObject({ type: 'forfeiture', points: 250, points_balance: 0 });
    const profile = await t.request({ method: 'GET', url: `/v1/customers/${c.id}` });
    expect(profile.json()).toMatchObject({
      status: 'anonymized',
      loyalty: { points_balance: 0, lifetime_points: 300 },
    });
  });

  it('when the sign-up is retried with its Idempotency-Key after the anonymization, then the replay carries no personal data', async () => {
    const c = await customerWithHistory(t);
    expect((await anonymizeRequest(t, c.id)).statusCode).toBe(200);
    const replay = await post(t, '/v1/customers', c.createBody, 201, c.keys.create);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toMatchObject({
      customer_id: c.id,
      status: 'anonymized',
      email: null,
      phone: null,
      tax_id: null,
    });
    expect(replay.body).not.toContain(c.first.email);
  });

  it('when a customer was anonymized, then every write to it is 409 customer-anonymized and nothing is stored', async () => {
    const c = await customerWithHistory(t);
    expect((await anonymizeRequest(t, c.id)).statusCode).toBe(200);
    const outbox = async () =>
      (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE customer_id = $1', [c.id])).rows[0]
        ?.n;
    const rowsBefore = await outbox();
    const base = `/v1/customers/${c.id}`;
    const writes = [
      { method: 'PATCH' as const, url: base, payload: { name: 'Back again' } },
      { method: 'POST' as const, url: `${base}/loyalty`, payload: {} },
      {
        method: 'POST' as const,
        url: `${base}/loyalty/earn`,
        payload: { points: 5, reference_type: 'p', reference_id: `x-${c.id}` },
      },
      { method: 'POST' as const, url: `${base}/loyalty/redeem`, payload: { points: 1 } },
      { method: 'POST' as const, url: `${base}/credit`, payload: { credit_limit: 10, payment_term_days: 1 } },
      { method: 'PATCH' as const, url: `${base}/credit`, payload: { credit_limit: 2000 } },
      { method: 'POST' as const, url: `${base}/credit/usages`, payload: { order_id: `o-${c.id}`, amount: 1 } },
      { method: 'POST' as const, url: `${base}/credit/payments`, payload: { amount: 1 } },
      { method: 'POST' as const, url: `${base}/anonymization`, payload: {} },
    ];
    for (const w of writes) {
      const res = await t.request({ ...w, roles: ALL_ROLES });
      expect(res.statusCode, `${w.method} ${w.url}: ${res.body}`).toBe(409);
      expect(res.json().type).toMatch(/\/customer-anonymized$/);
    }
    expect(await outbox()).toBe(rowsBefore);
    const got = await t.request({ method: 'GET', url: base });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ status: 'anonymized', name: 'Anonymized customer' });
  });

  it('when a customer was anonymized, then its former email and phone are free, and it is listed only with ?status=anonymized', async () => {
    const c = await customerWithHistory(t);
    expect((await anonymizeRequest(t, c.id)).statusCode).toBe(200);
    const again = await post(t, '/v1/customers', {
      customer_type: 'b2c',
      name: 'New',
      email: c.first.email,
      phone: c.second.phone,
    });
    const listed = await t.request({
      method: 'GET',
      url: `/v1/customers?limit=100&email=${encodeURIComponent(c.first.email)}`,
    });
    expect(listed.json().items.map((i: { customer_id: string }) => i.customer_id)).toEqual([again.json().customer_id]);
    const anonymized = await t.request({ method: 'GET', url: '/v1/customers?status=anonymized&limit=100' });
    const ids = anonymized.json().items.map((i: { customer_id: string; status: string }) => i.customer_id);
    expect(ids).toContain(c.id);
    expect(anonymized.json().items.every((i: { status: string }) => i.status === 'anonymized')).toBe(true);
    const active = await t.request({ method: 'GET', url: '/v1/customers?limit=100' });
    expect(active.json().items.map((i: { customer_id: string }) => i.customer_id)).not.toContain(c.id);
  });

  it('when credit is outstanding, then anonymization is 409 customer-has-outstanding-credit and nothing changes', async () => {
    const c = await customerWithHistory(t);
    await post(t, `/v1/customers/${c.id}/credit/usages`, { order_id: `owed-${c.id}`, amount: 120.5 });
    const before = await exportRequest(t, c.id);
    const res = await anonymizeRequest(t, c.id);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({
      type: expect.stringMatching(/\/customer-has-outstanding-credit$/),
      outstanding: 120.5,
    });
    const after = await exportRequest(t, c.id);
    expect({ ...after.json(), exported_at: null }).toEqual({ ...before.json(), exported_at: null });
    expect(after.json().customer).toMatchObject({ status: 'active', name: c.second.name, email: c.first.email });
    const hits = await searchEveryTable(t.db, [c.second.phone]);
    expect(hits).toEqual(expect.arrayContaining([`customers: ${c.second.phone}`, `outbox: ${c.second.phone}`]));
  });

  it('when earns race an anonymization, then each earn lands before it (and is forfeited) or is refused after it', async () => {
    const c = await customerWithHistory(t);
    const base = `/v1/customers/${c.id}`;
    const earns = Array.from({ length: 10 }, (_, i) =>
      t.request({
        method: 'POST',
        url: `${base}/loyalty/earn`,
        payload: { points: 10, reference_type: 'race', reference_id: `${c.id}-${i}` },
      }),
    );
    const [anonymized, ...results] = await Promise.all([anonymizeRequest(t, c.id), ...earns]);
    expect(anonymized?.statusCode).toBe(200);
    const codes = results.map((r) => r.statusCode);
    expect(codes.every((s) => s === 201 || s === 409)).toBe(true);
    const landed = codes.filter((s) => s === 201).length;
    const account = await t.request({ method: 'GET', url: `${base}/loyalty` });
    expect(account.json()).toMatchObject({ points_balance: 0, lifetime_points: 300 + landed * 10 });
    const exported = (await exportRequest(t, c.id)).json();
    expect(exported.anonymization.points_forfeited).toBe(250 + landed * 10);
  });
});
