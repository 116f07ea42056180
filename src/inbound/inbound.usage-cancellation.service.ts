import type { Queryable } from '../db/db.js';
import type { UseCaseContext } from '../shared/context.js';

/**
 * LEAD: TO BE WIRED. Stand-in for `cancelUsageForOrder(tx, ctx, orderId)` of
 * `src/credit/credit.usage-cancellation.service.ts` (another branch). When that lands, delete this file and import
 * it in inbound.orders.service.ts: it cancels the order's credit usage (amount back to `credit_available`,
 * `credit.usage.cancelled` in the outbox) and throws the domain error `usage-partly-paid` when payments were
 * allocated to it, which dead-letters the message with nothing applied. Until then: no usage is cancelled.
 */
export async function cancelUsageForOrder(
  _tx: Queryable,
  _ctx: UseCaseContext,
  _orderId: string,
): Promise<{ status: 'cancelled' } | { status: 'none' }> {
  return { status: 'none' };
}
