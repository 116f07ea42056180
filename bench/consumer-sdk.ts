/**
 * Throughput of the SDK consumer (validation and de-duplication on) against a bare amqplib consumer of the same
 * queue, in one run: N messages are preloaded into a fresh classic queue, then each consumer drains it.
 *
 *   tsx bench/consumer-sdk.ts [--count 20000]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import amqp from 'amqplib';
import { assertTopology, eventExamples, MESSAGE_PROPERTIES } from '../generated/index.js';
import { createConsumer } from '../generated/sdk/src/index.js';
import { AMQP_URL as url } from '../test/helpers/events.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '20000' } } });
const count = Number(values.count);
const org = `org_bench_${randomBytes(4).toString('hex')}`;
const example = { ...(eventExamples['loyalty.points.earned'][0] as object), organization_id: org };
const body = Buffer.from(JSON.stringify(example));

const connection = await amqp.connect(url);
const channel = await connection.createConfirmChannel();
await assertTopology(channel);

async function preload(queue: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    const ok = channel.sendToQueue(queue, body, {
      ...MESSAGE_PROPERTIES['loyalty.points.earned'],
      messageId: randomUUID(),
      headers: { organization_id: org },
    });
    if (!ok) await new Promise((resolve) => channel.once('drain', resolve));
  }
  await channel.waitForConfirms();
}

async function bare(queue: string): Promise<number> {
  const c = await amqp.connect(url);
  const ch = await c.createChannel();
  await ch.prefetch(20);
  let handled = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    void ch.consume(queue, (message) => {
      if (!message) return;
      JSON.parse(message.content.toString('utf8'));
      ch.ack(message);
      if (++handled === count) resolve();
    });
  });
  const seconds = (performance.now() - started) / 1000;
  await c.close();
  return count / seconds;
}

async function sdk(queue: string): Promise<number> {
  let handled = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const started = performance.now();
  const consumer = await createConsumer({
    url,
    queue,
    bindings: ['bench.none'],
    queueType: 'classic',
    handlers: {
      'loyalty.points.earned': async () => {
        if (++handled === count) done();
      },
    },
  });
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await consumer.close();
  await channel.deleteQueue(consumer.deadLetterQueue);
  for (const retry of consumer.retryQueues) await channel.deleteQueue(retry);
  return count / seconds;
}

const tag = randomBytes(4).toString('hex');
const bareQueue = `bench.sdk.bare.${tag}`;
const sdkQueue = `bench.sdk.consumer.${tag}`;
try {
  await channel.assertQueue(bareQueue, { durable: true, arguments: { 'x-queue-type': 'classic' } });
  await channel.assertQueue(sdkQueue, { durable: true, arguments: { 'x-queue-type': 'classic' } });
  await preload(bareQueue);
  await preload(sdkQueue);
  const bareRate = await bare(bareQueue);
  const sdkRate = await sdk(sdkQueue);
  console.log(`messages per consumer: ${count} (1 KB-ish loyalty.points.earned, classic durable queue, prefetch 20)`);
  console.log(`bare amqplib (JSON.parse + ack):                 ${Math.round(bareRate)} msg/s`);
  console.log(`SDK createConsumer (validation + memoryDedupe):  ${Math.round(sdkRate)} msg/s`);
  console.log(`ratio: ${(sdkRate / bareRate).toFixed(2)}`);
} finally {
  await channel.deleteQueue(bareQueue);
  await channel.deleteQueue(sdkQueue);
  await connection.close();
}
