// Generated from asyncapi.yaml by scripts/generate.ts — DO NOT EDIT.

import type { Channel } from 'amqplib';

/** Exchange every event is published to (the AMQP binding of the channels). */
export const EXCHANGE = 'customer_events' as const;

/** Type of {@link EXCHANGE}. */
export const EXCHANGE_TYPE = 'topic' as const;

/** Options {@link EXCHANGE} is declared with: durability and arguments (the alternate exchange). */
export const EXCHANGE_OPTIONS = {
  durable: true,
  autoDelete: false,
  arguments: { 'alternate-exchange': 'customer_events.unroutable' },
} as const;

/** Virtual host of {@link EXCHANGE}. */
export const VHOST = '/' as const;

/** The alternate exchange of {@link EXCHANGE}: messages no queue is bound for go there. */
export const UNROUTABLE_EXCHANGE = 'customer_events.unroutable' as const;
export const UNROUTABLE_EXCHANGE_TYPE = 'fanout' as const;
export const UNROUTABLE_EXCHANGE_OPTIONS = { durable: true } as const;

/** The queue bound to {@link UNROUTABLE_EXCHANGE} that keeps unroutable messages. */
export const UNROUTABLE_QUEUE = 'customer_events.unroutable' as const;
/** Options {@link UNROUTABLE_QUEUE} is declared with: durability and its bounds (`x-arguments`). */
export const UNROUTABLE_QUEUE_OPTIONS = {
  durable: true,
  arguments: { 'x-message-ttl': 604800000, 'x-max-length': 100000, 'x-overflow': 'drop-head' },
} as const;

/** AMQP `appId` property of every message. */
export const APP_ID = 'customer-service' as const;

/** Names of the application headers every message carries. */
export const HEADER_NAMES = ['organization_id'] as const;

/** The AMQP properties the document fixes for each event (the per-message ones are `PublishOptions`). */
export const MESSAGE_PROPERTIES = {
  'customer.created': {
    deliveryMode: 2,
    persistent: true,
    mandatory: false,
    contentType: 'application/json',
    type: 'customer.created',
    appId: 'customer-service',
  },
  'customer.updated': {
    deliveryMode: 2,
    persistent: true,
    mandatory: false,
    contentType: 'application/json',
    type: 'customer.updated',
    appId: 'customer-service',
  },
  'customer.anonymized': {
    deliveryMode: 2,
    persistent: true,
    mandatory: false,
    contentType: 'application/json',
    type: 'customer.anonymized',
    appId: 'customer-service',
  },
  'loyalty.points.earned': {
    deliveryMode: 2,
    persistent: true,
    mandatory: false,
    contentType: 'application/json',
    type: 'loyalty.points.earned',
    appId: 'customer-service',
  },
  'loyalty.points.redeemed': {
    deliveryMode: 2,
    persistent: true,
    mandatory: false,
    contentType: 'application/json',
    type: 'loyalty.points.redeemed',
    appId: 'customer-service',
  },
  'loyalty.tier.upgraded': {
    deliveryMode: 2,
    persistent: true,
    mandatory: false,
    contentType: 'application/json',
    type: 'loyalty.tier.upgraded',
    appId: 'customer-service',
  },
  'loyalty.points.reversed': {
    deliveryMode: 2,
    persistent: true,
    mandatory: false,
    contentType: 'application/json',
    type: 'loyalty.points.reversed',
    appId: 'customer-service',
  },
  'loyalty.points.expired': {
    deliveryMode: 2,
    persistent: true,
    mandatory: false,
    contentType: 'application/json',
    type: 'loyalty.points.expired',
    appId: 'customer-service',
  },
  'loyalty.points.expiring': {
    deliveryMode: 2,
    persistent: true,
    mandatory: false,
    contentType: 'application/json',
    type: 'loyalty.points.expiring',
    appId: 'customer-service',
  },
  'credit.approved': {
    deliveryMode: 2,
    persistent: true,
    mandatory: false,
    contentType: 'application/json',
    type: 'credit.approved',
    appId: 'customer-service',
  },
  'credit.used': {
    deliveryMode: 2,
    persistent: true,
    mandatory: false,
    contentType: 'application/json',
    type: 'credit.used',
    appId: 'customer-service',
  },
  'credit.limit.exceeded': {
    deliveryMode: 2,
    persistent: true,
    mandatory: false,
    contentType: 'application/json',
    type: 'credit.limit.exceeded',
    appId: 'customer-service',
  },
  'credit.payment.received': {
    deliveryMode: 2,
    persistent: true,
    mandatory: false,
    contentType: 'application/json',
    type: 'credit.payment.received',
    appId: 'customer-service',
  },
  'credit.overdue': {
    deliveryMode: 2,
    persistent: true,
    mandatory: false,
    contentType: 'application/json',
    type: 'credit.overdue',
    appId: 'customer-service',
  },
  'credit.hold.placed': {
    deliveryMode: 2,
    persistent: true,
    mandatory: false,
    contentType: 'application/json',
    type: 'credit.hold.placed',
    appId: 'customer-service',
  },
  'credit.hold.released': {
    deliveryMode: 2,
    persistent: true,
    mandatory: false,
    contentType: 'application/json',
    type: 'credit.hold.released',
    appId: 'customer-service',
  },
  'credit.usage.cancelled': {
    deliveryMode: 2,
    persistent: true,
    mandatory: false,
    contentType: 'application/json',
    type: 'credit.usage.cancelled',
    appId: 'customer-service',
  },
} as const;

/**
 * Declares the topology the document describes: the alternate exchange and its queue, then the exchange.
 * Idempotent; fails with 406 PRECONDITION_FAILED when the broker has them with other settings.
 */
export async function assertTopology(
  channel: Pick<Channel, 'assertExchange' | 'assertQueue' | 'bindQueue'>,
): Promise<void> {
  await channel.assertExchange(UNROUTABLE_EXCHANGE, UNROUTABLE_EXCHANGE_TYPE, UNROUTABLE_EXCHANGE_OPTIONS);
  await channel.assertQueue(UNROUTABLE_QUEUE, UNROUTABLE_QUEUE_OPTIONS);
  await channel.bindQueue(UNROUTABLE_QUEUE, UNROUTABLE_EXCHANGE, '');
  await channel.assertExchange(EXCHANGE, EXCHANGE_TYPE, EXCHANGE_OPTIONS);
}
