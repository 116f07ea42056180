// Generated from asyncapi.yaml by scripts/generate.ts — DO NOT EDIT.

import type { ConfirmChannel } from 'amqplib';
import type {
  CreditApprovedEvent,
  CreditHoldPlacedEvent,
  CreditHoldReleasedEvent,
  CreditLimitExceededEvent,
  CreditOverdueEvent,
  CreditPaymentReceivedEvent,
  CreditUsageCancelledEvent,
  CreditUsedEvent,
  CustomerAnonymizedEvent,
  CustomerCreatedEvent,
  CustomerUpdatedEvent,
  LoyaltyPointsEarnedEvent,
  LoyaltyPointsExpiredEvent,
  LoyaltyPointsExpiringEvent,
  LoyaltyPointsRedeemedEvent,
  LoyaltyPointsReversedEvent,
  LoyaltyTierUpgradedEvent,
} from './models/index.js';
import type { PublishOptions } from './publishers/common.js';
import { publishCustomerCreated } from './publishers/publish-customer-created.js';
import { publishCustomerUpdated } from './publishers/publish-customer-updated.js';
import { publishCustomerAnonymized } from './publishers/publish-customer-anonymized.js';
import { publishLoyaltyPointsEarned } from './publishers/publish-loyalty-points-earned.js';
import { publishLoyaltyPointsRedeemed } from './publishers/publish-loyalty-points-redeemed.js';
import { publishLoyaltyTierUpgraded } from './publishers/publish-loyalty-tier-upgraded.js';
import { publishLoyaltyPointsReversed } from './publishers/publish-loyalty-points-reversed.js';
import { publishLoyaltyPointsExpired } from './publishers/publish-loyalty-points-expired.js';
import { publishLoyaltyPointsExpiring } from './publishers/publish-loyalty-points-expiring.js';
import { publishCreditApproved } from './publishers/publish-credit-approved.js';
import { publishCreditUsed } from './publishers/publish-credit-used.js';
import { publishCreditLimitExceeded } from './publishers/publish-credit-limit-exceeded.js';
import { publishCreditPaymentReceived } from './publishers/publish-credit-payment-received.js';
import { publishCreditOverdue } from './publishers/publish-credit-overdue.js';
import { publishCreditHoldPlaced } from './publishers/publish-credit-hold-placed.js';
import { publishCreditHoldReleased } from './publishers/publish-credit-hold-released.js';
import { publishCreditUsageCancelled } from './publishers/publish-credit-usage-cancelled.js';
import {
  eventExamples as examples,
  eventSchemas as schemas,
  strictEventSchemas as strictSchemas,
} from './schemas/index.js';

export type * from './models/index.js';
export type { PublishOptions } from './publishers/common.js';
export * from './received.js';
export { type FieldError } from './runtime/validator.js';
export * from './topology.js';
export {
  publishCustomerCreated,
  publishCustomerUpdated,
  publishCustomerAnonymized,
  publishLoyaltyPointsEarned,
  publishLoyaltyPointsRedeemed,
  publishLoyaltyTierUpgraded,
  publishLoyaltyPointsReversed,
  publishLoyaltyPointsExpired,
  publishLoyaltyPointsExpiring,
  publishCreditApproved,
  publishCreditUsed,
  publishCreditLimitExceeded,
  publishCreditPaymentReceived,
  publishCreditOverdue,
  publishCreditHoldPlaced,
  publishCreditHoldReleased,
  publishCreditUsageCancelled,
};

/** Every published event (one per send operation), in the order of the AsyncAPI document. */
export const EVENT_NAMES = [
  'customer.created',
  'customer.updated',
  'customer.anonymized',
  'loyalty.points.earned',
  'loyalty.points.redeemed',
  'loyalty.tier.upgraded',
  'loyalty.points.reversed',
  'loyalty.points.expired',
  'loyalty.points.expiring',
  'credit.approved',
  'credit.used',
  'credit.limit.exceeded',
  'credit.payment.received',
  'credit.overdue',
  'credit.hold.placed',
  'credit.hold.released',
  'credit.usage.cancelled',
] as const;

/** Name of an event; also its routing key. */
export type EventName = (typeof EVENT_NAMES)[number];

/** Whether `name` is the name of an event in the AsyncAPI document. */
export function isEventName(name: string): name is EventName {
  return (EVENT_NAMES as readonly string[]).includes(name);
}

/** Envelope (message body) type of each event, by event name. */
export interface EventEnvelopeMap {
  'customer.created': CustomerCreatedEvent;
  'customer.updated': CustomerUpdatedEvent;
  'customer.anonymized': CustomerAnonymizedEvent;
  'loyalty.points.earned': LoyaltyPointsEarnedEvent;
  'loyalty.points.redeemed': LoyaltyPointsRedeemedEvent;
  'loyalty.tier.upgraded': LoyaltyTierUpgradedEvent;
  'loyalty.points.reversed': LoyaltyPointsReversedEvent;
  'loyalty.points.expired': LoyaltyPointsExpiredEvent;
  'loyalty.points.expiring': LoyaltyPointsExpiringEvent;
  'credit.approved': CreditApprovedEvent;
  'credit.used': CreditUsedEvent;
  'credit.limit.exceeded': CreditLimitExceededEvent;
  'credit.payment.received': CreditPaymentReceivedEvent;
  'credit.overdue': CreditOverdueEvent;
  'credit.hold.placed': CreditHoldPlacedEvent;
  'credit.hold.released': CreditHoldReleasedEvent;
  'credit.usage.cancelled': CreditUsageCancelledEvent;
}

/** The envelope of any event; narrow it on `event`. */
export type EventEnvelope = EventEnvelopeMap[EventName];

/** The envelope of the event named `N`. */
export type EventEnvelopeOf<N extends EventName> = EventEnvelopeMap[N];

/**
 * Consumer JSON Schema (draft-07, self-contained) of each event envelope, from the AsyncAPI document: objects
 * are open (tolerant readers). Published at `/schemas/<event name>.json`. Compile each once (strict ajv 8
 * with ajv-formats), never per message.
 */
export const eventSchemas: Readonly<Record<EventName, object>> = schemas;

/**
 * Strict producer variant of each schema (every object closed): the service validates what it publishes
 * against it, so it never sends a field the document does not declare. Internal.
 */
export const strictEventSchemas: Readonly<Record<EventName, object>> = strictSchemas;

/** The example envelopes of each event in the AsyncAPI document. */
export const eventExamples: Readonly<Record<EventName, readonly unknown[]>> = examples;

/**
 * Publishes any event with its typed publisher, chosen by `envelope.event` (the routing key).
 *
 * @param channel A confirm channel, opened once and reused for every message.
 * @param envelope The message body.
 * @param options `messageId` (stable across retries), `correlationId`, publication `timestamp`.
 * @param onConfirm Called with `null` when the broker confirms the message, or an error when it does not.
 * @returns `false` when the caller should wait for the channel's 'drain' event before publishing more.
 * @throws Error when `envelope.event` is not an event of the AsyncAPI document.
 */
export function publishEvent(
  channel: ConfirmChannel,
  envelope: EventEnvelope,
  options: PublishOptions,
  onConfirm?: (err: Error | null) => void,
): boolean {
  switch (envelope.event) {
    case 'customer.created':
      return publishCustomerCreated(channel, envelope, options, onConfirm);
    case 'customer.updated':
      return publishCustomerUpdated(channel, envelope, options, onConfirm);
    case 'customer.anonymized':
      return publishCustomerAnonymized(channel, envelope, options, onConfirm);
    case 'loyalty.points.earned':
      return publishLoyaltyPointsEarned(channel, envelope, options, onConfirm);
    case 'loyalty.points.redeemed':
      return publishLoyaltyPointsRedeemed(channel, envelope, options, onConfirm);
    case 'loyalty.tier.upgraded':
      return publishLoyaltyTierUpgraded(channel, envelope, options, onConfirm);
    case 'loyalty.points.reversed':
      return publishLoyaltyPointsReversed(channel, envelope, options, onConfirm);
    case 'loyalty.points.expired':
      return publishLoyaltyPointsExpired(channel, envelope, options, onConfirm);
    case 'loyalty.points.expiring':
      return publishLoyaltyPointsExpiring(channel, envelope, options, onConfirm);
    case 'credit.approved':
      return publishCreditApproved(channel, envelope, options, onConfirm);
    case 'credit.used':
      return publishCreditUsed(channel, envelope, options, onConfirm);
    case 'credit.limit.exceeded':
      return publishCreditLimitExceeded(channel, envelope, options, onConfirm);
    case 'credit.payment.received':
      return publishCreditPaymentReceived(channel, envelope, options, onConfirm);
    case 'credit.overdue':
      return publishCreditOverdue(channel, envelope, options, onConfirm);
    case 'credit.hold.placed':
      return publishCreditHoldPlaced(channel, envelope, options, onConfirm);
    case 'credit.hold.released':
      return publishCreditHoldReleased(channel, envelope, options, onConfirm);
    case 'credit.usage.cancelled':
      return publishCreditUsageCancelled(channel, envelope, options, onConfirm);
    default:
      throw new Error(`Unknown event: ${String((envelope as { event: unknown }).event)}`);
  }
}
