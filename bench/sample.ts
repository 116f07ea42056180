import { newId } from '../src/ids.js';
import { envelope } from '../src/outbox/events.js';

/** A body the size and shape of a service `loyalty.points.earned` envelope. */
export function sampleEarnedBody(org: string, i: number): Buffer {
  const e = envelope(
    'loyalty.points.earned',
    org,
    {
      customer_id: newId('cust'),
      transaction_id: newId('loy_txn'),
      points_earned: 1,
      points_balance: 100 + i,
      tier: 'bronze',
      reference_type: 'purchase',
      reference_id: `bench-${i}`,
    },
    new Date(),
  );
  return Buffer.from(JSON.stringify(e));
}
