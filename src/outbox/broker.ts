import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { assertTopology } from '../../generated/index.js';

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
