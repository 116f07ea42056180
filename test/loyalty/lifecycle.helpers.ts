import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Clock } from '../../src/shared/clock.js';
import { type TestApp, uniqueOrg } from '../helpers/app.js';
import { createCustomer } from '../helpers/fixtures.js';

export const DAY_MS = 86_400_000;
export const ref = () => `order_${Math.random().toString(36).slice(2)}`;

/** A clock the test moves: the system clock plus `offsetMs`. */
export function movableClock(): Clock & { offsetMs: number; moveDays(days: number): void } {
  const clock = {
    offsetMs: 0,
    now: () => new Date(Date.now() + clock.offsetMs),
    moveDays(days: number) {
      clock.offsetMs = days * DAY_MS;
    },
  };
  return clock;
}

export async function call(
  t: TestApp,
  org: string,
  method: 'GET' | 'POST' | 'PUT',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
  app: FastifyInstance = t.app,
): Promise<LightMyRequestResponse> {
  const token = await t.token({ org });
  return app.inject({
    method,
    url,
    payload: payload as never,
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
}

/** A fresh organization with its own program (validity and notice days) and one enrolled customer. */
export async function orgWithCustomer(
  t: TestApp,
  program: { points_validity_days: number | null; expiry_notice_days?: number },
): Promise<{ org: string; id: string }> {
  const org = uniqueOrg();
  await setProgram(t, org, program);
  return { org, id: await createCustomer(t, { org }) };
}

export async function setProgram(
  t: TestApp,
  org: string,
  program: { points_validity_days: number | null; expiry_notice_days?: number },
): Promise<void> {
  const current = (await call(t, org, 'GET', '/v1/loyalty/program')).json();
  const res = await call(t, org, 'PUT', '/v1/loyalty/program', { ...current, ...program });
  expect(res.statusCode, res.body).toBe(200);
}

export async function earn(t: TestApp, org: string, id: string, points: number, app?: FastifyInstance) {
  const res = await call(
    t,
    org,
    'POST',
    `/v1/customers/${id}/loyalty/earn`,
    { points, reference_type: 'purchase', reference_id: ref() },
    {},
    app,
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { transaction_id: string; points_balance: number };
}

export async function redeem(t: TestApp, org: string, id: string, points: number) {
  return call(t, org, 'POST', `/v1/customers/${id}/loyalty/redeem`, { points });
}

export async function reverse(
  t: TestApp,
  org: string,
  id: string,
  transactionId: string,
  body?: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return call(t, org, 'POST', `/v1/customers/${id}/loyalty/transactions/${transactionId}/reversal`, body, headers);
}

export async function account(t: TestApp, org: string, id: string) {
  const res = await call(t, org, 'GET', `/v1/customers/${id}/loyalty`);
  expect(res.statusCode).toBe(200);
  return res.json() as {
    points_balance: number;
    lifetime_points: number;
    tier: string;
    next_expiry: { points: number; expires_at: string } | null;
  };
}

export interface LotRow {
  transaction_id: string | null;
  points: number;
  remaining: number;
  expires_at: Date | null;
}

export async function lotsOf(t: TestApp, org: string, id: string): Promise<LotRow[]> {
  const res = await t.db.query<LotRow>(
    `SELECT transaction_id, points, remaining, expires_at FROM loyalty_lots
      WHERE organization_id = $1 AND customer_id = $2 ORDER BY lot_id`,
    [org, id],
  );
  return res.rows;
}

/** The invariant: the balance is the sum of what remains in the lots, and never below zero. */
export async function expectBalanceIsSumOfLots(t: TestApp, org: string, id: string): Promise<number> {
  const res = await t.db.query<{ balance: number; lots: number }>(
    `SELECT a.points_balance AS balance,
            (SELECT COALESCE(sum(remaining), 0)::bigint FROM loyalty_lots l
              WHERE l.organization_id = a.organization_id AND l.customer_id = a.customer_id) AS lots
       FROM loyalty_accounts a WHERE a.organization_id = $1 AND a.customer_id = $2`,
    [org, id],
  );
  const row = res.rows[0];
  expect(row).toBeDefined();
  expect(row?.lots).toBe(row?.balance);
  expect(row?.balance).toBeGreaterThanOrEqual(0);
  return row?.balance ?? -1;
}

export async function ledgerOf(t: TestApp, org: string, id: string) {
  const res = await call(t, org, 'GET', `/v1/customers/${id}/loyalty/transactions?limit=100`);
  expect(res.statusCode).toBe(200);
  return res.json().items as {
    transaction_id: string;
    type: string;
    points: number;
    points_balance: number;
    reversed_transaction_id: string | null;
  }[];
}
