import amqp, { type Channel, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { EXCHANGE, EXCHANGE_TYPE } from '../../generated/index.js';

/** Unroutable events land here (through the exchange's alternate exchange) instead of being dropped. */
export const UNROUTABLE_EXCHANGE = `${EXCHANGE}.unroutable`;
export const UNROUTABLE_QUEUE = `${EXCHANGE}.unroutable`;

/** Declares the exchange and its alternate exchange. Tests and tools must declare them exactly so. */
export async function assertTopology(channel: Channel): Promise<void> {
  await channel.assertExchange(UNROUTABLE_EXCHANGE, 'fanout', { durable: true });
  await channel.assertQueue(UNROUTABLE_QUEUE, { durable: true });
  await channel.bindQueue(UNROUTABLE_QUEUE, UNROUTABLE_EXCHANGE, '');
  await channel.assertExchange(EXCHANGE, EXCHANGE_TYPE, {
    durable: true,
    arguments: { 'alternate-exchange': UNROUTABLE_EXCHANGE },
  });
}

/**
 * Opens the relay's own connection and confirm channel and declares the topology on it. `onGone` is called when
 * the connection or the channel closes or fails (possibly more than once).
 */
export async function openConfirmChannel(
  url: string,
  onGone: (err?: Error) => void,
): Promise<{ connection: ChannelModel; channel: ConfirmChannel }> {
  const connection = await amqp.connect(url, { clientProperties: { connection_name: 'customer-service relay' } });
  connection.on('error', onGone);
  connection.on('close', onGone);
  try {
    const channel = await connection.createConfirmChannel();
    channel.on('error', onGone);
    channel.on('close', onGone);
    await assertTopology(channel);
    return { connection, channel };
  } catch (err) {
    await connection.close().catch(() => {});
    throw err;
  }
}
