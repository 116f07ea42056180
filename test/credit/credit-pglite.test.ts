import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/fixtures.js';
import { account, customerWithCredit, orderId, pay, useCredit, utcDatePlus } from './credit.fixtures.js';

const t = useTestApp({ backend: 'pglite', relay: false });

describe('credit on embedded PGlite', () => {
  it('when credit is approved, used, refused and repaid, then the numbers and the stored events match PostgreSQL', async () => {
    const id = await customerWithCredit(t, { credit_limit: 10000, payment_term_days: 30 });
    const used = await useCredit(t, id, { order_id: orderId(), amount: 5000 });
    expect(used.json()).toMatchObject({ credit_available: 5000, due_date: utcDatePlus(30) });
    const refused = await useCredit(t, id, { order_id: orderId(), amount: 6000 });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ attempted_amount: 6000, credit_available: 5000, shortfall: 1000 });
    expect((await pay(t, id, { amount: 0.3 })).json().credit_available).toBe(5000.3);
    expect(await account(t, id)).toMatchObject({ outstanding: 4999.7, credit_available: 5000.3 });
    const list = await t.request({ method: 'GET', url: `/v1/customers/${id}/credit/usages` });
    expect(list.json().items).toEqual([expect.objectContaining({ amount: 5000, due_date: utcDatePlus(30) })]);

    const outbox = await t.db.query<{ event_name: string; payload: string }>(
      `SELECT event_name, payload FROM outbox WHERE customer_id = $1 AND event_name LIKE 'credit.%' ORDER BY id`,
      [id],
    );
    expect(outbox.rows.map((r) => r.event_name)).toEqual([
      'credit.approved',
      'credit.used',
      'credit.limit.exceeded',
      'credit.payment.received',
    ]);
    expect(JSON.parse(outbox.rows[2]?.payload ?? '{}').data).toEqual({
      customer_id: id,
      attempted_amount: 6000,
      credit_available: 5000,
      shortfall: 1000,
    });
  });
});
