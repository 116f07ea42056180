import type { Options } from 'amqplib';
import { type EventEnvelope, HEADER_NAMES, MESSAGE_PROPERTIES } from '../../../generated/index.js';

/** Header on every message `events:simulate` publishes: it is not a real fact. */
export const SIMULATED_HEADER = 'x-simulated';
/** Header on every message `events:replay` republishes: it was delivered before. */
export const REPLAYED_HEADER = 'x-replayed';

/**
 * The AMQP properties the service sets on a published event, from the document (generated `MESSAGE_PROPERTIES`
 * and `HEADER_NAMES`, as the generated publishers set them), plus the per-message ones and `extraHeaders`.
 */
export function publishedProperties(
  envelope: EventEnvelope,
  message: { messageId: string; correlationId?: string | undefined; timestamp: Date },
  extraHeaders: Readonly<Record<string, unknown>>,
): Options.Publish {
  const headers = Object.fromEntries(HEADER_NAMES.map((name) => [name, envelope[name]]));
  return {
    ...MESSAGE_PROPERTIES[envelope.event],
    messageId: message.messageId,
    correlationId: message.correlationId,
    timestamp: Math.floor(message.timestamp.getTime() / 1000),
    headers: { ...headers, ...extraHeaders },
  };
}
