/**
 * Ceiling B's publisher, in its own process as the service's relay is: `MESSAGES` envelope-sized messages with
 * the service's properties on a confirm channel, at most `IN_FLIGHT` unconfirmed. Settings: AMQP_URL, EXCHANGE,
 * ROUTING_KEY, MESSAGES, IN_FLIGHT, ORG. Exits 0 when every message is confirmed.
 */
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { APP_ID } from '../generated/index.js';
import { sampleEarnedBody } from './sample.js';

const env = (k: string) => process.env[k] ?? '';
const [exchange, routingKey, org] = [env('EXCHANGE'), env('ROUTING_KEY'), env('ORG')];
const messages = Number(env('MESSAGES'));
const maxInFlight = Number(env('IN_FLIGHT'));

const connection = await amqp.connect(env('AMQP_URL'));
const channel = await connection.createConfirmChannel();
const bodies = Array.from({ length: 1000 }, (_, i) => sampleEarnedBody(org, i));
let inFlight = 0;
let failed = 0;
let slot: (() => void) | undefined;
for (let i = 0; i < messages; i++) {
  while (inFlight >= maxInFlight) await new Promise<void>((r) => (slot = r));
  inFlight++;
  const ok = channel.publish(
    exchange,
    routingKey,
    bodies[i % bodies.length] as Buffer,
    {
      persistent: true,
      deliveryMode: 2,
      contentType: 'application/json',
      messageId: randomUUID(),
      correlationId: randomUUID(),
      type: routingKey,
      appId: APP_ID,
      timestamp: Math.floor(Date.now() / 1000),
      headers: { organization_id: org },
    },
    (err) => {
      if (err) failed++;
      inFlight--;
      slot?.();
    },
  );
  if (!ok) await new Promise<void>((r) => channel.once('drain', () => r()));
}
await channel.waitForConfirms();
await connection.close();
if (failed > 0) {
  console.error(`${failed} messages were not confirmed`);
  process.exit(1);
}
