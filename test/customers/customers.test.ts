import { describe, expect, it } from 'vitest';
import { assertValidEvent } from '../../src/outbox/events.js';
import { uniqueOrg } from '../helpers/app.js';
import { ofCustomer } from '../helpers/events.js';
import { createCustomer, postCustomer, useEventTap, useTestApp } from '../helpers/fixtures.js';
import { storedEventsOf } from '../helpers/stored-rows.js';

const tap = useEventTap();
const t = useTestApp();

let n = 0;
function unique() {
  n += 1;
  return {
    email: `person${n}.${Date.now()}@example.com`,
    phone: `+507 6${String(n).padStart(3, '0')}-${String(Date.now()).slice(-4)}`,
  };
}

describe('POST /v1/customers', () => {
  it('when a customer is created, then it answers 201 and publishes customer.created exactly as the contract says', async () => {
    const { email, phone } = unique();
    const res = await postCustomer(t, { customer_type: 'b2c', name: 'Juan Pérez', email, phone });
    expect(res.statusCode).toBe(201);
    const customer = res.json();
    expect(customer).toMatchObject({ customer_type: 'b2c', name: 'Juan Pérez', email, phone, tax_id: null });
    expect(customer.customer_id).toMatch(/^cust_/);

    const [event] = await tap
      .waitUntil((all) => all.some(ofCustomer(t.org, customer.customer_id)))
      .then((all) => all.filter(ofCustomer(t.org, customer.customer_id)));
    expect(event).toBeDefined();
    if (!event) return;
    expect(event.routingKey).toBe('customer.created');
    expect(event.body).toEqual({
      event: 'customer.created',
      version: '1.0',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      organization_id: t.org,
      data: { customer_id: customer.customer_id, customer_type: 'b2c', email, phone, loyalty_account_created: true },
    });
    expect(() => assertValidEvent(event.body as never)).not.toThrow();
    expect(event.properties).toMatchObject({
      contentType: 'application/json',
      deliveryMode: 2,
      type: 'customer.created',
      appId: 'customer-service',
      correlationId: res.headers['x-request-id'],
      headers: { organization_id: t.org },
    });
    expect(event.properties.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof event.properties.timestamp).toBe('number');
  });

  it('when X-Request-Id is sent, then it becomes the correlationId of the event', async () => {
    const { email } = unique();
    const res = await t.request({
      method: 'POST',
      url: '/v1/customers',
      payload: { customer_type: 'b2b', name: 'Ferretería Central', email, enroll_loyalty: false },
      headers: { 'x-request-id': 'req-abc-123' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-request-id']).toBe('req-abc-123');
    const id = res.json().customer_id;
    const all = await tap.waitUntil((es) => es.some(ofCustomer(t.org, id)));
    const event = all.find(ofCustomer(t.org, id));
    expect(event?.properties.correlationId).toBe('req-abc-123');
    expect(event?.body.data).toEqual({
      customer_id: id,
      customer_type: 'b2b',
      email,
      phone: null,
      loyalty_account_created: false,
    });
  });

  it('when neither email nor phone is given, then 400 names both fields', async () => {
    const res = await postCustomer(t, { customer_type: 'b2c', name: 'Nadie' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'phone']));
  });

  it('when the body has an unknown field or a wrong type, then 400 names each field', async () => {
    const res = await postCustomer(t, { customer_type: 'b2x', name: 42, email: 'not-an-email', color: 'red' });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ status: 400, title: expect.any(String), type: expect.any(String) });
    const fields = body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['customer_type', 'name', 'email', 'color']));
  });

  it('when the email is taken in any case, or the phone with other formatting, then 409 customer-conflict', async () => {
    const { email, phone } = unique();
    expect((await postCustomer(t, { customer_type: 'b2c', name: 'A', email, phone })).statusCode).toBe(201);
    const sameEmail = await postCustomer(t, { customer_type: 'b2c', name: 'B', email: email.toUpperCase() });
    expect(sameEmail.statusCode).toBe(409);
    expect(sameEmail.json().type).toMatch(/customer-conflict$/);
    const samePhone = await postCustomer(t, { customer_type: 'b2c', name: 'C', phone: phone.replace(/[ -]/g, '') });
    expect(samePhone.statusCode).toBe(409);
  });

  it('when another organization uses the same email, then it is allowed (uniqueness is per organization)', async () => {
    const { email } = unique();
    expect((await postCustomer(t, { customer_type: 'b2c', name: 'A', email })).statusCode).toBe(201);
    expect((await postCustomer(t, { customer_type: 'b2c', name: 'A', email }, uniqueOrg())).statusCode).toBe(201);
  });

  it('when parallel creates use the same email, then exactly one customer is made', async () => {
    const { email } = unique();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => postCustomer(t, { customer_type: 'b2c', name: `P${i}`, email })),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(7);
  });

  it('when a POST is retried with the same Idempotency-Key, then the first response returns and one event is published', async () => {
    const { email } = unique();
    const payload = { customer_type: 'b2c', name: 'Idem', email };
    const headers = { 'idempotency-key': `key-${email}` };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => t.request({ method: 'POST', url: '/v1/customers', payload, headers })),
    );
    const first = results[0];
    expect(results.every((r) => r.statusCode === 201 && r.body === first?.body)).toBe(true);
    const id = first?.json().customer_id;
    await tap.waitUntil((all) => all.some(ofCustomer(t.org, id)));
    // The retries stored no second customer.created.
    expect(await storedEventsOf(t.db, t.org, id)).toEqual(['customer.created']);

    const reused = await t.request({
      method: 'POST',
      url: '/v1/customers',
      payload: { ...payload, name: 'Other' },
      headers,
    });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().type).toMatch(/idempotency-key-reused$/);
  });
});

describe('GET and PATCH /v1/customers/{id}', () => {
  it('when a customer is read, then it carries its loyalty summary and a null credit account', async () => {
    const { email } = unique();
    const id = await createCustomer(t, { name: 'Lee', email });
    const res = await t.request({ method: 'GET', url: `/v1/customers/${id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      customer_id: id,
      loyalty: { points_balance: 0, lifetime_points: 0, tier: 'bronze', next_tier: 'silver', points_to_next_tier: 500 },
      credit: null,
    });
  });

  it("when another organization's customer is asked for, then 404 as if it did not exist", async () => {
    const { email } = unique();
    const id = await createCustomer(t, { name: 'Mine', email });
    const other = uniqueOrg();
    for (const [method, url] of [
      ['GET', `/v1/customers/${id}`],
      ['PATCH', `/v1/customers/${id}`],
    ] as const) {
      const res = await t.request({ method, url, org: other, payload: method === 'PATCH' ? { name: 'x' } : undefined });
      expect(res.statusCode).toBe(404);
    }
    const missing = await t.request({ method: 'GET', url: '/v1/customers/cust_doesnotexist' });
    expect(missing.statusCode).toBe(404);
  });

  it('when a PATCH changes some fields, then customer.updated holds exactly the changed fields', async () => {
    const { email, phone } = unique();
    const id = await createCustomer(t, { name: 'Juan', email, phone });
    const newEmail = `new.${email}`;
    const res = await t.request({
      method: 'PATCH',
      url: `/v1/customers/${id}`,
      payload: { name: 'Juan', email: newEmail, tax_id: null },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Juan', email: newEmail, phone });
    const all = await tap.waitUntil((es) => es.some(ofCustomer(t.org, id, 'customer.updated')));
    const updated = all.filter(ofCustomer(t.org, id, 'customer.updated'));
    expect(updated[0]?.body.data).toEqual({ customer_id: id, changes: { email: newEmail } });
    expect(updated[0]?.routingKey).toBe('customer.updated');

    const cleared = await t.request({ method: 'PATCH', url: `/v1/customers/${id}`, payload: { phone: null } });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().phone).toBeNull();
    const after = await tap.waitUntil((es) => es.filter(ofCustomer(t.org, id, 'customer.updated')).length >= 2);
    const second = after.filter(ofCustomer(t.org, id, 'customer.updated'))[1];
    expect(second?.body.data).toEqual({ customer_id: id, changes: { phone: null } });
  });

  it('when a PATCH changes nothing, then 200 and no event', async () => {
    const { email } = unique();
    const id = await createCustomer(t, { name: 'Same', email });
    const res = await t.request({ method: 'PATCH', url: `/v1/customers/${id}`, payload: { name: 'Same', email } });
    expect(res.statusCode).toBe(200);
    // No customer.updated was stored, so none can ever be published.
    expect(await storedEventsOf(t.db, t.org, id)).toEqual(['customer.created']);
  });

  it('when a PATCH would leave neither email nor phone, then 400 and nothing changes', async () => {
    const { email } = unique();
    const id = await createCustomer(t, { name: 'Only email', email });
    const res = await t.request({ method: 'PATCH', url: `/v1/customers/${id}`, payload: { email: null } });
    expect(res.statusCode).toBe(400);
    const read = await t.request({ method: 'GET', url: `/v1/customers/${id}` });
    expect(read.json().email).toBe(email);
  });
});

describe('GET /v1/customers', () => {
  it('when customers are listed with filters and a small limit, then pages chain through next_cursor', async () => {
    const org = uniqueOrg();
    for (let i = 0; i < 5; i++) {
      const res = await postCustomer(
        t,
        { customer_type: i % 2 ? 'b2b' : 'b2c', name: `Tienda ${i}`, email: `t${i}@shop.pa` },
        org,
      );
      expect(res.statusCode).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/customers?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.request({ method: 'GET', url, org });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      seen.push(...body.items.map((c: { name: string }) => c.name));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['Tienda 0', 'Tienda 1', 'Tienda 2', 'Tienda 3', 'Tienda 4']);

    const b2b = await t.request({ method: 'GET', url: '/v1/customers?customer_type=b2b', org });
    expect(b2b.json().items).toHaveLength(2);
    const byEmail = await t.request({ method: 'GET', url: '/v1/customers?email=T3@SHOP.PA', org });
    expect(byEmail.json().items.map((c: { name: string }) => c.name)).toEqual(['Tienda 3']);
    const q = await t.request({ method: 'GET', url: '/v1/customers?q=enda%204', org });
    expect(q.json().items).toHaveLength(1);
    const bad = await t.request({ method: 'GET', url: '/v1/customers?limit=500&cursor=zzz', org });
    expect(bad.statusCode).toBe(400);
  });
});

describe('authentication', () => {
  it('when the token is missing, malformed or badly signed, then 401 problem details', async () => {
    for (const authorization of [
      undefined,
      'Bearer nope',
      'Basic abc',
      `Bearer ${(await t.token()).slice(0, -3)}abc`,
    ]) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/v1/customers',
        headers: authorization ? { authorization } : {},
      });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });
});
