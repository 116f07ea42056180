import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/fixtures.js';
import { anonymizeRequest, customerWithHistory, searchEveryTable, searchTerms } from './privacy.fixtures.js';

// No relay: every event of the customer is still waiting in the outbox when it is anonymized.
const t = useTestApp({ backend: 'postgres', relay: false });

describe('anonymization with events not yet sent', () => {
  it('when the events are still unsent, then they are scrubbed in the same transaction and customer.anonymized waits after them', async () => {
    const c = await customerWithHistory(t);
    const terms = searchTerms(c.first, c.second);
    expect(await searchEveryTable(t.db, terms)).toEqual(expect.arrayContaining([`outbox: ${c.first.email}`]));
    expect((await anonymizeRequest(t, c.id)).statusCode).toBe(200);
    expect(await searchEveryTable(t.db, terms)).toEqual([]);
    const rows = await t.db.query<{ event_name: string }>(
      'SELECT event_name FROM outbox WHERE customer_id = $1 ORDER BY id',
      [c.id],
    );
    expect(rows.rows.map((r) => r.event_name)).toEqual([
      'customer.created',
      'customer.updated',
      'loyalty.points.earned',
      'loyalty.points.redeemed',
      'credit.approved',
      'credit.used',
      'credit.limit.exceeded',
      'credit.payment.received',
      'customer.anonymized',
    ]);
  });
});
