import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { strictEventSchemas } from '../../generated/index.js';
import { anonymizeCustomer } from '../../src/customers/customers.repository.js';
import { newId } from '../../src/ids.js';
import { upsertProgram } from '../../src/loyalty/loyalty.program.repository.js';
import { DEFAULT_PROGRAM, tierAfterEarn } from '../../src/loyalty/loyalty.program.service.js';
import type { LoyaltyProgram } from '../../src/loyalty/loyalty.schemas.js';
import { earn } from '../../src/loyalty/loyalty.service.js';
import { assertValidEvent } from '../../src/outbox/events.js';
import { type TestApp, uniqueOrg } from '../helpers/app.js';
import { createCustomer, useTestApp } from '../helpers/fixtures.js';
import { call, ref } from './lifecycle.helpers.js';

/*
 * The earn is one statement that computes the points, the balance and the tiers and splices them into the events
 * it stores (src/loyalty/loyalty.repository.ts earnPoints): the events are validated before the statement with
 * samples of those values, so they are valid by construction only if every value the statement can compute is
 * valid where it goes, and if the statement computes what the service's rules (tierAfterEarn) say. These tests
 * prove both, and that a refused earn writes nothing, on PostgreSQL and PGlite.
 */

const backends = { postgres: useTestApp(), pglite: useTestApp({ backend: 'pglite' }) };

const DAY_MS = 86_400_000;

interface Stored {
  balance: number;
  lifetime: number;
  tier: string;
  ledger: number;
  lots: { points: number; remaining: number; earned_at: Date; expires_at: Date | null }[];
  events: { event_name: string; payload: string }[];
}

async function stored(t: TestApp, org: string, id: string): Promise<Stored> {
  const account = await t.db.query<{ points_balance: number; lifetime_points: number; tier: string }>(
    'SELECT points_balance, lifetime_points, tier FROM loyalty_accounts WHERE organization_id = $1 AND customer_id = $2',
    [org, id],
  );
  const ledger = await t.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM loyalty_transactions WHERE organization_id = $1 AND customer_id = $2',
    [org, id],
  );
  const lots = await t.db.query<Stored['lots'][number]>(
    `SELECT points, remaining, earned_at, expires_at FROM loyalty_lots
      WHERE organization_id = $1 AND customer_id = $2 ORDER BY lot_id`,
    [org, id],
  );
  const events = await t.db.query<Stored['events'][number]>(
    `SELECT event_name, payload FROM outbox
      WHERE organization_id = $1 AND customer_id = $2 AND event_name LIKE 'loyalty.%' ORDER BY id`,
    [org, id],
  );
  const a = account.rows[0];
  return {
    balance: a?.points_balance ?? -1,
    lifetime: a?.lifetime_points ?? -1,
    tier: a?.tier ?? '',
    ledger: ledger.rows[0]?.n ?? -1,
    lots: lots.rows,
    events: events.rows,
  };
}

/** Every stored payload is the exact `JSON.stringify` text of a valid envelope; answers the parsed envelopes. */
function validPayloads(events: Stored['events']): { event: string; data: Record<string, unknown> }[] {
  return events.map((row) => {
    const parsed = JSON.parse(row.payload);
    expect(row.payload).toBe(JSON.stringify(parsed));
    expect(parsed.event).toBe(row.event_name);
    assertValidEvent(parsed);
    return parsed;
  });
}

/** The subschema of `data.<field>` in the strict schema of `event`, without its description. */
function fieldSchema(event: 'loyalty.points.earned' | 'loyalty.tier.upgraded', field: string): unknown {
  const schema = strictEventSchemas[event] as {
    properties: { data: { properties: Record<string, Record<string, unknown>> } };
  };
  const { description: _, ...rest } = schema.properties.data.properties[field] ?? {};
  return rest;
}

describe('the earn statement: its computed event fields are valid by construction', () => {
  it('when the strict schemas are read, then each field the statement computes accepts every value it can compute', () => {
    // The statement computes: points > 0 (its guard), the balance and lifetime points (CHECK >= 0 on the account
    // and ledger columns: a negative one fails the statement), tier names (text, NOT NULL). A schema that asked
    // more (a maximum, a pattern, an enum) would need that bound in the statement too.
    expect(fieldSchema('loyalty.points.earned', 'points_earned')).toEqual({ type: 'integer', minimum: 1 });
    expect(fieldSchema('loyalty.points.earned', 'points_balance')).toEqual({ type: 'integer', minimum: 0 });
    expect(fieldSchema('loyalty.points.earned', 'tier')).toEqual({ type: 'string' });
    expect(fieldSchema('loyalty.tier.upgraded', 'lifetime_points')).toEqual({ type: 'integer', minimum: 0 });
    expect(fieldSchema('loyalty.tier.upgraded', 'previous_tier')).toEqual({ type: 'string' });
    expect(fieldSchema('loyalty.tier.upgraded', 'new_tier')).toEqual({ type: 'string' });
  });
});

describe.each(Object.entries(backends))('the earn statement (%s)', (_backend, t) => {
  it('when random programs and earns are played, then answers, rows and events follow the rules and every event is valid', async () => {
    const tierName = fc.stringMatching(/^[a-z0-9_-]{1,12}$/);
    const program = fc.record({
      // Default tier names too: a customer's tier may then rank above what its lifetime reaches in the new program.
      names: fc.uniqueArray(fc.oneof(fc.constantFrom('bronze', 'silver', 'gold', 'platinum'), tierName), {
        minLength: 1,
        maxLength: 5,
      }),
      steps: fc.array(fc.integer({ min: 1, max: 1500 }), { minLength: 4, maxLength: 4 }),
      rate: fc.integer({ min: 1, max: 300 }),
      validity: fc.option(fc.integer({ min: 1, max: 3650 })),
    });
    const anEarn = fc.oneof(
      fc.record({ points: fc.integer({ min: 1, max: 2000 }) }),
      fc.record({ amount: fc.integer({ min: 1, max: 200_000 }).map((cents) => cents / 100) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1200 }),
        program,
        fc.array(anEarn, { minLength: 1, maxLength: 5 }),
        async (before, p, earns) => {
          const org = uniqueOrg();
          const id = await createCustomer(t, { org });
          // Points earned under the default program first: the customer's tier may be one the new program lacks.
          if (before > 0) {
            const res = await call(t, org, 'POST', `/v1/customers/${id}/loyalty/earn`, {
              points: before,
              reference_type: 'purchase',
              reference_id: ref(),
            });
            expect(res.statusCode, res.body).toBe(201);
          }
          let min = 0;
          const chosen: LoyaltyProgram = {
            ...DEFAULT_PROGRAM,
            earn_points_per_currency_unit: p.rate,
            points_validity_days: p.validity,
            tiers: p.names.map((name, i) => {
              if (i > 0) min += p.steps[i - 1] ?? 1;
              return { name, min_lifetime_points: min };
            }),
          };
          const put = await call(t, org, 'PUT', '/v1/loyalty/program', chosen);
          expect(put.statusCode, put.body).toBe(200);

          const start = await stored(t, org, id);
          let { balance, lifetime, tier } = start;
          const expected: { event: string; data: Record<string, unknown> }[] = [];
          const newLots: { points: number; validity: number | null }[] = [];
          for (const e of earns) {
            const reference = ref();
            const res = await call(t, org, 'POST', `/v1/customers/${id}/loyalty/earn`, {
              ...e,
              reference_type: 'purchase',
              reference_id: reference,
            });
            const points = 'points' in e ? e.points : Math.floor((Math.round(e.amount * 100) * p.rate) / 100);
            if (points === 0) {
              expect(res.statusCode, res.body).toBe(422);
              continue;
            }
            expect(res.statusCode, res.body).toBe(201);
            balance += points;
            lifetime += points;
            const next = tierAfterEarn(chosen, tier, lifetime);
            const body = res.json();
            expect(body).toEqual({
              transaction_id: body.transaction_id,
              points_earned: points,
              points_balance: balance,
              lifetime_points: lifetime,
              tier: next,
            });
            expected.push({
              event: 'loyalty.points.earned',
              data: {
                customer_id: id,
                transaction_id: body.transaction_id,
                points_earned: points,
                points_balance: balance,
                tier: next,
                reference_type: 'purchase',
                reference_id: reference,
              },
            });
            if (next !== tier) {
              expected.push({
                event: 'loyalty.tier.upgraded',
                data: { customer_id: id, previous_tier: tier, new_tier: next, lifetime_points: lifetime },
              });
            }
            tier = next;
            newLots.push({ points, validity: p.validity });
          }
          const end = await stored(t, org, id);
          expect({ balance: end.balance, lifetime: end.lifetime, tier: end.tier }).toEqual({ balance, lifetime, tier });
          expect(end.ledger - start.ledger).toBe(newLots.length);
          const lots = end.lots.slice(start.lots.length);
          expect(lots.map((l) => ({ points: l.points, remaining: l.remaining }))).toEqual(
            newLots.map((l) => ({ points: l.points, remaining: l.points })),
          );
          lots.forEach((l, i) => {
            const validity = newLots[i]?.validity ?? null;
            expect(l.expires_at?.getTime() ?? null).toBe(
              validity === null ? null : l.earned_at.getTime() + validity * DAY_MS,
            );
          });
          const events = validPayloads(end.events.slice(start.events.length));
          expect(events.map((e) => ({ event: e.event, data: e.data }))).toEqual(expected);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('when tier names need escaping in JSON, then the stored events are still exact JSON text and valid', async () => {
    // Not reachable through the API (tier names match ^[a-z0-9_-]+$): the statement's JSON text of a string is
    // still that of JSON.stringify.
    const org = uniqueOrg();
    const odd = 'say "hi" \\ \n\t\u0001 é 😀 \u2028';
    await upsertProgram(
      t.db,
      org,
      {
        ...DEFAULT_PROGRAM,
        tiers: [
          { name: 'first', min_lifetime_points: 0 },
          { name: odd, min_lifetime_points: 10 },
        ],
      },
      new Date(),
    );
    const id = await createCustomer(t, { org });
    const res = await call(t, org, 'POST', `/v1/customers/${id}/loyalty/earn`, {
      points: 10,
      reference_type: 'purchase',
      reference_id: 'order "quoted" \\ é',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().tier).toBe(odd);
    const events = validPayloads((await stored(t, org, id)).events);
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({ tier: odd, reference_id: 'order "quoted" \\ é' }),
      { customer_id: id, previous_tier: 'first', new_tier: odd, lifetime_points: 10 },
    ]);
  });

  it('when an earn is refused (duplicate reference, anonymized or unknown customer, no points), then it writes nothing', async () => {
    const org = uniqueOrg();
    const id = await createCustomer(t, { org });
    const reference = ref();
    const body = { points: 600, reference_type: 'purchase', reference_id: reference };
    expect((await call(t, org, 'POST', `/v1/customers/${id}/loyalty/earn`, body)).statusCode).toBe(201);
    const after = await stored(t, org, id);

    // The same reference again, with enough points to raise the tier: nothing of it may be stored.
    const again = await call(t, org, 'POST', `/v1/customers/${id}/loyalty/earn`, { ...body, points: 5000 });
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json().type).toMatch(/\/problems\/duplicate-reference$/);
    const { points: _, ...byAmount } = body;
    const zero = await call(t, org, 'POST', `/v1/customers/${id}/loyalty/earn`, { ...byAmount, amount: 0.01 });
    expect(zero.statusCode, zero.body).toBe(422);
    expect(await stored(t, org, id)).toEqual(after);

    const unknown = await call(t, org, 'POST', `/v1/customers/${newId('cust')}/loyalty/earn`, {
      ...body,
      reference_id: ref(),
    });
    expect(unknown.statusCode, unknown.body).toBe(404);

    await t.db.transaction((tx) => anonymizeCustomer(tx, org, id, new Date()));
    const anonymized = await stored(t, org, id);
    const refused = await call(t, org, 'POST', `/v1/customers/${id}/loyalty/earn`, { ...body, reference_id: ref() });
    expect(refused.statusCode, refused.body).toBeGreaterThanOrEqual(400);
    expect(await stored(t, org, id)).toEqual(anonymized);
  });

  it('when earn runs inside a caller’s transaction, then it is part of it: rolled back with it, committed with it', async () => {
    const org = uniqueOrg();
    const id = await createCustomer(t, { org });
    const ctx = { principal: { org, sub: 'consumer', roles: [] }, requestId: 'req-1', now: new Date() };
    const before = await stored(t, org, id);
    await expect(
      t.db.transaction(async (tx) => {
        await earn(tx, ctx, id, { points: 700, reference_type: 'order', reference_id: 'o-1' });
        throw new Error('the caller fails after the earn');
      }),
    ).rejects.toThrow('the caller fails after the earn');
    expect(await stored(t, org, id)).toEqual(before);

    const earned = await t.db.transaction(async (tx) => {
      const first = await earn(tx, ctx, id, { points: 700, reference_type: 'order', reference_id: 'o-1' });
      // The second statement of the same transaction sees the first one's writes.
      const second = await earn(tx, ctx, id, { points: 1, reference_type: 'order', reference_id: 'o-2' });
      return [first, second];
    });
    expect(earned.map((e) => [e.points_balance, e.tier])).toEqual([
      [700, 'silver'],
      [701, 'silver'],
    ]);
    const after = await stored(t, org, id);
    expect({ balance: after.balance, ledger: after.ledger, lots: after.lots.length }).toEqual({
      balance: 701,
      ledger: 2,
      lots: 2,
    });
    expect(validPayloads(after.events).map((e) => e.event)).toEqual([
      'loyalty.points.earned',
      'loyalty.tier.upgraded',
      'loyalty.points.earned',
    ]);
  });
});
