import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { problemType } from './credit.fixtures.js';
import {
  creditAccount,
  creditCustomer,
  daysFromToday,
  newOrg,
  type OrgClient,
  payOk,
  usages,
  use,
  useCreditLifecycle,
} from './lifecycle.fixtures.js';

const { t, later } = useCreditLifecycle();

const cents = (n: number) => Math.round(n * 100);
const BUCKETS = ['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_over_90'] as const;
type Buckets = Record<(typeof BUCKETS)[number] | 'outstanding', number>;

async function agingOf(c: OrgClient, query = '', app?: FastifyInstance) {
  const res = await c.call('GET', `/v1/credit/aging${query}`, undefined, { app });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    as_of: string;
    items: (Buckets & { customer_id: string; credit_account_id: string })[];
    next_cursor: string | null;
    totals: Buckets;
  };
}

function expectBucketsAddUp(b: Buckets) {
  expect(BUCKETS.reduce((sum, k) => sum + cents(b[k]), 0)).toBe(cents(b.outstanding));
}

describe('allocation', () => {
  it('when a payment arrives, then it settles the earliest due date first, then the oldest usage', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c, { credit_limit: 10000, payment_term_days: 60 });
    const late = await use(c, id, 100.1);
    expect((await c.call('PATCH', `/v1/customers/${id}/credit`, { payment_term_days: 10 })).statusCode).toBe(200);
    const early1 = await use(c, id, 50.05);
    const early2 = await use(c, id, 30);
    await payOk(c, id, 60);
    const byId = new Map((await usages(c, id)).map((u) => [u.usage_id, u]));
    expect(byId.get(early1.usage_id)).toMatchObject({ amount_paid: 50.05, status: 'paid' });
    expect(byId.get(early2.usage_id)).toMatchObject({ amount_paid: 9.95, status: 'open' });
    expect(byId.get(late.usage_id)).toMatchObject({ amount_paid: 0, status: 'open' });
    await payOk(c, id, 120.15);
    for (const u of await usages(c, id)) expect(u).toMatchObject({ status: 'paid', amount_paid: u.amount });
  });
});

describe('GET /v1/customers/{id}/credit/statement', () => {
  it('when usages and payments are listed for a range, then each balance is the outstanding after the line and the closing balance is the outstanding, to the cent', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c);
    const u1 = await use(c, id, 0.1);
    const u2 = await use(c, id, 0.2);
    const p1 = await payOk(c, id, 0.3);
    const u3 = await use(c, id, 1234.56);
    const p2 = await payOk(c, id, 34.5, later);
    const today = daysFromToday(0);
    const res = await c.call('GET', `/v1/customers/${id}/credit/statement?from=${today}&to=${daysFromToday(40)}`);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s).toEqual({
      from: today,
      to: daysFromToday(40),
      opening_balance: 0,
      closing_balance: 1200.06,
      lines: [
        { date: today, type: 'usage', id: u1.usage_id, reference: u1.order_id, amount: 0.1, balance: 0.1 },
        { date: today, type: 'usage', id: u2.usage_id, reference: u2.order_id, amount: 0.2, balance: 0.3 },
        { date: today, type: 'payment', id: p1.payment_id, reference: 'TRF-1', amount: 0.3, balance: 0 },
        { date: today, type: 'usage', id: u3.usage_id, reference: u3.order_id, amount: 1234.56, balance: 1234.56 },
        {
          date: daysFromToday(40),
          type: 'payment',
          id: p2.payment_id,
          reference: 'TRF-1',
          amount: 34.5,
          balance: 1200.06,
        },
      ],
    });
    expect((await creditAccount(c, id)).outstanding).toBe(s.closing_balance);

    const onlyLater = (
      await c.call('GET', `/v1/customers/${id}/credit/statement?from=${daysFromToday(1)}&to=${daysFromToday(50)}`)
    ).json();
    expect(onlyLater).toMatchObject({ opening_balance: 1234.56, closing_balance: 1200.06 });
    expect(onlyLater.lines).toHaveLength(1);
    const before = (
      await c.call('GET', `/v1/customers/${id}/credit/statement?from=${daysFromToday(-5)}&to=${daysFromToday(-1)}`)
    ).json();
    expect(before).toMatchObject({ opening_balance: 0, closing_balance: 0, lines: [] });
  });

  it('when the range is inverted or a date is malformed, then 400 names the field; an unknown account is 404', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c);
    const url = `/v1/customers/${id}/credit/statement`;
    const cases: [string, string][] = [
      [`?from=${daysFromToday(1)}&to=${daysFromToday(0)}`, 'querystring.to'],
      [`?from=2025-13-01&to=2025-12-31`, 'querystring.from'],
      [`?from=2025-01-01`, 'querystring.to'],
    ];
    for (const [query, field] of cases) {
      const res = await c.call('GET', url + query);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const none = await c.call('GET', '/v1/customers/cust_nobody/credit/statement?from=2025-01-01&to=2025-01-02');
    expect(none.statusCode).toBe(404);
  });
});

describe('GET /v1/credit/aging', () => {
  it('when accounts owe amounts of different ages, then each lands in its bucket, the buckets add up to the outstanding and the totals to the items, to the cent', async () => {
    const c = newOrg(t);
    const due0 = await creditCustomer(t, c, { credit_limit: 5000, payment_term_days: 0 });
    const due30 = await creditCustomer(t, c, { credit_limit: 5000, payment_term_days: 30 });
    const due365 = await creditCustomer(t, c, { credit_limit: 5000, payment_term_days: 365 });
    const settled = await creditCustomer(t, c, { credit_limit: 5000, payment_term_days: 30 });
    await use(c, due0, 0.1);
    await use(c, due0, 0.2);
    await use(c, due30, 333.33);
    await payOk(c, due30, 0.01);
    await use(c, due365, 1000.07);
    await use(c, settled, 10);
    await payOk(c, settled, 10);

    // 40 days later: due0 is 40 days past due, due30 10 days, due365 not yet due.
    const aging = await agingOf(c, '', later);
    expect(aging.as_of).toBe(daysFromToday(40));
    const byCustomer = new Map(aging.items.map((i) => [i.customer_id, i]));
    expect([...byCustomer.keys()]).toEqual([due0, due30, due365]);
    expect(byCustomer.get(due0)).toMatchObject({ outstanding: 0.3, days_31_60: 0.3, current: 0, days_1_30: 0 });
    expect(byCustomer.get(due30)).toMatchObject({ outstanding: 333.32, days_1_30: 333.32 });
    expect(byCustomer.get(due365)).toMatchObject({ outstanding: 1000.07, current: 1000.07 });
    for (const item of aging.items) {
      expectBucketsAddUp(item);
      expect(cents(item.outstanding)).toBe(cents((await creditAccount(c, item.customer_id)).outstanding));
    }
    expect(aging.totals).toEqual({
      outstanding: 1333.69,
      current: 1000.07,
      days_1_30: 333.32,
      days_31_60: 0.3,
      days_61_90: 0,
      days_over_90: 0,
    });
    expectBucketsAddUp(aging.totals);

    const farther = await agingOf(c, `?as_of=${daysFromToday(100)}`);
    expect(farther.items.find((i) => i.customer_id === due0)).toMatchObject({ days_over_90: 0.3 });
    expect(farther.items.find((i) => i.customer_id === due30)).toMatchObject({ days_61_90: 333.32 });
    expectBucketsAddUp(farther.totals);

    const page1 = await agingOf(c, `?as_of=${daysFromToday(40)}&limit=2`);
    expect(page1.items).toHaveLength(2);
    const page2 = await agingOf(c, `?as_of=${daysFromToday(40)}&limit=2&cursor=${page1.next_cursor}`);
    expect([...page1.items, ...page2.items].map((i) => i.customer_id)).toEqual([due0, due30, due365]);
    expect(page2.totals).toEqual(aging.totals);
    expect((await agingOf(c, `?as_of=${daysFromToday(-1)}`)).totals.outstanding).toBe(0);
  });

  it('when a payment comes after the as-of date, then the aging as of that date still shows the amount it settled', async () => {
    const c = newOrg(t);
    const id = await creditCustomer(t, c, { credit_limit: 5000, payment_term_days: 0 });
    await use(c, id, 75.25);
    await payOk(c, id, 75.25, later);
    expect((await agingOf(c, `?as_of=${daysFromToday(5)}`)).items).toEqual([
      expect.objectContaining({ customer_id: id, outstanding: 75.25, days_1_30: 75.25 }),
    ]);
    expect((await agingOf(c, `?as_of=${daysFromToday(41)}`)).items).toEqual([]);
  });

  it('when aging is asked without the role or with a bad date, then 403 and 400 naming the field', async () => {
    const c = newOrg(t);
    expect((await c.call('GET', '/v1/credit/aging', undefined, { roles: [] })).statusCode).toBe(403);
    const bad = await c.call('GET', '/v1/credit/aging?as_of=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toContain('querystring.as_of');
    expect(bad.json().type).toBe(problemType('validation-error'));
  });
});
