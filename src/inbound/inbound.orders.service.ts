import type { OrderCancelledEvent, OrderCompletedEvent, OrderRefundedEvent } from '../../generated/index.js';
import { cancelUsageForOrder } from '../credit/credit.usage-cancellation.service.js';
import { findCustomer } from '../customers/customers.repository.js';
import type { Queryable } from '../db/db.js';
import * as lots from '../loyalty/loyalty.lots.repository.js';
import { findEarnByReference } from '../loyalty/loyalty.repository.js';
import { reverse } from '../loyalty/loyalty.reversal.service.js';
import { earn } from '../loyalty/loyalty.service.js';
import type { UseCaseContext } from '../shared/context.js';
import { customerNotFound } from '../shared/domain-error.js';
import { fromCents, toCents } from '../shared/money.js';
import {
  applied,
  attempt,
  duplicate,
  type InboundContext,
  type InboundOutcome,
  skipped,
} from './inbound.outcome.service.js';
import * as repo from './inbound.repository.js';

/** The earn's reference: the same business key as `POST …/loyalty/earn` with the order. */
const PURCHASE = 'purchase';

/** An unknown customer of the organization is a refusal (dead-lettered); a guest (null) is not checked. */
async function knownCustomer(tx: Queryable, org: string, customerId: string | null): Promise<void> {
  if (customerId !== null && !(await findCustomer(tx, org, customerId))) throw customerNotFound();
}

/** Takes the order's key lock (its events apply one at a time) and reads what is known of the order so far. */
async function lockOrder(tx: Queryable, org: string, orderId: string) {
  await repo.lockKey(tx, org, `order:${orderId}`);
  return repo.findOrder(tx, org, orderId);
}

/** The order's earn, locked, and the points it still has to reverse; undefined when it earned nothing. */
async function lockedEarn(tx: Queryable, org: string, orderId: string) {
  const found = await findEarnByReference(tx, org, PURCHASE, orderId);
  if (!found) return undefined;
  const entry = await lots.lockEntry(tx, org, found.customer_id, found.transaction_id);
  if (!entry) return undefined;
  return { ...found, points: entry.points, reversible: entry.points - entry.points_reversed };
}

async function reversePoints(
  tx: Queryable,
  use: UseCaseContext,
  org: string,
  orderId: string,
  points: (earned: { points: number; reversible: number }) => number,
  reason: string,
): Promise<number> {
  const earned = await lockedEarn(tx, org, orderId);
  if (!earned) return 0;
  const count = Math.min(points(earned), earned.reversible);
  if (count <= 0) return 0;
  const noEffect = await attempt(tx, () =>
    reverse(tx, use, earned.customer_id, earned.transaction_id, { points: count, reason }),
  );
  return noEffect ? 0 : count;
}

/**
 * order.completed: earns on the total (minus what was refunded before), exactly as the HTTP earn; nothing when the
 * order was cancelled before or already completed.
 */
export async function orderCompleted({ tx, use }: InboundContext, e: OrderCompletedEvent): Promise<InboundOutcome> {
  const org = e.organization_id;
  const { order_id: orderId, customer_id: customerId } = e.data;
  const known = await lockOrder(tx, org, orderId);
  if (known?.completed_at) return duplicate('order already completed');
  const totalCents = toCents(e.data.total);
  const baseCents = Math.max(totalCents - (known?.refunded_cents ?? 0), 0);
  await knownCustomer(tx, org, customerId);
  await repo.saveOrder(
    tx,
    org,
    orderId,
    { customerId, totalCents, earnBaseCents: baseCents, completedAt: use.now },
    use.now,
  );
  if (customerId === null) return skipped('guest order');
  if (known?.cancelled_at) return skipped('order cancelled before its completion');
  const noEffect = await attempt(tx, () =>
    earn(tx, use, customerId, { amount: fromCents(baseCents), reference_type: PURCHASE, reference_id: orderId }),
  );
  return noEffect ?? applied;
}

/**
 * order.cancelled: reverses every point of the order's earn still reversible and cancels its credit usage, or
 * nothing at all (a partly paid usage is a refusal); remembered for a completion that arrives later.
 */
export async function orderCancelled({ tx, use }: InboundContext, e: OrderCancelledEvent): Promise<InboundOutcome> {
  const org = e.organization_id;
  const { order_id: orderId, customer_id: customerId } = e.data;
  const known = await lockOrder(tx, org, orderId);
  if (known?.cancelled_at) return duplicate('order already cancelled');
  await knownCustomer(tx, org, customerId);
  // The credit account before the loyalty account: the lock order of every write (anonymization included).
  await cancelUsageForOrder(tx, use, orderId);
  await reversePoints(tx, use, org, orderId, (earned) => earned.reversible, 'order cancelled');
  await repo.saveOrder(tx, org, orderId, { customerId, cancelledAt: use.now }, use.now);
  return applied;
}

/**
 * order.refunded: reverses floor(points earned × amount / the total the earn was on), never more than is left;
 * one refund_id once; remembered (its amount) for a completion that arrives later.
 */
export async function orderRefunded({ tx, use }: InboundContext, e: OrderRefundedEvent): Promise<InboundOutcome> {
  const org = e.organization_id;
  const { order_id: orderId, refund_id: refundId, customer_id: customerId } = e.data;
  await repo.lockKey(tx, org, `order:${orderId}`);
  if (await repo.refundExists(tx, org, refundId)) return duplicate('refund already applied');
  await knownCustomer(tx, org, customerId);
  const known = await repo.findOrder(tx, org, orderId);
  const amountCents = toCents(e.data.amount);
  const base = known?.earn_base_cents ?? 0;
  const reversed =
    known?.completed_at && base > 0
      ? await reversePoints(
          tx,
          use,
          org,
          orderId,
          (earned) => Math.floor((earned.points * Math.min(amountCents, base)) / base),
          'order refunded',
        )
      : 0;
  await repo.insertRefund(tx, org, { refundId, orderId, amountCents, pointsReversed: reversed, at: use.now });
  const refundedCents = (known?.refunded_cents ?? 0) + amountCents;
  await repo.saveOrder(tx, org, orderId, { customerId, refundedCents }, use.now);
  return applied;
}
