import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/fixtures.js';
import {
  ALL_ROLES,
  anonymizeRequest,
  customerWithHistory,
  exportRequest,
  searchEveryTable,
  searchTerms,
} from './privacy.fixtures.js';

const t = useTestApp({ backend: 'postgres' });

describe('the export of a customer', () => {
  it('when a privacy officer exports a customer, then the document holds the customer, its whole ledger and every credit movement', async () => {
    const c = await customerWithHistory(t);
    // More ledger entries than one page of a list, so the export must read them all.
    for (let i = 0; i < 105; i++) {
      const res = await t.request({
        method: 'POST',
        url: `/v1/customers/${c.id}/loyalty/earn`,
        payload: { points: 1, reference_type: 'visit', reference_id: `${c.id}-${i}` },
      });
      expect(res.statusCode).toBe(201);
    }
    const res = await exportRequest(t, c.id);
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json();
    expect(doc.customer).toEqual({
      customer_id: c.id,
      customer_type: 'b2b',
      name: c.second.name,
      email: c.first.email,
      phone: c.second.phone,
      tax_id: c.second.tax_id,
      status: 'active',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(doc.loyalty.account).toMatchObject({ customer_id: c.id, points_balance: 355, lifetime_points: 405 });
    expect(doc.loyalty.transactions).toHaveLength(107);
    expect(doc.loyalty.transactions.at(-1)).toMatchObject({ type: 'earn', points: 300, reference_type: 'purchase' });
    expect(doc.credit.account).toMatchObject({ customer_id: c.id, credit_limit: 1000, outstanding: 0 });
    expect(doc.credit.usages).toEqual([expect.objectContaining({ amount: 200 })]);
    expect(doc.credit.payments).toEqual([
      expect.objectContaining({ amount: 200, reference: expect.stringMatching(/^TRF-/) }),
    ]);
    expect(doc.credit.refusals).toEqual([expect.objectContaining({ attempted_amount: 5000, credit_available: 800 })]);
    expect(doc.anonymization).toBeNull();
    expect(Date.parse(doc.exported_at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('when the customer has neither loyalty nor credit, then both are null', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/customers',
      payload: { customer_type: 'b2c', name: 'Solo', phone: '+507 6999-1234', enroll_loyalty: false },
    });
    const doc = (await exportRequest(t, res.json().customer_id)).json();
    expect(doc).toMatchObject({ loyalty: null, credit: null, anonymization: null, customer: { name: 'Solo' } });
  });

  it('when an anonymized customer is exported, then the document says so and carries no former personal data', async () => {
    const c = await customerWithHistory(t);
    expect((await anonymizeRequest(t, c.id, { reason: 'DPO ticket 42' })).statusCode).toBe(200);
    const res = await exportRequest(t, c.id);
    expect(res.json()).toMatchObject({
      customer: { status: 'anonymized', name: 'Anonymized customer', email: null, phone: null, tax_id: null },
      anonymization: { reason: 'DPO ticket 42', points_forfeited: 250 },
      loyalty: { account: { points_balance: 0 } },
    });
    for (const term of searchTerms(c.first, c.second)) expect(res.body).not.toContain(term);
  });

  it('when the caller lacks privacy_officer, then export and anonymization are 403 and nothing changes', async () => {
    const c = await customerWithHistory(t);
    const roles = ['credit_manager', 'loyalty_admin'];
    const exported = await exportRequest(t, c.id, roles);
    expect(exported.statusCode).toBe(403);
    expect(exported.json().type).toMatch(/\/forbidden$/);
    const anonymized = await anonymizeRequest(t, c.id, {}, roles);
    expect(anonymized.statusCode).toBe(403);
    const got = await t.request({ method: 'GET', url: `/v1/customers/${c.id}` });
    expect(got.json()).toMatchObject({ status: 'active', name: c.second.name });
    expect(await searchEveryTable(t.db, [c.first.email])).toContain(`customers: ${c.first.email}`);
  });

  it('when the customer belongs to another organization or does not exist, then both endpoints answer 404', async () => {
    const c = await customerWithHistory(t);
    const other = await t.request({
      method: 'GET',
      url: `/v1/customers/${c.id}/export`,
      org: 'org_other',
      roles: ALL_ROLES,
    });
    expect(other.statusCode).toBe(404);
    const missing = await anonymizeRequest(t, 'cust_missing');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().type).toMatch(/\/customer-not-found$/);
  });

  it('when the reason is longer than 200 characters or the body has unknown fields, then it is 400 naming the field', async () => {
    const c = await customerWithHistory(t);
    const long = await anonymizeRequest(t, c.id, { reason: 'x'.repeat(201) });
    expect(long.statusCode).toBe(400);
    expect(JSON.stringify(long.json().errors)).toContain('reason');
    const unknown = await anonymizeRequest(t, c.id, { erase: true });
    expect(unknown.statusCode).toBe(400);
  });
});
