import { describe, expect, it } from 'vitest';
import { uniqueOrg } from '../helpers/app.js';
import { storedEventsOf } from '../helpers/stored-rows.js';
import { orderId, problemType, TIMESTAMP, useCreditSuite } from './credit.fixtures.js';

const { t, newCustomer, customerWithCredit, useCredit, account, waitForEvents } = useCreditSuite();

describe('POST /v1/customers/{id}/credit', () => {
  it('when a credit manager approves credit, then 201 returns the account and credit.approved is published', async () => {
    const id = await newCustomer();
    const res = await t.request({
      method: 'POST',
      url: `/v1/customers/${id}/credit`,
      sub: 'user_manager',
      payload: { credit_limit: 10000.0, payment_term_days: 30 },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toEqual({
      credit_account_id: expect.stringMatching(/^credit_[a-z2-7]{20}$/),
      customer_id: id,
      credit_limit: 10000,
      outstanding: 0,
      credit_available: 10000,
      payment_term_days: 30,
      approved_by: 'user_manager',
      status: 'active',
      hold_reason: null,
      hold_note: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });

    const [event] = await waitForEvents(id, 1, 'credit.approved');
    expect(event?.body).toEqual({
      event: 'credit.approved',
      version: '1.0',
      timestamp: TIMESTAMP,
      organization_id: t.org,
      data: {
        customer_id: id,
        credit_account_id: body.credit_account_id,
        credit_limit: 10000,
        payment_term_days: 30,
        approved_by: 'user_manager',
      },
    });
    // 10000.00 goes out as the JSON number 10000.
    expect(event?.raw).toContain('"credit_limit":10000,');

    const customer = await t.request({ method: 'GET', url: `/v1/customers/${id}` });
    expect(customer.json().credit).toEqual(body);
    expect(await account(id)).toEqual(body);
  });

  it('when the token lacks the credit_manager role, then approving and changing credit are 403', async () => {
    const id = await newCustomer();
    const post = await t.request({
      method: 'POST',
      url: `/v1/customers/${id}/credit`,
      roles: ['loyalty_admin'],
      payload: { credit_limit: 1000, payment_term_days: 30 },
    });
    expect(post.statusCode).toBe(403);
    expect(post.headers['content-type']).toContain('application/problem+json');
    expect(post.json().type).toBe(problemType('forbidden'));

    const withCredit = await customerWithCredit();
    const patch = await t.request({
      method: 'PATCH',
      url: `/v1/customers/${withCredit}/credit`,
      roles: [],
      payload: { credit_limit: 1 },
    });
    expect(patch.statusCode).toBe(403);
    expect((await account(withCredit)).credit_limit).toBe(10000);
    const none = await t.request({ method: 'GET', url: `/v1/customers/${id}/credit` });
    expect(none.statusCode).toBe(404);
  });

  it('when credit is approved twice for one customer, then the second is 409 credit-account-exists', async () => {
    const id = await customerWithCredit();
    const res = await t.request({
      method: 'POST',
      url: `/v1/customers/${id}/credit`,
      payload: { credit_limit: 500, payment_term_days: 15 },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().type).toBe(problemType('credit-account-exists'));
    expect((await account(id)).credit_limit).toBe(10000);
  });

  it("when the customer is unknown or another organization's, then 404 customer-not-found", async () => {
    const other = await newCustomer(uniqueOrg());
    for (const id of ['cust_doesnotexist', other]) {
      const requests = [
        { method: 'POST', url: `/v1/customers/${id}/credit`, payload: { credit_limit: 100, payment_term_days: 0 } },
        { method: 'PATCH', url: `/v1/customers/${id}/credit`, payload: { credit_limit: 100 } },
        { method: 'GET', url: `/v1/customers/${id}/credit` },
        { method: 'GET', url: `/v1/customers/${id}/credit/usages` },
        { method: 'POST', url: `/v1/customers/${id}/credit/usages`, payload: { order_id: orderId(), amount: 1 } },
        { method: 'POST', url: `/v1/customers/${id}/credit/payments`, payload: { amount: 1 } },
      ] as const;
      for (const r of requests) {
        const res = await t.request(r);
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(404);
        expect(res.json().type).toBe(problemType('customer-not-found'));
      }
    }
  });

  it('when a customer has no credit account, then GET and its lists are 404 credit-account-not-found', async () => {
    const id = await newCustomer();
    for (const url of [`/v1/customers/${id}/credit`, `/v1/customers/${id}/credit/payments`]) {
      const res = await t.request({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.json().type).toBe(problemType('credit-account-not-found'));
    }
    const usage = await useCredit(id, { order_id: orderId(), amount: 10 });
    expect(usage.statusCode).toBe(404);
    expect(usage.json().type).toBe(problemType('credit-account-not-found'));
  });

  it('when the terms are invalid, then 400 names each field', async () => {
    const id = await newCustomer();
    const cases: [object, string][] = [
      [{ credit_limit: 100.005, payment_term_days: 30 }, 'credit_limit'],
      [{ credit_limit: 0, payment_term_days: 30 }, 'credit_limit'],
      [{ credit_limit: '100', payment_term_days: 30 }, 'credit_limit'],
      [{ credit_limit: 100, payment_term_days: 366 }, 'payment_term_days'],
      [{ credit_limit: 100, payment_term_days: 1.5 }, 'payment_term_days'],
      [{ credit_limit: 100 }, 'payment_term_days'],
      [{ credit_limit: 100, payment_term_days: 30, status: 'active' }, 'status'],
    ];
    for (const [payload, field] of cases) {
      const res = await t.request({ method: 'POST', url: `/v1/customers/${id}/credit`, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });
});

describe('PATCH /v1/customers/{id}/credit', () => {
  it('when the terms change, then 200 returns them with the new approver and credit.approved carries them', async () => {
    const id = await customerWithCredit();
    const res = await t.request({
      method: 'PATCH',
      url: `/v1/customers/${id}/credit`,
      sub: 'user_other_manager',
      payload: { credit_limit: 12500.5, payment_term_days: 45 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      credit_limit: 12500.5,
      credit_available: 12500.5,
      payment_term_days: 45,
      approved_by: 'user_other_manager',
    });
    const events = await waitForEvents(id, 2, 'credit.approved');
    expect(events[1]?.body.data).toEqual({
      customer_id: id,
      credit_account_id: res.json().credit_account_id,
      credit_limit: 12500.5,
      payment_term_days: 45,
      approved_by: 'user_other_manager',
    });

    const termOnly = await t.request({
      method: 'PATCH',
      url: `/v1/customers/${id}/credit`,
      payload: { payment_term_days: 0 },
    });
    expect(termOnly.json()).toMatchObject({ credit_limit: 12500.5, payment_term_days: 0 });
    expect((await waitForEvents(id, 3, 'credit.approved'))[2]?.body.data).toMatchObject({
      credit_limit: 12500.5,
      payment_term_days: 0,
    });
  });

  it('when the new limit is below the outstanding amount, then 422 credit-limit-below-outstanding and nothing changes', async () => {
    const id = await customerWithCredit();
    expect((await useCredit(id, { order_id: orderId(), amount: 4000 })).statusCode).toBe(201);
    const res = await t.request({
      method: 'PATCH',
      url: `/v1/customers/${id}/credit`,
      payload: { credit_limit: 3999.99 },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      type: problemType('credit-limit-below-outstanding'),
      credit_limit: 3999.99,
      outstanding: 4000,
    });
    const exact = await t.request({
      method: 'PATCH',
      url: `/v1/customers/${id}/credit`,
      payload: { credit_limit: 4000 },
    });
    expect(exact.statusCode).toBe(200);
    expect(exact.json()).toMatchObject({ credit_limit: 4000, outstanding: 4000, credit_available: 0 });
  });

  it('when a PATCH changes nothing, then 200 and no event', async () => {
    const id = await customerWithCredit();
    await waitForEvents(id, 1, 'credit.approved');
    const res = await t.request({
      method: 'PATCH',
      url: `/v1/customers/${id}/credit`,
      sub: 'someone_else',
      payload: { credit_limit: 10000, payment_term_days: 30 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().approved_by).toBe('user_test');
    // The approval's event is the customer's only one stored: the PATCH stored none.
    expect(await storedEventsOf(t.db, t.org, id)).toEqual(['customer.created', 'credit.approved']);
  });

  it('when a PATCH is empty or has unknown fields, then 400', async () => {
    const id = await customerWithCredit();
    for (const payload of [{}, { outstanding: 0 }, { credit_limit: null }]) {
      const res = await t.request({ method: 'PATCH', url: `/v1/customers/${id}/credit`, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });
});
