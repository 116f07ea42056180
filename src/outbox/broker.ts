import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { FastifyBaseLogger } from 'fastify';
import {
  assertTopology,
  EXCHANGE,
  EXCHANGE_OPTIONS,
  EXCHANGE_TYPE,
  UNROUTABLE_EXCHANGE,
  UNROUTABLE_EXCHANGE_OPTIONS,
  UNROUTABLE_EXCHANGE_TYPE,
  UNROUTABLE_QUEUE,
} from '../../generated/index.js';

/** How the unroutable queue stands: declared with the document's bounds, or found with other arguments. */
export type UnroutableQueue = 'bounded' | 'unbounded';

/**
 * Opens the relay's own connection and confirm channel and declares the topology. `onGone` is called with the
 * connection when it or the channel closes or fails (possibly more than once, and possibly before this resolves).
 */
export async function openConfirmChannel(
  url: string,
  log: FastifyBaseLogger,
  onGone: (connection: ChannelModel, err?: Error) => void,
): Promise<{ connection: ChannelModel; channel: ConfirmChannel; unroutable: UnroutableQueue }> {
  const connection = await amqp.connect(url, { clientProperties: { connection_name: 'customer-service relay' } });
  const gone = (err?: Error) => onGone(connection, err);
  connection.on('error', gone);
  connection.on('close', gone);
  try {
    const unroutable = await declareTopology(connection, log);
    const channel = await connection.createConfirmChannel();
    channel.on('error', gone);
    channel.on('close', gone);
    return { connection, channel, unroutable };
  } catch (err) {
    await connection.close().catch(() => {});
    throw err;
  }
}

/**
 * Declares the document's topology on a channel of its own (a failed declaration closes its channel). Queue
 * arguments cannot change once a queue exists: an unroutable queue declared by an older build, without the
 * document's bounds, answers 406. Publishing must not stop for that: the queue is used as it is and the operator is
 * told how to bound it (docs/deploying.md). Any other mismatch (the exchange itself) is an error.
 */
async function declareTopology(connection: ChannelModel, log: FastifyBaseLogger): Promise<UnroutableQueue> {
  const channel = await connection.createChannel();
  channel.on('error', () => {}); // a 406 closes the channel; the rejected call reports it
  try {
    await assertTopology(channel);
    await channel.close();
    return 'bounded';
  } catch (err) {
    if (!isUnroutableQueueMismatch(err)) throw err;
  }
  log.warn(
    { queue: UNROUTABLE_QUEUE, err: 'inequivalent queue arguments' },
    'the unroutable queue exists without the bounds of asyncapi.yaml; apply a policy or re-create it (docs/deploying.md)',
  );
  const fallback = await connection.createChannel();
  await fallback.assertExchange(UNROUTABLE_EXCHANGE, UNROUTABLE_EXCHANGE_TYPE, UNROUTABLE_EXCHANGE_OPTIONS);
  await fallback.checkQueue(UNROUTABLE_QUEUE);
  await fallback.bindQueue(UNROUTABLE_QUEUE, UNROUTABLE_EXCHANGE, '');
  await fallback.assertExchange(EXCHANGE, EXCHANGE_TYPE, EXCHANGE_OPTIONS);
  await fallback.close();
  return 'unbounded';
}

function isUnroutableQueueMismatch(err: unknown): boolean {
  const e = err as { code?: number; message?: string };
  return e.code === 406 && typeof e.message === 'string' && e.message.includes(`queue '${UNROUTABLE_QUEUE}'`);
}
