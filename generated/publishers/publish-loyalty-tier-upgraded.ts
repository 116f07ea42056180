// Generated from asyncapi.yaml by scripts/generate.ts — DO NOT EDIT.

import type { ConfirmChannel } from 'amqplib';
import type { LoyaltyTierUpgradedEvent } from '../models/index.js';
import { EXCHANGE, type PublishOptions } from './common.js';

/**
 * Publish loyalty.tier.upgraded when a customer's tier rises.
 *
 * A customer reached a higher loyalty tier.
 *
 * - Exchange: `customer_events` (topic)
 * - Routing key: `loyalty.tier.upgraded`
 * - Consumers: Pricing, Notification
 *
 * Sets, as the AsyncAPI document declares: deliveryMode 2, `contentType` application/json, `type`, `timestamp`, `appId`, `messageId`, `correlationId`; headers `organization_id`, `traceparent`, `tracestate`.
 * The body is the envelope as JSON; validate it against `strictEventSchemas['loyalty.tier.upgraded']` before storing
 * it to be sent.
 *
 * @param channel A confirm channel, opened once and reused for every message.
 * @param envelope The message body.
 * @param options The per-message AMQP properties (`messageId` stable across retries, …).
 * @param onConfirm Called with `null` when the broker confirms the message, or an error when it does not.
 * @returns The result of `channel.publish`: `false` means wait for the channel's 'drain' event before
 *   publishing more.
 */
export function publishLoyaltyTierUpgraded(
  channel: ConfirmChannel,
  envelope: LoyaltyTierUpgradedEvent,
  options: PublishOptions,
  onConfirm?: (err: Error | null) => void,
): boolean {
  return channel.publish(
    EXCHANGE,
    'loyalty.tier.upgraded',
    options.body ?? Buffer.from(JSON.stringify(envelope)),
    {
      persistent: true,
      deliveryMode: 2,
      mandatory: false,
      contentType: 'application/json',
      type: 'loyalty.tier.upgraded',
      appId: 'customer-service',
      messageId: options.messageId,
      correlationId: options.correlationId,
      timestamp: Math.floor(options.timestamp.getTime() / 1000),
      headers: { ...options.headers, organization_id: envelope.organization_id },
    },
    onConfirm,
  );
}
