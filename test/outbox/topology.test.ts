import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { expect, it } from 'vitest';
import { EXCHANGE } from '../../generated/index.js';
import { assertTopology, UNROUTABLE_QUEUE } from '../../src/outbox/broker.js';
import { AMQP_URL } from '../helpers/events.js';

it('when a message matches no binding, then the alternate exchange keeps it in a durable queue', async () => {
  const connection = await amqp.connect(AMQP_URL);
  try {
    const channel = await connection.createConfirmChannel();
    await assertTopology(channel);
    // The queue keeps every unroutable event the other tests produced; start from empty to find ours quickly.
    await channel.purgeQueue(UNROUTABLE_QUEUE);
    const messageId = randomUUID();
    const routingKey = `nobody.binds.${messageId}`;
    channel.publish(EXCHANGE, routingKey, Buffer.from('{}'), { messageId, persistent: true });
    await channel.waitForConfirms();

    const queue = await channel.checkQueue(UNROUTABLE_QUEUE);
    expect(queue.queue).toBe(UNROUTABLE_QUEUE);
    let found: amqp.GetMessage | undefined;
    for (let i = 0; i < 100 && !found; i++) {
      const msg = await channel.get(UNROUTABLE_QUEUE);
      if (msg === false) break;
      channel.ack(msg);
      if (msg.properties.messageId === messageId) found = msg;
    }
    expect(found?.fields.routingKey).toBe(routingKey);
  } finally {
    await connection.close();
  }
});
