// Generated from asyncapi.yaml by scripts/generate.ts — DO NOT EDIT.

import type { ConfirmChannel } from 'amqplib';
import type { LoyaltyPointsReversedEvent } from '../models/index.js';
import { EXCHANGE, type PublishOptions } from './common.js';

/**
 * Publish loyalty.points.reversed when an earn or a redemption is reversed.
 *
 * An earn or a redemption was reversed (a refund or a cancelled order).
 *
 * - Exchange: `customer_events` (topic)
 * - Routing key: `loyalty.points.reversed`
 * - Consumers: Analytics, Notification
 *
 * Sets, as the AsyncAPI document declares: deliveryMode 2, `contentType` application/json, `type`, `timestamp`, `appId`, `messageId`, `correlationId`; headers `organization_id`, `traceparent`, `tracestate`.
 * The body is the envelope as JSON; validate it against `strictEventSchemas['loyalty.points.reversed']` before storing
 * it to be sent.
 *
 * @param channel A confirm channel, opened once and reused for every message.
 * @param envelope The message body.
 * @param options The per-message AMQP properties (`messageId` stable across retries, …).
 * @param onConfirm Called with `null` when the broker confirms the message, or an error when it does not.
 * @returns The result of `channel.publish`: `false` means wait for the channel's 'drain' event before
 *   publishing more.
 */
export function publishLoyaltyPointsReversed(
  channel: ConfirmChannel,
  envelope: LoyaltyPointsReversedEvent,
  options: PublishOptions,
  onConfirm?: (err: Error | null) => void,
): boolean {
  return channel.publish(
    EXCHANGE,
    'loyalty.points.reversed',
    options.body ?? Buffer.from(JSON.stringify(envelope)),
    {
      persistent: true,
      deliveryMode: 2,
      mandatory: false,
      contentType: 'application/json',
      type: 'loyalty.points.reversed',
      appId: 'customer-service',
      messageId: options.messageId,
      correlationId: options.correlationId,
      timestamp: Math.floor(options.timestamp.getTime() / 1000),
      headers: { ...options.headers, organization_id: envelope.organization_id },
    },
    onConfirm,
  );
}
