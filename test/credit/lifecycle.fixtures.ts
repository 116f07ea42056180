import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Clock } from '../../src/shared/clock.js';
import { type TestApp, type TestAppOptions, uniqueOrg } from '../helpers/app.js';
import { type EventTap, ofCustomer, type ReceivedEvent } from '../helpers/events.js';
import { createCustomer, useAppWith, useTestApp } from '../helpers/fixtures.js';
import { storedEventsOf } from '../helpers/stored-rows.js';

export const DAY_MS = 86_400_000;

/** The system clock moved `days` forward. */
export function clockPlus(days: number): Clock {
  return { now: () => new Date(Date.now() + days * DAY_MS) };
}

/** The set-up of the credit lifecycle files: the app, and the same service 40 days later (an injected clock). */
export function useCreditLifecycle(opts: TestAppOptions = {}): { t: TestApp; later: FastifyInstance } {
  const t = useTestApp(opts);
  return { t, later: useAppWith(t, { clock: clockPlus(40) }) };
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One organization's view of the API, through `app` (the test app unless given). */
export interface OrgClient {
  org: string;
  call(
    method: Method,
    url: string,
    payload?: unknown,
    o?: { app?: FastifyInstance; roles?: string[] },
  ): Promise<LightMyRequestResponse>;
}

/** A fresh organization, so an overdue run in one test never touches another test's usages. */
export function newOrg(t: TestApp): OrgClient {
  const org = uniqueOrg();
  return {
    org,
    async call(method, url, payload, o = {}) {
      const token = await t.token({ org, roles: o.roles });
      return (o.app ?? t.app).inject({
        method,
        url,
        ...(payload === undefined ? {} : { payload: payload as never }),
        headers: { authorization: `Bearer ${token}` },
      });
    },
  };
}

/** A b2b customer of `c.org` with approved credit. */
export async function creditCustomer(
  t: TestApp,
  c: OrgClient,
  terms: { credit_limit: number; payment_term_days: number } = { credit_limit: 10000, payment_term_days: 30 },
): Promise<string> {
  const id = await createCustomer(t, { org: c.org, customer_type: 'b2b', name: 'Ferretería', enroll_loyalty: false });
  const res = await c.call('POST', `/v1/customers/${id}/credit`, terms);
  expect(res.statusCode, res.body).toBe(201);
  return id;
}

let orders = 0;
export const newOrder = () => `order_${Date.now().toString(36)}_${(orders++).toString(36)}`;

export async function use(c: OrgClient, id: string, amount: number, app?: FastifyInstance) {
  const res = await c.call('POST', `/v1/customers/${id}/credit/usages`, { order_id: newOrder(), amount }, { app });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { usage_id: string; order_id: string; due_date: string };
}

export async function payOk(c: OrgClient, id: string, amount: number, app?: FastifyInstance) {
  const res = await c.call('POST', `/v1/customers/${id}/credit/payments`, { amount, reference: 'TRF-1' }, { app });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { payment_id: string };
}

export async function overdueRun(c: OrgClient, app: FastifyInstance) {
  const res = await c.call('POST', '/v1/credit/overdue-runs', undefined, { app });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { as_of: string; usages_overdue: number; accounts_held: number };
}

export async function creditAccount(c: OrgClient, id: string) {
  const res = await c.call('GET', `/v1/customers/${id}/credit`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

export async function usages(c: OrgClient, id: string, app?: FastifyInstance) {
  const res = await c.call('GET', `/v1/customers/${id}/credit/usages?limit=100`, undefined, { app });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as { usage_id: string; amount: number; amount_paid: number; status: string }[];
}

/** Events about customer `id`, by name. */
export const about =
  (id: string, ...names: string[]) =>
  (e: ReceivedEvent) =>
    e.body.data.customer_id === id && (names.length === 0 || names.includes(e.body.event));

export function named(tap: EventTap, id: string, name: string): ReceivedEvent[] {
  return tap.received.filter(about(id, name));
}

/**
 * Waits until `count` events of customer `id` of `c.org` (of the given names, if any) arrived on the tap and returns
 * them in arrival order. How many there are is read from the stored rows (`stored`), not from a wait for more.
 */
export async function arrived(
  tap: EventTap,
  c: OrgClient,
  id: string,
  count: number,
  ...names: string[]
): Promise<ReceivedEvent[]> {
  const match = ofCustomer(c.org, id, ...names);
  await tap.waitUntil((all) => all.filter(match).length >= count);
  return tap.received.filter(match);
}

/** The names of the events stored (outbox rows) for customer `id` of `c.org`, of the given names if any, in order. */
export async function stored(t: TestApp, c: OrgClient, id: string, ...names: string[]): Promise<string[]> {
  const all = await storedEventsOf(t.db, c.org, id);
  return names.length === 0 ? all : all.filter((name) => names.includes(name));
}

export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function daysFromToday(days: number): string {
  return utcDay(new Date(Date.now() + days * DAY_MS));
}
