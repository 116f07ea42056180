import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { assertValidEvent } from '../../src/outbox/events.js';
import type { TestApp } from '../helpers/app.js';
import { type EventTap, ofCustomer, type ReceivedEvent } from '../helpers/events.js';
import { createCustomer, useEventTap, useTestApp } from '../helpers/fixtures.js';

/** A b2b customer without a loyalty account, in `org` (the app's own by default). */
export function newCustomer(t: TestApp, org?: string): Promise<string> {
  return createCustomer(t, { org, customer_type: 'b2b', name: 'Ferretería Central S.A.', enroll_loyalty: false });
}

/** A customer with an approved credit account. */
export async function customerWithCredit(
  t: TestApp,
  terms: Terms = { credit_limit: 10000, payment_term_days: 30 },
): Promise<string> {
  const id = await newCustomer(t);
  const res = await t.request({ method: 'POST', url: `/v1/customers/${id}/credit`, payload: terms });
  expect(res.statusCode).toBe(201);
  return id;
}

export function useCredit(t: TestApp, customerId: string, payload: object, headers: Record<string, string> = {}) {
  return t.request({ method: 'POST', url: `/v1/customers/${customerId}/credit/usages`, payload, headers });
}

export function pay(t: TestApp, customerId: string, payload: object) {
  return t.request({ method: 'POST', url: `/v1/customers/${customerId}/credit/payments`, payload });
}

export async function account(t: TestApp, customerId: string) {
  const res = await t.request({ method: 'GET', url: `/v1/customers/${customerId}/credit` });
  expect(res.statusCode).toBe(200);
  return res.json();
}

type Terms = { credit_limit: number; payment_term_days: number };

/**
 * The set-up of the credit endpoint files: the app, a tap on `credit.#`, and the helpers above bound to them
 * (the app's own organization).
 */
export function useCreditSuite() {
  const tap = useEventTap('credit.#');
  const t = useTestApp();
  return {
    t,
    tap,
    newCustomer: (org?: string) => newCustomer(t, org),
    customerWithCredit: (terms?: Terms) => customerWithCredit(t, terms),
    useCredit: (customerId: string, payload: object, headers?: Record<string, string>) =>
      useCredit(t, customerId, payload, headers),
    pay: (customerId: string, payload: object) => pay(t, customerId, payload),
    account: (customerId: string) => account(t, customerId),
    eventsOf: (customerId: string, name?: string) => eventsOf(tap, t.org, customerId, name),
    waitForEvents: (customerId: string, count: number, name?: string) =>
      waitForEvents(tap, t.org, customerId, count, name),
  };
}

export function orderId(): string {
  return `order_${randomBytes(6).toString('hex')}`;
}

/** The events of customer `customerId` of `org` as received from RabbitMQ (of one name, if given), in arrival order. */
export function eventsOf(tap: EventTap, org: string, customerId: string, name?: string): ReceivedEvent[] {
  return tap.received.filter(name === undefined ? ofCustomer(org, customerId) : ofCustomer(org, customerId, name));
}

/** Waits until `count` events of the customer (of one name, if given) arrived; validates each one. */
export async function waitForEvents(
  tap: EventTap,
  org: string,
  customerId: string,
  count: number,
  name?: string,
): Promise<ReceivedEvent[]> {
  await tap.waitUntil(() => eventsOf(tap, org, customerId, name).length >= count);
  const events = eventsOf(tap, org, customerId, name);
  for (const e of events) {
    expect(e.routingKey).toBe(e.body.event);
    expect(() => assertValidEvent(e.body as never)).not.toThrow();
  }
  return events;
}

export const TIMESTAMP = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

export { problemType } from '../../src/errors.js';

/** Today (UTC) plus `days`, `YYYY-MM-DD`. */
export function utcDatePlus(days: number, from = new Date()): string {
  const d = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + days);
  return new Date(d).toISOString().slice(0, 10);
}
