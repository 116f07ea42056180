import type { PaymentReceivedEvent } from '../../generated/index.js';
import { receivePayment } from '../credit/credit.movements.service.js';
import {
  applied,
  attempt,
  duplicate,
  type InboundContext,
  type InboundOutcome,
  skipped,
} from './inbound.outcome.service.js';
import * as repo from './inbound.repository.js';

/**
 * payment.received for a credit account: a credit payment with `reference` = `payment_id`, exactly as
 * `POST …/credit/payments`; one payment_id records once (also when it came over HTTP first). Refusals
 * (`overpayment`, `credit-account-not-found`, `customer-not-found`) are thrown: dead-lettered, nothing applied.
 */
export async function paymentReceived({ tx, use }: InboundContext, e: PaymentReceivedEvent): Promise<InboundOutcome> {
  const { payment_id: paymentId, customer_id: customerId, amount } = e.data;
  if (e.data.applies_to !== 'credit_account') return skipped('payment not for a credit account');
  const org = e.organization_id;
  await repo.lockKey(tx, org, `payment:${paymentId}`);
  if (await repo.paymentRecorded(tx, org, customerId, paymentId)) return duplicate('payment already recorded');
  const noEffect = await attempt(tx, () => receivePayment(tx, use, customerId, { amount, reference: paymentId }));
  return noEffect ?? applied;
}
