import type { Queryable } from '../db/db.js';
import { newId } from '../ids.js';
import { envelope } from '../outbox/events.js';
import { storeEvents } from '../shared/outbox-writer.js';
import type { FromSchema } from '../shared/schema-types.js';
import * as lots from './loyalty.lots.repository.js';
import * as repo from './loyalty.repository.js';
import type { expiryRunResponse } from './loyalty.schemas.js';

export interface ExpiryRunScope {
  /** The organization of a manual run; null: every organization (the scheduled run). */
  org: string | null;
  /** The ledger actor: the caller's sub, or `system` for the scheduled run. */
  actor: string;
  /** The HTTP request id of a manual run; null for the scheduled run. */
  correlationId: string | null;
}

export type ExpiryRun = FromSchema<typeof expiryRunResponse>;

/**
 * One expiry run as of `asOf` (the service clock), in the caller's transaction, which holds the job lock. Per
 * customer, with its account row locked: empties the lots past their expiry (a guarded update, so a lot expires
 * once) into one `expiry` ledger entry and one loyalty.points.expired; then announces, once per lot, the points
 * expiring within the program's notice window (one loyalty.points.expiring per customer).
 */
export async function runExpiry(tx: Queryable, scope: ExpiryRunScope, asOf: Date): Promise<ExpiryRun> {
  let pointsExpired = 0;
  let customersAffected = 0;
  let noticesSent = 0;
  for (const c of await lots.customersWithExpiredLots(tx, scope.org, asOf)) {
    const org = c.organization_id;
    if (!(await repo.findAccount(tx, org, c.customer_id, true))) continue;
    const expired = await lots.expireLots(tx, org, c.customer_id, asOf);
    if (expired === 0) continue;
    const account = await repo.adjustAccount(tx, org, c.customer_id, { balance: -expired, lifetime: 0 }, asOf);
    const transactionId = newId('loy_txn');
    const data = {
      customer_id: c.customer_id,
      transaction_id: transactionId,
      points_expired: expired,
      points_balance: account.points_balance,
    };
    await repo.appendEntry(
      tx,
      org,
      c.customer_id,
      'expiry',
      {
        transaction_id: transactionId,
        points: expired,
        points_balance: account.points_balance,
        reference_type: null,
        reference_id: null,
        actor: scope.actor,
        created_at: asOf,
      },
      {
        customerId: c.customer_id,
        correlationId: scope.correlationId,
        events: [envelope('loyalty.points.expired', org, data, asOf)],
      },
    );
    pointsExpired += expired;
    customersAffected += 1;
  }
  for (const c of await lots.customersToNotify(tx, scope.org, asOf)) {
    const org = c.organization_id;
    const account = await repo.findAccount(tx, org, c.customer_id, true);
    if (!account) continue;
    const announced = await lots.announceLots(tx, org, c.customer_id, asOf, c.until);
    if (!announced) continue;
    const data = {
      customer_id: c.customer_id,
      points_expiring: announced.points,
      expires_at: announced.expires_at.toISOString(),
      points_balance: account.points_balance,
    };
    await storeEvents(tx, {
      customerId: c.customer_id,
      correlationId: scope.correlationId,
      events: [envelope('loyalty.points.expiring', org, data, asOf)],
    });
    noticesSent += 1;
  }
  return {
    as_of: asOf.toISOString(),
    points_expired: pointsExpired,
    customers_affected: customersAffected,
    notices_sent: noticesSent,
  };
}
