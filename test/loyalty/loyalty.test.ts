import { describe, expect, it } from 'vitest';
import { assertValidEvent } from '../../src/outbox/events.js';
import { uniqueOrg } from '../helpers/app.js';
import type { ReceivedEvent } from '../helpers/events.js';
import { createCustomer, useEventTap, useTestApp } from '../helpers/fixtures.js';

const tap = useEventTap('loyalty.#');
const t = useTestApp();

function earn(
  id: string,
  body: Record<string, unknown>,
  extra: { org?: string; headers?: Record<string, string> } = {},
) {
  return t.request({ method: 'POST', url: `/v1/customers/${id}/loyalty/earn`, payload: body, ...extra });
}
function redeem(
  id: string,
  body: Record<string, unknown>,
  extra: { org?: string; headers?: Record<string, string> } = {},
) {
  return t.request({ method: 'POST', url: `/v1/customers/${id}/loyalty/redeem`, payload: body, ...extra });
}
const ref = () => `order_${Math.random().toString(36).slice(2)}`;

function eventsOf(id: string, events: ReceivedEvent[]) {
  return events.filter((e) => e.body.data.customer_id === id);
}
async function waitEvents(id: string, count: number): Promise<ReceivedEvent[]> {
  await tap.waitUntil((all) => eventsOf(id, all).length >= count);
  return eventsOf(id, tap.received);
}

describe('earning and redeeming (the seed numbers)', () => {
  it('when 100 points are earned on a balance of 450, then the balance is 550 and the tier silver', async () => {
    const id = await createCustomer(t);
    expect((await earn(id, { points: 450, reference_type: 'purchase', reference_id: ref() })).statusCode).toBe(201);
    const res = await earn(id, { points: 100, reference_type: 'purchase', reference_id: 'order_789' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ points_earned: 100, points_balance: 550, lifetime_points: 550, tier: 'silver' });
    expect(res.json().transaction_id).toMatch(/^loy_txn_/);

    const events = await waitEvents(id, 3);
    expect(events.map((e) => e.routingKey)).toEqual([
      'loyalty.points.earned',
      'loyalty.points.earned',
      'loyalty.tier.upgraded',
    ]);
    for (const e of events) assertValidEvent(e.body as never);
    expect(events[1]?.body.data).toEqual({
      customer_id: id,
      transaction_id: res.json().transaction_id,
      points_earned: 100,
      points_balance: 550,
      tier: 'silver',
      reference_type: 'purchase',
      reference_id: 'order_789',
    });
    expect(events[2]?.body.data).toEqual({
      customer_id: id,
      previous_tier: 'bronze',
      new_tier: 'silver',
      lifetime_points: 550,
    });
  });

  it('when 100 points are redeemed, then the discount is 1.00 and the tier does not fall', async () => {
    const id = await createCustomer(t);
    await earn(id, { points: 550, reference_type: 'purchase', reference_id: ref() });
    const res = await redeem(id, { points: 100 });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ points_redeemed: 100, points_balance: 450, discount_value: 1 });
    const events = await waitEvents(id, 3);
    const redeemed = events.find((e) => e.body.event === 'loyalty.points.redeemed');
    expect(redeemed?.body.data).toEqual({
      customer_id: id,
      transaction_id: res.json().transaction_id,
      points_redeemed: 100,
      points_balance: 450,
      discount_value: 1,
    });
    expect(redeemed?.raw).toContain('"discount_value":1}');
    const account = await t.request({ method: 'GET', url: `/v1/customers/${id}/loyalty` });
    expect(account.json()).toEqual({
      customer_id: id,
      points_balance: 450,
      lifetime_points: 550,
      tier: 'silver',
      next_tier: 'gold',
      points_to_next_tier: 450,
      next_expiry: null,
    });
  });

  it('when 1000 lifetime points are reached in one earn from bronze, then one tier.upgraded bronze → gold follows', async () => {
    const id = await createCustomer(t);
    const res = await earn(id, { points: 1000, reference_type: 'purchase', reference_id: ref() });
    expect(res.json().tier).toBe('gold');
    const events = await tap.expectExactly((e) => e.body.data.customer_id === id, 2);
    expect(events[0]?.body.event).toBe('loyalty.points.earned');
    expect(events[1]?.body).toMatchObject({
      event: 'loyalty.tier.upgraded',
      data: { previous_tier: 'bronze', new_tier: 'gold', lifetime_points: 1000 },
    });
  });

  it('when an amount is earned, then it converts at the earn rate, rounded down', async () => {
    const id = await createCustomer(t);
    const res = await earn(id, { amount: 25.99, reference_type: 'purchase', reference_id: ref() });
    expect(res.statusCode).toBe(201);
    expect(res.json().points_earned).toBe(25);
    const small = await earn(id, { amount: 0.5, reference_type: 'purchase', reference_id: ref() });
    expect(small.statusCode).toBe(422);
  });

  it('when the same reference earns twice, then 409 duplicate-reference names the first transaction', async () => {
    const id = await createCustomer(t);
    const reference = ref();
    const first = await earn(id, { points: 10, reference_type: 'purchase', reference_id: reference });
    const second = await earn(id, { points: 10, reference_type: 'purchase', reference_id: reference });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ transaction_id: first.json().transaction_id });
    expect(second.json().type).toMatch(/duplicate-reference$/);
    const account = await t.request({ method: 'GET', url: `/v1/customers/${id}/loyalty` });
    expect(account.json().points_balance).toBe(10);
  });

  it('when a redemption exceeds the balance, then 422 insufficient-points and nothing is published', async () => {
    const id = await createCustomer(t);
    await earn(id, { points: 50, reference_type: 'purchase', reference_id: ref() });
    const res = await redeem(id, { points: 51 });
    expect(res.statusCode).toBe(422);
    expect(res.json().type).toMatch(/insufficient-points$/);
    await waitEvents(id, 1);
    await tap.expectNothingMore((e) => e.body.data.customer_id === id && e.body.event === 'loyalty.points.redeemed', 0);
  });

  it('when points are not positive integers, then 400 names the field', async () => {
    const id = await createCustomer(t);
    for (const points of [0, -5, 1.5, '10']) {
      const res = await earn(id, { points, reference_type: 'purchase', reference_id: ref() });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain('points');
      expect((await redeem(id, { points })).statusCode).toBe(400);
    }
    const both = await earn(id, { points: 1, amount: 1, reference_type: 'purchase', reference_id: ref() });
    expect(both.statusCode).toBe(400);
    const tooPrecise = await earn(id, { amount: 1.005, reference_type: 'purchase', reference_id: ref() });
    expect(tooPrecise.statusCode).toBe(400);
    expect(tooPrecise.json().errors.map((e: { field: string }) => e.field)).toContain('amount');
  });
});

describe('concurrency and retries', () => {
  it('when 20 redemptions of 100 race on a balance of 1000, then exactly 10 succeed and the balance is 0', async () => {
    const id = await createCustomer(t);
    await earn(id, { points: 1000, reference_type: 'purchase', reference_id: ref() });
    const results = await Promise.all(Array.from({ length: 20 }, () => redeem(id, { points: 100 })));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(10);
    expect(results.filter((r) => r.statusCode === 422)).toHaveLength(10);
    const account = await t.request({ method: 'GET', url: `/v1/customers/${id}/loyalty` });
    expect(account.json().points_balance).toBe(0);
    const balances = results.filter((r) => r.statusCode === 201).map((r) => r.json().points_balance);
    expect(balances.sort((a, b) => a - b)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
  });

  it('when an earn is retried with one Idempotency-Key, then it applies and publishes once', async () => {
    const id = await createCustomer(t);
    const headers = { 'idempotency-key': `earn-${id}` };
    const body = { points: 70, reference_type: 'purchase', reference_id: ref() };
    const results = await Promise.all(Array.from({ length: 4 }, () => earn(id, body, { headers })));
    expect(results.every((r) => r.statusCode === 201 && r.body === results[0]?.body)).toBe(true);
    await tap.expectExactly((e) => e.body.data.customer_id === id, 1, 400);
  });

  it('when earns, redemptions the balance always covers and ones it never can race, then each answers as it must and the cached balance is the ledger sum', async () => {
    const id = await createCustomer(t);
    expect((await earn(id, { points: 70, reference_type: 'purchase', reference_id: ref() })).statusCode).toBe(201);
    // 70 covers the ten redemptions of 7 in any order; 216 is more than the balance can ever be (70 + 145).
    const earns = Array.from({ length: 10 }, (_, i) =>
      earn(id, { points: 10 + i, reference_type: 'purchase', reference_id: ref() }),
    );
    const covered = Array.from({ length: 10 }, () => redeem(id, { points: 7 }));
    const never = Array.from({ length: 5 }, () => redeem(id, { points: 216 }));
    const [earned, redeemed, refused] = await Promise.all([
      Promise.all(earns),
      Promise.all(covered),
      Promise.all(never),
    ]);
    for (const r of [...earned, ...redeemed]) expect(r.statusCode, r.body).toBe(201);
    for (const r of refused) {
      expect(r.statusCode, r.body).toBe(422);
      expect(r.json().type).toMatch(/insufficient-points$/);
    }
    const ledger = await t.db.query<{ balance: number; lifetime: number; entries: number }>(
      `SELECT COALESCE(SUM(CASE WHEN type = 'earn' THEN points ELSE -points END), 0)::int AS balance,
              COALESCE(SUM(CASE WHEN type = 'earn' THEN points ELSE 0 END), 0)::int AS lifetime,
              count(*)::int AS entries
         FROM loyalty_transactions WHERE organization_id = $1 AND customer_id = $2`,
      [t.org, id],
    );
    expect(ledger.rows[0]).toEqual({ balance: 145, lifetime: 215, entries: 21 });
    const account = (await t.request({ method: 'GET', url: `/v1/customers/${id}/loyalty` })).json();
    expect(account).toMatchObject({ points_balance: 145, lifetime_points: 215 });
    // The ledger is one serial order (each entry's balance the previous one moved by its points), and each answer
    // tells the balance after its own entry.
    const chain = await t.db.query<{ type: string; points: number; points_balance: number }>(
      `SELECT type, points::int, points_balance::int FROM loyalty_transactions
        WHERE organization_id = $1 AND customer_id = $2 ORDER BY seq`,
      [t.org, id],
    );
    let balance = 0;
    for (const e of chain.rows) {
      balance += e.type === 'earn' ? e.points : -e.points;
      expect(e.points_balance).toBe(balance);
    }
    const answered = [...earned, ...redeemed].map((r) => r.json().points_balance as number);
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    expect(sorted(answered)).toEqual(sorted(chain.rows.slice(1).map((e) => e.points_balance)));
  });
});

describe('ledger, enrollment and programs', () => {
  it('when the ledger is listed, then entries come newest first with actor and balance after, page by page', async () => {
    const id = await createCustomer(t);
    for (let i = 1; i <= 3; i++)
      await earn(id, { points: i * 10, reference_type: 'purchase', reference_id: `r${i}-${id}` });
    await t.request({
      method: 'POST',
      url: `/v1/customers/${id}/loyalty/redeem`,
      payload: { points: 5 },
      sub: 'cashier_9',
    });
    const first = await t.request({ method: 'GET', url: `/v1/customers/${id}/loyalty/transactions?limit=3` });
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items.map((e: { type: string; points: number }) => [e.type, e.points])).toEqual([
      ['redeem', 5],
      ['earn', 30],
      ['earn', 20],
    ]);
    expect(page1.items[0]).toMatchObject({ actor: 'cashier_9', points_balance: 55, reference_type: null });
    const page2 = (
      await t.request({
        method: 'GET',
        url: `/v1/customers/${id}/loyalty/transactions?limit=3&cursor=${page1.next_cursor}`,
      })
    ).json();
    expect(page2.items.map((e: { points: number }) => e.points)).toEqual([10]);
    expect(page2.next_cursor).toBeNull();
  });

  it('when a customer was created without loyalty, then earning is 404 until POST …/loyalty enrolls them once', async () => {
    const id = await createCustomer(t, { enroll_loyalty: false });
    const before = await earn(id, { points: 5, reference_type: 'purchase', reference_id: ref() });
    expect(before.statusCode).toBe(404);
    expect(before.json().type).toMatch(/loyalty-account-not-found$/);
    const enrolled = await t.request({ method: 'POST', url: `/v1/customers/${id}/loyalty` });
    expect(enrolled.statusCode).toBe(201);
    expect(enrolled.json()).toMatchObject({ points_balance: 0, tier: 'bronze' });
    expect((await t.request({ method: 'POST', url: `/v1/customers/${id}/loyalty` })).statusCode).toBe(409);
    expect((await earn(id, { points: 5, reference_type: 'purchase', reference_id: ref() })).statusCode).toBe(201);
  });

  it('when an organization sets its program, then later movements use it and other organizations keep the defaults', async () => {
    const org = uniqueOrg();
    const program = {
      earn_points_per_currency_unit: 10,
      redeem_points_per_currency_unit: 50,
      tiers: [
        { name: 'member', min_lifetime_points: 0 },
        { name: 'vip', min_lifetime_points: 100 },
      ],
    };
    const denied = await t.request({ method: 'PUT', url: '/v1/loyalty/program', payload: program, org, roles: [] });
    expect(denied.statusCode).toBe(403);
    const put = await t.request({ method: 'PUT', url: '/v1/loyalty/program', payload: program, org });
    expect(put.statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: '/v1/loyalty/program', org })).json()).toEqual({
      ...program,
      points_validity_days: null,
      expiry_notice_days: 30,
    });
    expect((await t.request({ method: 'GET', url: '/v1/loyalty/program' })).json().tiers[0].name).toBe('bronze');

    const id = await createCustomer(t, { org });
    const res = await earn(id, { amount: 12.34, reference_type: 'purchase', reference_id: ref() }, { org });
    expect(res.json()).toMatchObject({ points_earned: 123, tier: 'vip' });
    const r = await redeem(id, { points: 75 }, { org });
    expect(r.json().discount_value).toBe(1.5);
  });

  it('when a program is invalid, then 400 names the field', async () => {
    const bad = [
      { tiers: [{ name: 'a', min_lifetime_points: 10 }], field: 'tiers.0.min_lifetime_points' },
      {
        tiers: [
          { name: 'a', min_lifetime_points: 0 },
          { name: 'b', min_lifetime_points: 0 },
        ],
        field: 'tiers.1.min_lifetime_points',
      },
    ];
    for (const { tiers, field } of bad) {
      const res = await t.request({
        method: 'PUT',
        url: '/v1/loyalty/program',
        payload: { earn_points_per_currency_unit: 1, redeem_points_per_currency_unit: 100, tiers },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const zeroRate = await t.request({
      method: 'PUT',
      url: '/v1/loyalty/program',
      payload: {
        earn_points_per_currency_unit: 0,
        redeem_points_per_currency_unit: 100,
        tiers: [{ name: 'a', min_lifetime_points: 0 }],
      },
    });
    expect(zeroRate.statusCode).toBe(400);
    expect(zeroRate.json().errors.map((e: { field: string }) => e.field)).toContain('earn_points_per_currency_unit');
  });
});
