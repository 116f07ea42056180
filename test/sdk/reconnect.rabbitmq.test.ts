import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Consumer, createConsumer } from '../../generated/sdk/src/index.js';
import { uniqueOrg } from '../helpers/app.js';
import { AMQP_URL } from '../helpers/settings.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { sample, sleep, TestBroker, uniqueQueue, until } from './broker.js';

// The consumer reaches RabbitMQ (the AMQP_URL setting) through a TCP proxy; cutting the proxy drops its connection
// (the broker keeps running). Messages published meanwhile wait in the queue; unacknowledged ones are delivered
// again.

let broker: TestBroker;
let proxy: TcpProxy;
let consumer: Consumer | undefined;

beforeAll(async () => {
  broker = await TestBroker.open();
  const target = new URL(AMQP_URL);
  proxy = await TcpProxy.start(Number(target.port || 5672), target.hostname);
});
afterAll(async () => {
  if (consumer) {
    await consumer.close();
    await broker.deleteQueues(consumer);
  }
  await proxy.close();
  await broker.close();
});

it('when the connection is cut while deliveries are being handled, then every unacknowledged one is redelivered after the reconnect and every event is handled exactly once', async () => {
  const org = uniqueOrg();
  const handled = new Map<string, number>();
  const redelivered = new Set<string>();
  const errors: string[] = [];
  /** Deliveries whose handling was under way on the first connection when it was cut (none acknowledged). */
  const outstanding = new Set<string>();
  const OUTSTANDING = 3;
  let cut = false;
  let afterCut = () => {};
  const cutDone = new Promise<void>((resolve) => (afterCut = resolve));
  consumer = await createConsumer({
    url: proxy.url(AMQP_URL),
    queue: uniqueQueue('reconnect'),
    prefetch: 10,
    handlers: {
      'credit.used': async (event, meta) => {
        if (event.organization_id !== org) return;
        const id = meta.messageId ?? '';
        if (meta.redelivered) redelivered.add(id);
        if (!cut) {
          // The fault happens for certain, mid-consumption: the first deliveries wait until several are being
          // handled at once, then the connection is cut under them and their work is lost with it (they fail, so
          // they are not remembered as handled and must come back).
          outstanding.add(id);
          if (outstanding.size === OUTSTANDING) {
            cut = true;
            proxy.cut();
            setTimeout(() => proxy.restore(), 300);
            afterCut();
          }
          await cutDone;
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
  // The fault was in effect: the cut came with deliveries outstanding, and the broker delivered each again.
  expect(outstanding.size).toBe(OUTSTANDING);
  for (const id of outstanding) expect(redelivered, `${id} delivered again`).toContain(id);
  expect(errors.some((message) => message.includes('connection to the broker lost'))).toBe(true);
  expect([...handled.keys()].sort()).toEqual([...ids].sort());
  expect([...handled.values()].filter((count) => count !== 1)).toEqual([]);
  expect(await broker.drainCount(consumer.queue, org)).toBe(0);
});
