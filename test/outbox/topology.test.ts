import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertTopology, EXCHANGE, UNROUTABLE_QUEUE, UNROUTABLE_QUEUE_OPTIONS } from '../../generated/index.js';
import { openConfirmChannel } from '../../src/outbox/broker.js';
import { AMQP_URL } from '../helpers/events.js';
import { createVhost, type Vhost } from '../helpers/vhost.js';

it('when a message matches no binding, then the alternate exchange keeps it in a durable queue', async () => {
  // A vhost of this test's own: on the shared one, every other file's unrouted events land in the same queue.
  const own = await createVhost('cs-unroutable');
  const connection = await amqp.connect(own.url);
  try {
    const channel = await connection.createConfirmChannel();
    await assertTopology(channel);
    const messageId = randomUUID();
    const routingKey = `nobody.binds.${messageId}`;
    channel.publish(EXCHANGE, routingKey, Buffer.from('{}'), { messageId, persistent: true });
    await channel.waitForConfirms();

    const durable = await channel.checkQueue(UNROUTABLE_QUEUE);
    expect(durable).toMatchObject({ queue: UNROUTABLE_QUEUE, messageCount: 1 });
    const msg = await channel.get(UNROUTABLE_QUEUE, { noAck: true });
    if (msg === false) throw new Error('the unroutable queue is empty');
    expect(msg.properties.messageId).toBe(messageId);
    expect(msg.fields.routingKey).toBe(routingKey);
  } finally {
    await connection.close();
    await own.delete();
  }
});

it('the unroutable queue is declared with the bounds of the document (TTL, max length, oldest dropped first)', async () => {
  const connection = await amqp.connect(AMQP_URL);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => {}); // the 406 below closes the channel; the rejected call is what is checked
    await assertTopology(channel);
    expect(UNROUTABLE_QUEUE_OPTIONS.arguments).toEqual({
      'x-message-ttl': 7 * 24 * 3600 * 1000,
      'x-max-length': 100_000,
      'x-overflow': 'drop-head',
    });
    // The broker compares arguments on every declaration: the same ones pass, none or others answer 406.
    await channel.assertQueue(UNROUTABLE_QUEUE, UNROUTABLE_QUEUE_OPTIONS);
    await expect(channel.assertQueue(UNROUTABLE_QUEUE, { durable: true })).rejects.toThrow(/x-message-ttl|x-max/);
  } finally {
    await connection.close().catch(() => {});
  }
});

describe('an unroutable queue declared by an older build, without bounds', () => {
  let vhost: Vhost;
  beforeAll(async () => {
    vhost = await createVhost('cs-topology');
    const connection = await amqp.connect(vhost.url);
    const channel = await connection.createChannel();
    await channel.assertQueue(UNROUTABLE_QUEUE, { durable: true });
    await connection.close();
  });
  afterAll(async () => {
    await vhost?.delete();
  });

  it('does not stop the relay: it publishes, unrouted events still reach the queue, and the operator is told', async () => {
    const warnings: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
    const { connection, channel, unroutable } = await openConfirmChannel(vhost.url, log, () => {});
    try {
      expect(unroutable).toBe('unbounded');
      expect(warnings.join('')).toContain('docs/deploying.md');
      const messageId = randomUUID();
      channel.publish(EXCHANGE, `nobody.binds.${messageId}`, Buffer.from('{}'), { messageId, persistent: true });
      await channel.waitForConfirms();
      const got = await channel.get(UNROUTABLE_QUEUE, { noAck: true });
      expect(got === false ? 'nothing' : got.properties.messageId).toBe(messageId);
    } finally {
      await connection.close().catch(() => {});
    }
  });
});
