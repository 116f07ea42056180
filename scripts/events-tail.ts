/**
 * `npm run events:tail [binding]`: binds a temporary queue to `customer_events` (default `#`) and prints each
 * event as it arrives: routing key, messageId, and the pretty-printed body. For newcomers and for debugging.
 */
import amqp from 'amqplib';
import { assertTopology, EXCHANGE } from '../generated/index.js';

const binding = process.argv[2] ?? '#';
const url = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

const connection = await amqp.connect(url);
const channel = await connection.createChannel();
await assertTopology(channel);
const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
await channel.bindQueue(queue, EXCHANGE, binding);
console.log(`Listening on exchange ${EXCHANGE} with binding '${binding}' (Ctrl-C to stop)…`);

await channel.consume(
  queue,
  (msg) => {
    if (!msg) return;
    const p = msg.properties;
    let body: unknown;
    try {
      body = JSON.parse(msg.content.toString('utf8'));
    } catch {
      body = msg.content.toString('utf8');
    }
    console.log(
      `\n${new Date().toISOString()}  ${msg.fields.routingKey}\n` +
        `  messageId=${p.messageId} correlationId=${p.correlationId ?? '-'} org=${p.headers?.organization_id ?? '-'}\n` +
        JSON.stringify(body, null, 2).replace(/^/gm, '  '),
    );
  },
  { noAck: true },
);

const stop = async () => {
  await connection.close().catch(() => {});
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
