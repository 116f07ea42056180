// Generated from asyncapi.yaml by scripts/generate.ts — DO NOT EDIT.

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
} from './models.js';

/** The exchange every event is published to. The SDK checks it exists; it never declares it. */
export const EXCHANGE = 'customer_events' as const;
export const EXCHANGE_TYPE = 'topic' as const;

/** Every event of the contract, in the order of the AsyncAPI document. */
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

/** Whether `name` is the name of an event of the contract. */
export function isEventName(name: string): name is EventName {
  return (EVENT_NAMES as readonly string[]).includes(name);
}

/** The envelope (message body) of each event, by event name. */
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
