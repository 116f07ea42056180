import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemType } from '../../src/errors.js';
import { answeredRequests } from '../helpers/figures.js';
import { createCustomer, useTestApp } from '../helpers/fixtures.js';
import { expectProblem, failingFields } from './security.helpers.js';

/*
 * Property-based: every money and points field of the HTTP API gets arbitrary JSON (huge, negative, many decimals,
 * 2^53 + 1, literals no double holds, strings, null…) against the real app on PostgreSQL. Each answer is checked
 * against a model of the documented rules: never a 5xx; a 400 names the field; a 422 has the type the rule says
 * (points-limit-exceeded naming the field); a 2xx moves the figures exactly. No stored figure passes its bound.
 */

/** The documented bounds (docs/http-api.md), written out: a change to them must be a change to this test too. */
const POINTS_PER_OPERATION = 1_000_000_000;
const POINTS_HELD = 1_000_000_000_000;
const MONEY_BELOW = 1_000_000_000_000;

/** Fixed so a failure replays; FC_SEED=… explores other inputs. fast-check prints the seed and path on failure. */
const SEED = Number(process.env.FC_SEED ?? 20_261_204);
const RUNS = Number(process.env.FC_RUNS ?? 60);
const params = { seed: SEED, numRuns: RUNS, endOnFailure: true };

const t = useTestApp({ relay: false });

// ---- inputs ----------------------------------------------------------------------------------------------------

/** JSON literals for a numeric field: numbers no double holds, edges of the bounds, and things that are no number. */
const edgeLiterals = [
  '0',
  '-0',
  '-1',
  '1',
  '0.01',
  '0.005',
  '0.30000000000000004',
  '1e-7',
  '5e-324',
  '1e-400',
  '1.000',
  '1E2',
  '100.001',
  '12.345678901234567890',
  '999999999.99',
  '1000000000',
  '1000000001',
  '999999999999',
  '999999999999.99',
  '999999999999.995',
  '1000000000000',
  '1000000000000.01',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '18446744073709551617',
  '123456789012345678901234567890',
  '1e15',
  '1e21',
  '1.7976931348623157e308',
  '1e400',
  '-1e400',
  '-999999999999.99',
  '"NaN"',
  '"Infinity"',
  '"-Infinity"',
  '"10"',
  '"1e3"',
  '"0x10"',
  '""',
  'null',
  'true',
  '[]',
  '[1]',
  '{}',
];

/** Just at, under and over each bound: integers around the points and program bounds, cents around 10^12. */
const nearBounds: fc.Arbitrary<string> = fc.oneof(
  fc
    .constantFrom(365, 3650, 1_000_000, 1_000_000_000, 1_000_000_000_000, 2 ** 53)
    .chain((bound) => fc.integer({ min: -2, max: 2 }).map((d) => String(bound + d))),
  fc.integer({ min: -2, max: 2 }).map((d) => JSON.stringify((100_000_000_000_000 + d) / 100)),
);

const hostileNumber: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...edgeLiterals) },
  { weight: 2, arbitrary: nearBounds },
  { weight: 1, arbitrary: fc.maxSafeInteger().map(String) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)) },
  { weight: 1, arbitrary: fc.double({ min: 1e-3, max: 1e13, noNaN: true }).map((n) => JSON.stringify(n)) },
);

/** Valid money of any size: 0.01 to 999,999,999,999.99, small ones often. */
const validMoney: fc.Arbitrary<string> = fc
  .oneof(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 99_999_999_999_999 }))
  .map((cents) => JSON.stringify(cents / 100));

const anyMoney = fc.oneof(validMoney, hostileNumber);

/** Valid points (1 to 10^9), small ones often. */
const validPoints: fc.Arbitrary<string> = fc
  .oneof(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: POINTS_PER_OPERATION }))
  .map(String);

/** A points literal, or `room + delta`: the points that leave a balance just at, under or over its bound. */
type PointsInput = { literal: string } | { delta: number };
const pointsInput: fc.Arbitrary<PointsInput> = fc.oneof(
  { weight: 2, arbitrary: validPoints.map((literal) => ({ literal })) },
  { weight: 2, arbitrary: hostileNumber.map((literal) => ({ literal })) },
  { weight: 1, arbitrary: fc.integer({ min: -2, max: 2 }).map((delta) => ({ delta })) },
);
function pointsLiteral(p: PointsInput, room: number): string {
  return 'literal' in p ? p.literal : String(room + p.delta);
}

// ---- the model -------------------------------------------------------------------------------------------------

/** What the server's JSON parser makes of a literal. */
function parsed(literal: string): unknown {
  return JSON.parse(literal);
}

/** Valid money: a number > 0, below 10^12, with at most 2 decimals (the nearest double to a 2-decimal amount). */
function moneyOf(literal: string): number | undefined {
  const v = parsed(literal);
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v >= MONEY_BELOW) return undefined;
  return Number(v.toFixed(2)) === v ? v : undefined;
}

function cents(amount: number): bigint {
  return BigInt(Math.round(amount * 100));
}

function integerOf(literal: string, min: number, max: number): number | undefined {
  const v = parsed(literal);
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined;
}

function jsonBody(fields: Record<string, string | undefined>): string {
  const parts = Object.entries(fields)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)}:${v}`);
  return `{${parts.join(',')}}`;
}

let sent = 0;
async function send(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: string) {
  sent += 1;
  return t.request({
    method,
    url,
    ...(body === undefined ? {} : { payload: body, headers: { 'content-type': 'application/json' } }),
  });
}

/** How often each answer came, per property: the properties must reach the bounds, not only the 400s. */
const outcomes = new Map<string, Map<string, number>>();
let property = '';
function tally(res: LightMyRequestResponse): void {
  const type = res.statusCode >= 400 ? ` ${String(res.json().type).split('/').pop()}` : '';
  const counts = outcomes.get(property) ?? new Map<string, number>();
  counts.set(`${res.statusCode}${type}`, (counts.get(`${res.statusCode}${type}`) ?? 0) + 1);
  outcomes.set(property, counts);
}
/** Starts counting the answers of property `name`. */
function counting(name: string): void {
  property = name;
}
/** The answers property `name` got (`201`, `422 points-limit-exceeded`…). */
function seen(name: string): string[] {
  return [...(outcomes.get(name)?.keys() ?? [])];
}

/** The answer is what the model expects: `expected` a 2xx status, `400` naming `field`, or a 422 of `type`. */
function expectAnswer(
  res: LightMyRequestResponse,
  context: string,
  expected: { status: number } | { invalid: string } | { refused: string; field?: string },
): void {
  const where = `${context} → ${res.statusCode} ${res.body.slice(0, 400)}`;
  expect(res.statusCode, where).toBeLessThan(500);
  tally(res);
  if ('status' in expected) {
    expect(res.statusCode, where).toBe(expected.status);
    return;
  }
  const problem = expectProblem(res, context);
  if ('invalid' in expected) {
    expect(res.statusCode, where).toBe(400);
    expect(failingFields(res), where).toContain(expected.invalid);
    return;
  }
  expect(res.statusCode, where).toBe(422);
  expect(problem.type, where).toBe(problemType(expected.refused));
  if (expected.field) expect(failingFields(res), where).toEqual([expected.field]);
}

async function loyaltyOf(id: string): Promise<{ points_balance: number; lifetime_points: number }> {
  const res = await t.request({ method: 'GET', url: `/v1/customers/${id}/loyalty` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function creditOf(id: string): Promise<{ credit_limit: number; outstanding: number; status: string }> {
  const res = await t.request({ method: 'GET', url: `/v1/customers/${id}/credit` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/**
 * Adds `balance` points (one never-expiring lot) and `lifetime` lifetime points to an account, straight in the
 * database: the state a long history leaves (10^3 earns of 10^9 points would take minutes through the API).
 */
async function seedPoints(id: string, add: { balance: number; lifetime: number }): Promise<void> {
  await t.db.query(
    `WITH lot AS (
       INSERT INTO loyalty_lots (organization_id, customer_id, transaction_id, points, remaining, earned_at, expires_at)
       VALUES ($1, $2, NULL, $3, $3, now(), NULL)
     )
     UPDATE loyalty_accounts SET points_balance = points_balance + $3, lifetime_points = lifetime_points + $4
      WHERE organization_id = $1 AND customer_id = $2`,
    [t.org, id, add.balance, add.lifetime],
  );
}

/** A program body; the second tier's threshold is `tier` (default 500). */
function programBody(f: { earn?: string; redeem?: string; tier?: string; validity?: string; notice?: string }) {
  return jsonBody({
    earn_points_per_currency_unit: f.earn ?? '1',
    redeem_points_per_currency_unit: f.redeem ?? '100',
    tiers: `[{"name":"bronze","min_lifetime_points":0},{"name":"silver","min_lifetime_points":${f.tier ?? '500'}}]`,
    points_validity_days: f.validity,
    expiry_notice_days: f.notice,
  });
}

let ref = 0;
const nextRef = () => `bounds_${++ref}`;

// ---- the properties --------------------------------------------------------------------------------------------

describe('money and points bounds (property-based, real app and PostgreSQL)', () => {
  /**
   * Accounts at 0; with a balance and lifetime total near the bound; with the lifetime total near it (points spent
   * long ago); with only the balance near it (a balance can pass its lifetime total: earns reversed after their
   * points were redeemed, then the redemptions reversed).
   */
  const accounts = { fresh: '', fullBalance: '', fullLifetime: '', balanceOverLifetime: '' };
  beforeAll(async () => {
    for (const name of Object.keys(accounts) as (keyof typeof accounts)[]) accounts[name] = await createCustomer(t);
    await seedPoints(accounts.fullBalance, { balance: POINTS_HELD - 1_000_000, lifetime: POINTS_HELD - 1_000_000 });
    await seedPoints(accounts.fullLifetime, { balance: 1_000_000, lifetime: POINTS_HELD - 5_000 });
    await seedPoints(accounts.balanceOverLifetime, { balance: POINTS_HELD - 5_000, lifetime: 1_000_000 });
  });
  const anAccount = fc.constantFrom<keyof typeof accounts>(
    'fresh',
    'fullBalance',
    'fullLifetime',
    'balanceOverLifetime',
  );

  it('when an earn converts any amount at any program earn rate, then it credits exactly floor(cents × rate / 100) or is refused naming the field', async () => {
    let rate = 1;
    counting('earn-amount');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: 1, max: 1_000_000 }).map(String), hostileNumber),
        anyMoney,
        anAccount,
        async (rateLiteral, amountLiteral, which) => {
          const put = await send('PUT', '/v1/loyalty/program', programBody({ earn: rateLiteral }));
          const newRate = integerOf(rateLiteral, 1, 1_000_000);
          expectAnswer(
            put,
            `PUT program earn rate ${rateLiteral}`,
            newRate === undefined ? { invalid: 'earn_points_per_currency_unit' } : { status: 200 },
          );
          if (newRate !== undefined) rate = newRate;

          const id = accounts[which];
          const before = await loyaltyOf(id);
          const res = await send(
            'POST',
            `/v1/customers/${id}/loyalty/earn`,
            jsonBody({ amount: amountLiteral, reference_type: '"purchase"', reference_id: JSON.stringify(nextRef()) }),
          );
          const context = `earn amount ${amountLiteral} at rate ${rate} on ${which} ${JSON.stringify(before)}`;
          const amount = moneyOf(amountLiteral);
          if (amount === undefined) return expectAnswer(res, context, { invalid: 'amount' });
          const points = (cents(amount) * BigInt(rate)) / 100n;
          if (points === 0n) return expectAnswer(res, context, { refused: 'no-points' });
          const over =
            points > BigInt(POINTS_PER_OPERATION) ||
            BigInt(before.points_balance) + points > BigInt(POINTS_HELD) ||
            BigInt(before.lifetime_points) + points > BigInt(POINTS_HELD);
          if (over) return expectAnswer(res, context, { refused: 'points-limit-exceeded', field: 'amount' });
          expectAnswer(res, context, { status: 201 });
          expect(res.json(), context).toMatchObject({
            points_earned: Number(points),
            points_balance: before.points_balance + Number(points),
            lifetime_points: before.lifetime_points + Number(points),
          });
        },
      ),
      params,
    );
    expect(seen('earn-amount')).toEqual(
      expect.arrayContaining(['201', '400 validation-error', '422 points-limit-exceeded']),
    );
  });

  it('when an earn gives any points, then the balance and the lifetime total never pass 10^12', async () => {
    counting('earn-points');
    await fc.assert(
      fc.asyncProperty(pointsInput, anAccount, async (input, which) => {
        const id = accounts[which];
        const before = await loyaltyOf(id);
        const room = POINTS_HELD - Math.max(before.points_balance, before.lifetime_points);
        const literal = pointsLiteral(input, room);
        const res = await send(
          'POST',
          `/v1/customers/${id}/loyalty/earn`,
          jsonBody({ points: literal, reference_type: '"purchase"', reference_id: JSON.stringify(nextRef()) }),
        );
        const context = `earn points ${literal} on ${which} ${JSON.stringify(before)}`;
        const points = integerOf(literal, 1, POINTS_PER_OPERATION);
        if (points === undefined) return expectAnswer(res, context, { invalid: 'points' });
        if (points > room) return expectAnswer(res, context, { refused: 'points-limit-exceeded', field: 'points' });
        expectAnswer(res, context, { status: 201 });
        expect(res.json().points_balance, context).toBe(before.points_balance + points);
      }),
      params,
    );
    expect(seen('earn-points')).toEqual(
      expect.arrayContaining(['201', '400 validation-error', '422 points-limit-exceeded']),
    );
  });

  it('when a redemption asks any points, then it takes exactly them or is refused naming the field', async () => {
    counting('redeem');
    await fc.assert(
      fc.asyncProperty(pointsInput, anAccount, async (input, which) => {
        const id = accounts[which];
        const before = await loyaltyOf(id);
        const literal = pointsLiteral(input, before.points_balance);
        const res = await send('POST', `/v1/customers/${id}/loyalty/redeem`, jsonBody({ points: literal }));
        const context = `redeem points ${literal} on ${which} ${JSON.stringify(before)}`;
        const points = integerOf(literal, 1, POINTS_PER_OPERATION);
        if (points === undefined) return expectAnswer(res, context, { invalid: 'points' });
        if (points > before.points_balance) return expectAnswer(res, context, { refused: 'insufficient-points' });
        expectAnswer(res, context, { status: 201 });
        expect(res.json().points_balance, context).toBe(before.points_balance - points);
      }),
      params,
    );
    expect(seen('redeem')).toEqual(expect.arrayContaining(['201', '400 validation-error', '422 insufficient-points']));
  });

  it('when a redemption is reversed by any points, then the balance it gets back never passes 10^12', async () => {
    // A redemption of 10^9 points on a full account, then the balance raised back to 10^6 below the bound.
    const id = await createCustomer(t);
    await seedPoints(id, { balance: POINTS_HELD, lifetime: POINTS_HELD });
    const redeemed = await send('POST', `/v1/customers/${id}/loyalty/redeem`, jsonBody({ points: '1000000000' }));
    expect(redeemed.statusCode, redeemed.body).toBe(201);
    await seedPoints(id, { balance: POINTS_PER_OPERATION - 1_000_000, lifetime: 0 });
    const url = `/v1/customers/${id}/loyalty/transactions/${redeemed.json().transaction_id}/reversal`;
    let reversible = POINTS_PER_OPERATION;
    counting('reversal');
    await fc.assert(
      fc.asyncProperty(fc.option(pointsInput, { freq: 10 }), async (input) => {
        const before = await loyaltyOf(id);
        const room = POINTS_HELD - before.points_balance;
        const literal = input === null ? undefined : pointsLiteral(input, room);
        const res = await send('POST', url, literal === undefined ? undefined : jsonBody({ points: literal }));
        const context = `reverse ${literal ?? '(all)'} of ${reversible} on ${JSON.stringify(before)}`;
        const points = literal === undefined ? reversible : integerOf(literal, 1, POINTS_PER_OPERATION);
        if (points === undefined) return expectAnswer(res, context, { invalid: 'points' });
        if (points > reversible || points === 0) {
          return expectAnswer(res, context, { refused: 'reversal-exceeds-transaction' });
        }
        if (points > room) return expectAnswer(res, context, { refused: 'points-limit-exceeded', field: 'points' });
        expectAnswer(res, context, { status: 201 });
        expect(res.json().points_balance, context).toBe(before.points_balance + points);
        reversible -= points;
      }),
      params,
    );
    expect(seen('reversal')).toEqual(
      expect.arrayContaining(['201', '400 validation-error', '422 points-limit-exceeded']),
    );
  });

  it('when the program gets any numbers, then it is saved or refused naming the field', async () => {
    const fields = {
      earn: { path: 'earn_points_per_currency_unit', min: 1, max: 1_000_000, nullable: false },
      redeem: { path: 'redeem_points_per_currency_unit', min: 1, max: 1_000_000, nullable: false },
      tier: { path: 'tiers.1.min_lifetime_points', min: 1, max: 1_000_000_000, nullable: false },
      validity: { path: 'points_validity_days', min: 1, max: 3650, nullable: true },
      notice: { path: 'expiry_notice_days', min: 0, max: 365, nullable: false },
    } as const;
    counting('program');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(fields) as (keyof typeof fields)[])),
        fc.oneof(hostileNumber, fc.integer({ min: -1, max: 1_000_001 }).map(String)),
        async (name, literal) => {
          const f = fields[name];
          const res = await send('PUT', '/v1/loyalty/program', programBody({ [name]: literal }));
          const valid = integerOf(literal, f.min, f.max) !== undefined || (f.nullable && literal === 'null');
          expectAnswer(res, `PUT program ${f.path} ${literal}`, valid ? { status: 200 } : { invalid: f.path });
        },
      ),
      params,
    );
    expect(seen('program')).toEqual(expect.arrayContaining(['200', '400 validation-error']));
    expect((await send('PUT', '/v1/loyalty/program', programBody({}))).statusCode).toBe(200);
  });

  it('when credit is approved, changed, used, paid and held with any amounts, then each answer follows the rules and outstanding stays within the limit', async () => {
    const id = await createCustomer(t, { customer_type: 'b2b', enroll_loyalty: false });
    const opened = await send(
      'POST',
      `/v1/customers/${id}/credit`,
      jsonBody({ credit_limit: '999999999999.99', payment_term_days: '30' }),
    );
    expect(opened.statusCode, opened.body).toBe(201);
    /**
     * An amount literal, or one a few cents around the edge of the rule: a usage's `available`, a payment's or a new
     * limit's `outstanding`, a new account's 10^12.
     */
    type Amount = { literal: string } | { cents: number };
    const amount: fc.Arbitrary<Amount> = fc.oneof(
      { weight: 1, arbitrary: anyMoney.map((literal) => ({ literal })) },
      { weight: 2, arbitrary: fc.record({ cents: fc.integer({ min: -1, max: 1 }) }) },
    );
    const action = fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('usage', 'payment'), amount }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('limit', 'open'), amount }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('hold', 'release') }) },
    );
    counting('credit');
    await fc.assert(
      fc.asyncProperty(action, async (a) => {
        const before = await creditOf(id);
        const outstanding = cents(before.outstanding);
        const available = cents(before.credit_limit) - outstanding;
        const base = `/v1/customers/${id}/credit`;
        if (!('amount' in a)) {
          const res = await send(a.kind === 'hold' ? 'POST' : 'DELETE', `${base}/hold`);
          return expectAnswer(res, a.kind, { status: 200 });
        }
        const edge = { usage: available, payment: outstanding, limit: outstanding, open: BigInt(MONEY_BELOW) * 100n };
        const literal =
          'literal' in a.amount ? a.amount.literal : String(Number(edge[a.kind] + BigInt(a.amount.cents)) / 100);
        const value = moneyOf(literal);
        const context = `${a.kind} ${literal} on ${JSON.stringify(before)}`;
        if (a.kind === 'open') {
          const other = await createCustomer(t, { customer_type: 'b2b', enroll_loyalty: false });
          const res = await send(
            'POST',
            `/v1/customers/${other}/credit`,
            jsonBody({ credit_limit: literal, payment_term_days: '30' }),
          );
          if (value === undefined) return expectAnswer(res, context, { invalid: 'credit_limit' });
          expectAnswer(res, context, { status: 201 });
          expect(res.json().credit_limit, context).toBe(value);
          return;
        }
        if (a.kind === 'limit') {
          const res = await send('PATCH', base, jsonBody({ credit_limit: literal }));
          if (value === undefined) return expectAnswer(res, context, { invalid: 'credit_limit' });
          if (cents(value) < outstanding)
            return expectAnswer(res, context, { refused: 'credit-limit-below-outstanding' });
          expectAnswer(res, context, { status: 200 });
          expect(res.json().credit_limit, context).toBe(value);
          return;
        }
        const res =
          a.kind === 'usage'
            ? await send('POST', `${base}/usages`, jsonBody({ order_id: JSON.stringify(nextRef()), amount: literal }))
            : await send('POST', `${base}/payments`, jsonBody({ amount: literal }));
        if (value === undefined) return expectAnswer(res, context, { invalid: 'amount' });
        if (a.kind === 'usage' && before.status === 'on_hold') {
          return expectAnswer(res, context, { refused: 'credit-on-hold' });
        }
        if (a.kind === 'usage' && cents(value) > available) {
          return expectAnswer(res, context, { refused: 'credit-limit-exceeded' });
        }
        if (a.kind === 'payment' && cents(value) > outstanding) {
          return expectAnswer(res, context, { refused: 'overpayment' });
        }
        expectAnswer(res, context, { status: 201 });
        const after = await creditOf(id);
        const moved = a.kind === 'usage' ? cents(value) : -cents(value);
        expect(cents(after.outstanding), context).toBe(outstanding + moved);
      }),
      { ...params, numRuns: RUNS * 2 },
    );
    expect(seen('credit')).toEqual(
      expect.arrayContaining(['201', '400 validation-error', '422 credit-limit-exceeded', '422 overpayment']),
    );
  });
});

describe('a refusal at the bound', () => {
  /** Everything an earn, redemption or reversal of `id` writes: account, ledger, lots, stored events. */
  async function footprint(id: string) {
    const res = await t.db.query(
      `SELECT (SELECT row_to_json(a) FROM (SELECT points_balance, lifetime_points, tier FROM loyalty_accounts
                WHERE organization_id = $1 AND customer_id = $2) a) AS account,
              (SELECT count(*)::int FROM loyalty_transactions WHERE organization_id = $1 AND customer_id = $2) AS entries,
              (SELECT coalesce(sum(remaining), 0)::bigint FROM loyalty_lots WHERE organization_id = $1 AND customer_id = $2) AS lots,
              (SELECT count(*)::int FROM outbox WHERE organization_id = $1 AND customer_id = $2) AS events`,
      [t.org, id],
    );
    return res.rows[0];
  }

  it('when an earn would pass 10^9 points or a balance of 10^12, then 422 points-limit-exceeded names the field, tells the figures and writes nothing', async () => {
    const id = await createCustomer(t);
    await seedPoints(id, { balance: POINTS_HELD - 10, lifetime: POINTS_HELD - 10 });
    const before = await footprint(id);
    const earn = (body: string) => send('POST', `/v1/customers/${id}/loyalty/earn`, body);

    // 10^12 − 0.01 at 10^6 points per unit: 10^18 points, past BIGINT's range once in cents × rate.
    expect((await send('PUT', '/v1/loyalty/program', programBody({ earn: '1000000' }))).statusCode).toBe(200);
    const huge = await earn('{"amount":999999999999.99,"reference_type":"purchase","reference_id":"huge"}');
    expect(huge.statusCode, huge.body).toBe(422);
    expect(huge.json()).toMatchObject({
      type: problemType('points-limit-exceeded'),
      errors: [{ field: 'amount' }],
      points_requested: 999_999_999_999_990_000,
      points_limit: POINTS_PER_OPERATION,
    });
    expect((await send('PUT', '/v1/loyalty/program', programBody({}))).statusCode).toBe(200);

    const over = await earn('{"points":11,"reference_type":"purchase","reference_id":"over"}');
    expect(over.statusCode, over.body).toBe(422);
    expect(over.json()).toMatchObject({
      type: problemType('points-limit-exceeded'),
      errors: [{ field: 'points' }],
      points_requested: 11,
      points_balance: POINTS_HELD - 10,
      points_limit: POINTS_HELD,
    });
    expect(await footprint(id)).toEqual(before);

    const exact = await earn('{"points":10,"reference_type":"purchase","reference_id":"exact"}');
    expect(exact.statusCode, exact.body).toBe(201);
    expect(exact.json()).toMatchObject({ points_balance: POINTS_HELD, lifetime_points: POINTS_HELD });
  });

  it('when earns race for the last points below the bound, then the ones that fit are credited, the others are 422 and the balance ends within it', async () => {
    const id = await createCustomer(t);
    await seedPoints(id, { balance: POINTS_HELD - 1000, lifetime: POINTS_HELD - 1000 });
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        send(
          'POST',
          `/v1/customers/${id}/loyalty/earn`,
          jsonBody({ points: '300', reference_type: '"race"', reference_id: `"r${i}"` }),
        ),
      ),
    );
    const statuses = answers.map((r) => r.statusCode).sort();
    expect(statuses, answers.map((r) => r.body).join('\n')).toEqual([201, 201, 201, 422, 422, 422, 422, 422]);
    for (const r of answers.filter((a) => a.statusCode === 422)) {
      expect(r.json()).toMatchObject({ type: problemType('points-limit-exceeded'), points_balance: POINTS_HELD - 100 });
    }
    expect((await loyaltyOf(id)).points_balance).toBe(POINTS_HELD - 100);
  });
});

describe('stored figures', () => {
  afterAll(() => {
    const answers = [...outcomes].map(([name, counts]) => `${name}: ${JSON.stringify(Object.fromEntries(counts))}`);
    console.log(`[bounds] ${sent} requests with arbitrary money and points\n${answers.join('\n')}`);
  });

  it('when every property has run, then no stored figure passes its bound and no request was answered 5xx', async () => {
    const points = await t.db.query<{ max: number | null }>(
      `SELECT max(v) AS max FROM (
         SELECT greatest(points_balance, lifetime_points) AS v FROM loyalty_accounts WHERE organization_id = $1
         UNION ALL SELECT greatest(points, points_balance) FROM loyalty_transactions WHERE organization_id = $1
         UNION ALL SELECT greatest(points, remaining) FROM loyalty_lots WHERE organization_id = $1
       ) all_points`,
      [t.org],
    );
    expect(points.rows[0]?.max).toBeGreaterThan(POINTS_HELD - POINTS_PER_OPERATION);
    expect(points.rows[0]?.max).toBeLessThanOrEqual(POINTS_HELD);
    const credit = await t.db.query<{ over: number; top: number | null }>(
      `SELECT count(*) FILTER (WHERE outstanding_cents > credit_limit_cents)::int AS over,
              max(credit_limit_cents) AS top
         FROM credit_accounts WHERE organization_id = $1`,
      [t.org],
    );
    expect(credit.rows[0]?.over).toBe(0);
    expect(credit.rows[0]?.top).toBeLessThan(MONEY_BELOW * 100);
    expect((await answeredRequests(t.app))['5xx']).toBe(0);
  });
});
