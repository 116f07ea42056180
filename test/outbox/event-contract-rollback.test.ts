import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { uniqueEmail } from '../helpers/customers.js';
import { createCustomer, useAppWith, useTestApp } from '../helpers/fixtures.js';
import { countOf, outboxOf } from '../helpers/stored-rows-c.js';

/*
 * Every event is validated against the strict schema before it is stored, inside the transaction of the change it
 * reports (src/shared/outbox-writer.ts): an event that fails it rolls the business write back. A reachable way to
 * make one: a service clock 3,000,000 days ahead (CLOCK_OFFSET=P3000000D) is in the year 10239, whose timestamp
 * (`+010239-…`) is not an RFC 3339 date-time; PostgreSQL stores such dates without complaint. PostgreSQL only:
 * PGlite refuses those dates by itself (a 500 with or without the event check), so there the test could not fail.
 */

const t = useTestApp();
const farFutureApp = useAppWith(t, { config: { CLOCK_OFFSET: 'P3000000D' } });

async function asOrg(on: TestApp, app: FastifyInstance = on.app) {
  const token = await on.token();
  return (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload }),
    });
}

describe('an event that fails its schema', () => {
  it('when a customer update’s event fails the schema, then the answer is 500 and the update is not committed', async () => {
    const id = await createCustomer(t, { name: 'Nombre original' });
    const now = await asOrg(t);
    const before = (await now('GET', `/v1/customers/${id}`)).json();
    const rowsBefore = await outboxOf(t.db, t.org);
    const later = await asOrg(t, farFutureApp);

    const res = await later('PATCH', `/v1/customers/${id}`, { name: 'Nombre cambiado' });

    expect(res.statusCode, res.body).toBe(500);
    expect(res.json().type).toMatch(/\/problems\/internal-error$/);
    expect((await now('GET', `/v1/customers/${id}`)).json()).toEqual(before);
    expect(await outboxOf(t.db, t.org)).toEqual(rowsBefore);
  });

  it('when a sign-up’s customer.created fails the schema, then no customer and no loyalty account are committed', async () => {
    const email = uniqueEmail('rollback');
    const customersBefore = await countOf(t.db, 'customers', t.org);
    const accountsBefore = await countOf(t.db, 'loyalty_accounts', t.org);
    const rowsBefore = await outboxOf(t.db, t.org);
    const later = await asOrg(t, farFutureApp);

    const res = await later('POST', '/v1/customers', { customer_type: 'b2c', name: 'Nunca', email });

    expect(res.statusCode, res.body).toBe(500);
    expect(await countOf(t.db, 'customers', t.org)).toBe(customersBefore);
    expect(await countOf(t.db, 'loyalty_accounts', t.org)).toBe(accountsBefore);
    expect(await outboxOf(t.db, t.org)).toEqual(rowsBefore);
    // The email is still free: the same sign-up succeeds on a service with a sane clock.
    const now = await asOrg(t);
    const again = await now('POST', '/v1/customers', { customer_type: 'b2c', name: 'Ahora sí', email });
    expect(again.statusCode, again.body).toBe(201);
  });

  it('when an earn’s loyalty.points.earned fails the schema, then no points, no ledger entry and no lot are committed', async () => {
    const id = await createCustomer(t);
    const now = await asOrg(t);
    const rowsBefore = await outboxOf(t.db, t.org);
    const later = await asOrg(t, farFutureApp);

    const res = await later('POST', `/v1/customers/${id}/loyalty/earn`, {
      points: 700,
      reference_type: 'purchase',
      reference_id: `order_${id}`,
    });

    expect(res.statusCode, res.body).toBe(500);
    expect((await now('GET', `/v1/customers/${id}/loyalty`)).json()).toMatchObject({
      points_balance: 0,
      lifetime_points: 0,
      tier: 'bronze',
    });
    expect((await now('GET', `/v1/customers/${id}/loyalty/transactions`)).json().items).toEqual([]);
    const lots = await t.db.query('SELECT 1 FROM loyalty_lots WHERE organization_id = $1 AND customer_id = $2', [
      t.org,
      id,
    ]);
    expect(lots.rowCount).toBe(0);
    expect(await outboxOf(t.db, t.org)).toEqual(rowsBefore);
  });
});
