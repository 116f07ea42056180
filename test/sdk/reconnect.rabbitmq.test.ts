import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Consumer, createConsumer } from '../../generated/sdk/src/index.js';
import { uniqueOrg } from '../helpers/app.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { sample, sleep, TestBroker, uniqueQueue, until } from './broker.js';

// The consumer reaches RabbitMQ through a TCP proxy; cutting the proxy drops its connection (the broker keeps
// running). Messages published meanwhile wait in the queue; unacknowledged ones are delivered again.

let broker: TestBroker;
let proxy: TcpProxy;
let consumer: Consumer | undefined;

beforeAll(async () => {
  broker = await TestBroker.open();
  proxy = await TcpProxy.start(5672);
});
afterAll(async () => {
  if (consumer) {
    await consumer.close();
    await broker.deleteQueues(consumer);
  }
  await proxy.close();
  await broker.close();
});

it('when the connection is cut while the first delivery is being handled, then the unacknowledged message is redelivered after the reconnect and every event is handled exactly once', async () => {
  const org = uniqueOrg();
  const handled = new Map<string, number>();
  const redelivered: string[] = [];
  const errors: string[] = [];
  let cutDone = false;
  consumer = await createConsumer({
    url: `amqp://guest:guest@127.0.0.1:${proxy.port}`,
    queue: uniqueQueue('reconnect'),
    prefetch: 10,
    handlers: {
      'credit.used': async (event, meta) => {
        if (event.organization_id !== org) return;
        const id = meta.messageId ?? '';
        if (meta.redelivered) redelivered.push(id);
        if (!cutDone) {
          // The fault happens for certain, mid-consumption: the first delivery cuts the connection and its work
          // is lost with it (it fails, so it is not remembered as handled and must come back).
          cutDone = true;
          proxy.cut();
          setTimeout(() => proxy.restore(), 300);
          throw new Error('work lost with the connection');
        }
        await sleep(2);
        handled.set(id, (handled.get(id) ?? 0) + 1);
      },
    },
    onError: (error) => errors.push(error.message),
  });
  const total = 300;
  const ids: string[] = [];
  for (let i = 0; i < total; i++) ids.push(await broker.publish('credit.used', sample('credit.used', org)));
  await until(() => handled.size === total, 20_000, 'every event handled');
  await consumer.close();
  // The fault was in effect: the broker delivered again what the lost connection had not acknowledged.
  expect(redelivered.length).toBeGreaterThan(0);
  expect(errors.some((message) => message.includes('connection to the broker lost'))).toBe(true);
  expect([...handled.keys()].sort()).toEqual([...ids].sort());
  expect([...handled.values()].filter((count) => count !== 1)).toEqual([]);
  expect(await broker.drainCount(consumer.queue, org)).toBe(0);
});
