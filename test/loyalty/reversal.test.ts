import { describe, expect, it } from 'vitest';
import { assertValidEvent } from '../../src/outbox/events.js';
import { createCustomer, useEventTap, useTestApp } from '../helpers/fixtures.js';
import { ledgerRowsOf, storedEventsOf } from '../helpers/stored-rows.js';
import {
  account,
  call,
  earn,
  expectBalanceIsSumOfLots,
  ledgerOf,
  lotsOf,
  orgWithCustomer,
  redeem,
  reverse,
  setProgram,
} from './lifecycle.helpers.js';

const tap = useEventTap('loyalty.points.reversed');
const backends = { postgres: useTestApp(), pglite: useTestApp({ backend: 'pglite' }) };

describe.each(Object.entries(backends))('reversals (%s)', (_backend, t) => {
  it('when a refunded earn was partly spent, then the balance is zero and the rest is unrecovered_points', async () => {
    const { org, id } = await orgWithCustomer(t, { points_validity_days: null });
    const first = await earn(t, org, id, 100);
    await earn(t, org, id, 50);
    expect((await redeem(t, org, id, 120)).statusCode).toBe(201);
    await expectBalanceIsSumOfLots(t, org, id);

    const res = await reverse(t, org, id, first.transaction_id, { reason: 'order refunded' });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      reversed_transaction_id: first.transaction_id,
      points_reversed: 30,
      unrecovered_points: 70,
      points_balance: 0,
      lifetime_points: 50,
    });
    expect(body.transaction_id).toMatch(/^loy_txn_/);
    expect(await expectBalanceIsSumOfLots(t, org, id)).toBe(0);
    expect((await account(t, org, id)).tier).toBe('bronze');

    const [event] = await tap.waitForOrg(org, 1);
    expect((await storedEventsOf(t.db, org, id)).filter((name) => name === 'loyalty.points.reversed')).toHaveLength(1);
    assertValidEvent(event?.body as never);
    expect(event?.body.data).toEqual({
      customer_id: id,
      transaction_id: body.transaction_id,
      reversed_transaction_id: first.transaction_id,
      points_reversed: 30,
      unrecovered_points: 70,
      points_balance: 0,
      reason: 'order refunded',
    });
    const [entry] = await ledgerOf(t, org, id);
    expect(entry).toMatchObject({
      transaction_id: body.transaction_id,
      type: 'reversal',
      points: 100,
      points_balance: 0,
      reversed_transaction_id: first.transaction_id,
    });
  });

  it('when a refunded earn was not spent, then its own lot gives the points back first and the tier stays', async () => {
    const { org, id } = await orgWithCustomer(t, { points_validity_days: 365 });
    await earn(t, org, id, 300);
    const big = await earn(t, org, id, 400);
    expect((await account(t, org, id)).tier).toBe('silver');
    const res = await reverse(t, org, id, big.transaction_id, { points: 150 });
    expect(res.json()).toMatchObject({ points_reversed: 150, unrecovered_points: 0, points_balance: 550 });
    const lots = await lotsOf(t, org, id);
    expect(lots.map((l) => l.remaining)).toEqual([300, 250]);
    const after = await account(t, org, id);
    expect(after).toMatchObject({ lifetime_points: 550, tier: 'silver' });
    await expectBalanceIsSumOfLots(t, org, id);
  });

  it('when a redemption is cancelled, then its points go back into the lots they came from, with their expiry', async () => {
    const { org, id } = await orgWithCustomer(t, { points_validity_days: 30 });
    await earn(t, org, id, 100);
    await setProgram(t, org, { points_validity_days: 365 });
    await earn(t, org, id, 50);
    const [soon, later] = await lotsOf(t, org, id);
    const redeemed = await redeem(t, org, id, 120);
    expect(redeemed.statusCode).toBe(201);
    expect((await lotsOf(t, org, id)).map((l) => l.remaining)).toEqual([0, 30]);
    expect((await account(t, org, id)).next_expiry).toEqual({
      points: 30,
      expires_at: later?.expires_at?.toISOString(),
    });

    const part = await reverse(t, org, id, redeemed.json().transaction_id, { points: 50 });
    expect(part.json()).toMatchObject({ points_reversed: 50, unrecovered_points: 0, points_balance: 80 });
    expect((await lotsOf(t, org, id)).map((l) => l.remaining)).toEqual([30, 50]);
    const rest = await reverse(t, org, id, redeemed.json().transaction_id);
    expect(rest.json()).toMatchObject({ points_reversed: 70, unrecovered_points: 0, points_balance: 150 });
    const lots = await lotsOf(t, org, id);
    expect(lots.map((l) => [l.remaining, l.expires_at?.toISOString()])).toEqual([
      [100, soon?.expires_at?.toISOString()],
      [50, later?.expires_at?.toISOString()],
    ]);
    expect((await account(t, org, id)).next_expiry).toEqual({
      points: 100,
      expires_at: soon?.expires_at?.toISOString(),
    });
    await expectBalanceIsSumOfLots(t, org, id);

    const again = await reverse(t, org, id, redeemed.json().transaction_id, { points: 1 });
    expect(again.statusCode).toBe(422);
    expect(again.json().type).toMatch(/\/reversal-exceeds-transaction$/);
  });

  it('when reversals would exceed the transaction, or target a reversal or an unknown entry, then 422/404 and nothing changes', async () => {
    const { org, id } = await orgWithCustomer(t, { points_validity_days: null });
    const earned = await earn(t, org, id, 100);
    const over = await reverse(t, org, id, earned.transaction_id, { points: 101 });
    expect(over.statusCode).toBe(422);
    expect(over.json()).toMatchObject({ points_reversible: 100, points_requested: 101 });
    expect(over.json().type).toMatch(/\/reversal-exceeds-transaction$/);
    const first = await reverse(t, org, id, earned.transaction_id, { points: 60 });
    expect(first.statusCode).toBe(201);
    const second = await reverse(t, org, id, earned.transaction_id, { points: 41 });
    expect(second.statusCode).toBe(422);
    const ofReversal = await reverse(t, org, id, first.json().transaction_id);
    expect(ofReversal.statusCode).toBe(422);
    expect(ofReversal.json().type).toMatch(/\/not-reversible$/);
    const unknown = await reverse(t, org, id, 'loy_txn_nope');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().type).toMatch(/\/transaction-not-found$/);
    const other = await createCustomer(t, { org });
    expect((await reverse(t, org, other, earned.transaction_id)).statusCode).toBe(404);
    const zero = await reverse(t, org, id, earned.transaction_id, { points: 0 });
    expect(zero.statusCode).toBe(400);
    expect(JSON.stringify(zero.json().errors)).toContain('points');
    const long = await reverse(t, org, id, earned.transaction_id, { reason: 'x'.repeat(201) });
    expect(long.statusCode).toBe(400);
    expect(JSON.stringify(long.json().errors)).toContain('reason');
    expect(await expectBalanceIsSumOfLots(t, org, id)).toBe(40);
    expect((await ledgerOf(t, org, id)).map((e) => e.type)).toEqual(['reversal', 'earn']);
  });

  it('when the same Idempotency-Key is sent twice, then the reversal happens once and the answer is replayed', async () => {
    const { org, id } = await orgWithCustomer(t, { points_validity_days: null });
    const earned = await earn(t, org, id, 100);
    const headers = { 'idempotency-key': `rev-${earned.transaction_id}` };
    const a = await reverse(t, org, id, earned.transaction_id, { points: 10 }, headers);
    const b = await reverse(t, org, id, earned.transaction_id, { points: 10 }, headers);
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.json()).toEqual(a.json());
    expect(await expectBalanceIsSumOfLots(t, org, id)).toBe(90);
    await tap.waitForOrg(org, 1);
    // One reversal entry and one event stored: the replay wrote neither.
    expect((await storedEventsOf(t.db, org, id)).filter((name) => name === 'loyalty.points.reversed')).toHaveLength(1);
    expect((await ledgerRowsOf(t.db, org, id)).loyalty.filter((entry) => entry.type === 'reversal')).toHaveLength(1);
  });

  it('when two reversals of one earn race, then together they never exceed it', async () => {
    const { org, id } = await orgWithCustomer(t, { points_validity_days: null });
    for (let round = 0; round < 5; round++) {
      const earned = await earn(t, org, id, 100);
      const results = await Promise.all([
        reverse(t, org, id, earned.transaction_id, { points: 60 }),
        reverse(t, org, id, earned.transaction_id, { points: 60 }),
        reverse(t, org, id, earned.transaction_id, { points: 40 }),
      ]);
      const codes = results.map((r) => r.statusCode);
      const reversed = results.filter((r) => r.statusCode === 201).map((r) => r.json().points_reversed);
      expect(reversed.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100);
      expect(codes.filter((c) => c === 201).length).toBe(2);
      expect(codes.filter((c) => c === 422).length).toBe(1);
      await expectBalanceIsSumOfLots(t, org, id);
    }
    expect((await account(t, org, id)).points_balance).toBe(0);
  });

  it('when a reversal races a redemption, then the balance never goes below zero and the totals hold', async () => {
    const { org, id } = await orgWithCustomer(t, { points_validity_days: null });
    for (let round = 0; round < 5; round++) {
      const earned = await earn(t, org, id, 100);
      const [rev, red] = await Promise.all([reverse(t, org, id, earned.transaction_id), redeem(t, org, id, 80)]);
      expect(rev.statusCode).toBe(201);
      const r = rev.json();
      expect(r.points_reversed + r.unrecovered_points).toBe(100);
      if (red.statusCode === 201) {
        // the redemption went first: 80 of the earn were spent
        expect(r).toMatchObject({ points_reversed: 20, unrecovered_points: 80, points_balance: 0 });
      } else {
        expect(red.statusCode).toBe(422);
        expect(r).toMatchObject({ points_reversed: 100, unrecovered_points: 0, points_balance: 0 });
      }
      expect(await expectBalanceIsSumOfLots(t, org, id)).toBe(0);
    }
  });

  it('when a customer is enrolled, then its account shows next_expiry null and the profile carries it too', async () => {
    const { org, id } = await orgWithCustomer(t, { points_validity_days: 10 });
    expect((await account(t, org, id)).next_expiry).toBeNull();
    await earn(t, org, id, 5);
    const profile = await call(t, org, 'GET', `/v1/customers/${id}`);
    expect(profile.json().loyalty.next_expiry.points).toBe(5);
  });
});
