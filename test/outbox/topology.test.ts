import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { expect, it } from 'vitest';
import { assertTopology, EXCHANGE, UNROUTABLE_EXCHANGE, UNROUTABLE_QUEUE } from '../../generated/index.js';
import { AMQP_URL } from '../helpers/events.js';

it('when a message matches no binding, then the alternate exchange keeps it in a durable queue', async () => {
  const connection = await amqp.connect(AMQP_URL);
  try {
    const channel = await connection.createConfirmChannel();
    await assertTopology(channel);
    // The shared durable queue holds every unroutable event of every test run: watch the alternate exchange
    // through a queue of this test's own (fanout: it gets a copy of what the durable queue gets).
    const { queue: mine } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(mine, UNROUTABLE_EXCHANGE, '');
    const messageId = randomUUID();
    const routingKey = `nobody.binds.${messageId}`;
    channel.publish(EXCHANGE, routingKey, Buffer.from('{}'), { messageId, persistent: true });
    await channel.waitForConfirms();

    const durable = await channel.checkQueue(UNROUTABLE_QUEUE);
    expect(durable.queue).toBe(UNROUTABLE_QUEUE);
    let found: amqp.GetMessage | undefined;
    for (let i = 0; i < 10_000 && !found; i++) {
      const msg = await channel.get(mine, { noAck: true });
      if (msg === false) break;
      if (msg.properties.messageId === messageId) found = msg;
    }
    expect(found?.fields.routingKey).toBe(routingKey);
  } finally {
    await connection.close();
  }
});
