import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Consumer,
  type ConsumerOptions,
  createConsumer,
  type EventEnvelopeMap,
  type MessageMeta,
} from '../../generated/sdk/src/index.js';
import { uniqueOrg } from '../helpers/app.js';
import { AMQP_URL, onlyOrg } from '../helpers/events.js';
import { sample, sleep, TestBroker, uniqueQueue, until } from './broker.js';

// createConsumer against the machine's RabbitMQ. Every test has its own queue (deleted afterwards) and its own
// organization: the queues are bound on the shared customer_events, so every handler that counts sees only its
// organization's events (onlyOrg), and a message the test published is told apart by its messageId. "Nothing more
// happened" is read after close(), which waits for running handlers: what was not handled is then still in a queue.

let broker: TestBroker;
const consumers: Consumer[] = [];

beforeAll(async () => {
  broker = await TestBroker.open();
});
afterEach(async () => {
  for (const consumer of consumers.splice(0)) {
    await consumer.close();
    await broker.deleteQueues(consumer);
  }
});
afterAll(async () => {
  await broker.close();
});

async function start(options: Omit<ConsumerOptions, 'url' | 'onError'> & { url?: string }): Promise<Consumer> {
  const consumer = await createConsumer({ url: AMQP_URL, onError: () => {}, ...options });
  consumers.push(consumer);
  return consumer;
}

type Earned = EventEnvelopeMap['loyalty.points.earned'];
type Used = EventEnvelopeMap['credit.used'];
type Approved = EventEnvelopeMap['credit.approved'];

describe('createConsumer', () => {
  it('when an event is published to customer_events, then its typed handler gets it with its meta', async () => {
    const org = uniqueOrg();
    const got: { event: Earned; meta: MessageMeta }[] = [];
    await start({
      queue: uniqueQueue('typed'),
      handlers: {
        'loyalty.points.earned': onlyOrg(org, async (event: Earned, meta: MessageMeta) => {
          got.push({ event, meta });
        }),
      },
    });
    const body = sample('loyalty.points.earned', org);
    const messageId = await broker.publish('loyalty.points.earned', body, {
      correlationId: 'req-1',
      headers: { organization_id: org },
    });
    await until(() => got.length === 1);
    const [first] = got;
    expect(first?.event).toEqual(body);
    expect(first?.event.data.points_earned).toBeTypeOf('number');
    expect(first?.meta).toMatchObject({
      messageId,
      correlationId: 'req-1',
      routingKey: 'loyalty.points.earned',
      redelivered: false,
      attempt: 1,
      headers: { organization_id: org },
    });
  });

  it('when the same messageId arrives twice, then the handler runs once and both are acknowledged', async () => {
    const org = uniqueOrg();
    const handled: string[] = [];
    const consumer = await start({
      queue: uniqueQueue('dedupe'),
      handlers: {
        'credit.used': onlyOrg(org, (_event: Used, meta: MessageMeta) => {
          handled.push(meta.messageId ?? '');
        }),
      },
    });
    const messageId = await broker.publish('credit.used', sample('credit.used', org));
    await broker.publish('credit.used', sample('credit.used', org), { messageId });
    const other = await broker.publish('credit.used', sample('credit.used', org));
    await until(() => handled.includes(other));
    await consumer.close();
    // Both copies were taken and acknowledged (none is left), yet the handler ran once for them.
    expect(await broker.drainCount(consumer.queue, org)).toBe(0);
    expect(handled.sort()).toEqual([messageId, other].sort());
  });

  it('when a custom dedupe store says it has seen a message, then the handler is not called', async () => {
    const org = uniqueOrg();
    const handled: string[] = [];
    const remembered: string[] = [];
    const skip = 'seen-before';
    await start({
      queue: uniqueQueue('store'),
      handlers: {
        'credit.used': onlyOrg(org, (_event: Used, meta: MessageMeta) => {
          handled.push(meta.messageId ?? '');
        }),
      },
      dedupe: {
        seen: async (id) => id === skip,
        remember: async (id) => {
          remembered.push(id);
        },
      },
    });
    await broker.publish('credit.used', sample('credit.used', org), { messageId: skip });
    const fresh = await broker.publish('credit.used', sample('credit.used', org));
    await until(() => handled.includes(fresh) && remembered.includes(fresh));
    expect(handled).not.toContain(skip);
  });

  it('when the body is not JSON, then it goes to <queue>.dlq with x-error and the handler is not called', async () => {
    // Other files' customer.updated events reach this queue too: only a call with this message's id would count.
    const calls: string[] = [];
    const consumer = await start({
      queue: uniqueQueue('poison'),
      handlers: { 'customer.updated': (_event, meta) => void calls.push(meta.messageId ?? '') },
      bindings: ['customer.updated'],
    });
    const messageId = await broker.publish('customer.updated', 'not json {', { correlationId: 'c-9' });
    const dead = await broker.getEventually(consumer.deadLetterQueue, messageId);
    expect(dead.content.toString()).toBe('not json {');
    expect(dead.properties.messageId).toBe(messageId);
    expect(dead.properties.correlationId).toBe('c-9');
    expect(String(dead.properties.headers?.['x-error'])).toMatch(/^\(body\): not JSON/);
    await consumer.close();
    expect(calls).not.toContain(messageId);
  });

  it('when the body fails the consumer schema, then it is dead-lettered with x-error naming the field', async () => {
    const org = uniqueOrg();
    const calls: string[] = [];
    const consumer = await start({
      queue: uniqueQueue('invalid'),
      handlers: {
        'loyalty.points.earned': onlyOrg(
          org,
          (_event: Earned, meta: MessageMeta) => void calls.push(meta.messageId ?? ''),
        ),
      },
    });
    const body = sample('loyalty.points.earned', org);
    const messageId = await broker.publish('loyalty.points.earned', {
      ...body,
      data: { ...body.data, points_earned: 'many' },
    });
    const dead = await broker.getEventually(consumer.deadLetterQueue, messageId);
    expect(dead.properties.messageId).toBe(messageId);
    expect(String(dead.properties.headers?.['x-error'])).toContain('data.points_earned');
    await consumer.close();
    expect(calls).toEqual([]);
  });

  it('when the body has fields the contract does not declare, then it is accepted (tolerant reader)', async () => {
    const org = uniqueOrg();
    const got: unknown[] = [];
    await start({
      queue: uniqueQueue('tolerant'),
      handlers: {
        'loyalty.points.earned': onlyOrg(org, (event: Earned) => void got.push(event)),
      },
    });
    const body = sample('loyalty.points.earned', org);
    await broker.publish('loyalty.points.earned', { ...body, extra: 1, data: { ...body.data, new_field: 'x' } });
    await until(() => got.length === 1);
  });

  it('when a bound event has no handler, then it is acknowledged and skipped', async () => {
    const org = uniqueOrg();
    const got: string[] = [];
    const consumer = await start({
      queue: uniqueQueue('skip'),
      bindings: ['credit.#'],
      handlers: {
        'credit.approved': onlyOrg(org, (event: Approved) => void got.push(event.event)),
      },
    });
    await broker.publish('credit.used', sample('credit.used', org));
    await broker.publish('credit.approved', sample('credit.approved', org));
    await until(() => got.length === 1);
    await consumer.close();
    expect(got).toEqual(['credit.approved']);
    expect(await broker.drainCount(consumer.queue, org)).toBe(0);
    expect(await broker.drainCount(consumer.deadLetterQueue, org)).toBe(0);
  });

  it('when a handler keeps throwing, then it is retried after each delay and dead-lettered with x-attempts', async () => {
    const org = uniqueOrg();
    const attempts: { attempt: number; at: number }[] = [];
    const consumer = await start({
      queue: uniqueQueue('retry'),
      retry: { delaysMs: [100, 300] },
      handlers: {
        'credit.approved': onlyOrg(org, (_event: Approved, meta: MessageMeta) => {
          attempts.push({ attempt: meta.attempt, at: Date.now() });
          throw new Error('downstream is down');
        }),
      },
    });
    const body = sample('credit.approved', org);
    const messageId = await broker.publish('credit.approved', body, {
      correlationId: 'r-1',
      type: 'credit.approved',
      headers: { organization_id: org },
    });
    const dead = await broker.getEventually(consumer.deadLetterQueue, messageId);
    await consumer.close();
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    const [a1, a2, a3] = attempts.map((a) => a.at);
    expect((a2 ?? 0) - (a1 ?? 0)).toBeGreaterThanOrEqual(90);
    expect((a3 ?? 0) - (a2 ?? 0)).toBeGreaterThanOrEqual(290);
    expect(JSON.parse(dead.content.toString())).toEqual(body);
    expect(dead.properties).toMatchObject({ messageId, correlationId: 'r-1', type: 'credit.approved' });
    expect(dead.properties.headers).toMatchObject({
      'x-error': 'downstream is down',
      'x-attempts': 3,
      organization_id: org,
    });
  });

  it('when a handler fails once, then the retry succeeds on attempt 2 and nothing is dead-lettered', async () => {
    const org = uniqueOrg();
    const attempts: number[] = [];
    const consumer = await start({
      queue: uniqueQueue('retry-ok'),
      retry: { delaysMs: [50] },
      handlers: {
        'credit.used': onlyOrg(org, (_event: Used, meta: MessageMeta) => {
          attempts.push(meta.attempt);
          if (meta.attempt === 1) throw new Error('once');
        }),
      },
    });
    await broker.publish('credit.used', sample('credit.used', org));
    await until(() => attempts.length === 2);
    await consumer.close();
    expect(attempts).toEqual([1, 2]);
    // No third attempt is waiting anywhere: not in the queue, a retry queue or the dead-letter queue.
    for (const queue of [consumer.queue, ...consumer.retryQueues, consumer.deadLetterQueue]) {
      expect(await broker.drainCount(queue, org), queue).toBe(0);
    }
  });

  it('when prefetch is 2, then at most 2 handlers run at a time', async () => {
    const org = uniqueOrg();
    let running = 0;
    let peak = 0;
    let done = 0;
    await start({
      queue: uniqueQueue('prefetch'),
      prefetch: 2,
      handlers: {
        'credit.used': onlyOrg(org, async () => {
          running++;
          peak = Math.max(peak, running);
          await sleep(50);
          running--;
          done++;
        }),
      },
    });
    for (let i = 0; i < 8; i++) await broker.publish('credit.used', sample('credit.used', org));
    await until(() => done === 8);
    expect(peak).toBe(2);
  });

  it('when no queueType is given, then the queue is a quorum queue; with classic, a classic one', async () => {
    const quorum = await start({ queue: uniqueQueue('quorum'), handlers: { 'credit.used': () => {} } });
    const classic = await start({
      queue: uniqueQueue('classic'),
      queueType: 'classic',
      handlers: { 'credit.used': () => {} },
    });
    const redeclare = async (queue: string, type: string) => {
      const channel = await broker.connection.createChannel();
      channel.on('error', () => {});
      try {
        await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': type } });
        await channel.close();
        return 'same';
      } catch (error) {
        return String(error);
      }
    };
    expect(await redeclare(quorum.queue, 'quorum')).toBe('same');
    expect(await redeclare(quorum.queue, 'classic')).toMatch(/PRECONDITION_FAILED/);
    expect(await redeclare(classic.queue, 'classic')).toBe('same');
  });

  it('when close() is called during a handler, then it waits for it and nothing more is consumed', async () => {
    const org = uniqueOrg();
    let finished = 0;
    let started = 0;
    const consumer = await start({
      queue: uniqueQueue('close'),
      prefetch: 1,
      handlers: {
        'credit.used': onlyOrg(org, async () => {
          started++;
          await sleep(300);
          finished++;
        }),
      },
    });
    await broker.publish('credit.used', sample('credit.used', org));
    await until(() => started === 1);
    await consumer.close();
    expect(finished).toBe(1);
    // The broker has no consumer on the queue any more: what is published now stays there.
    expect((await broker.channel.checkQueue(consumer.queue)).consumerCount).toBe(0);
    await broker.publish('credit.used', sample('credit.used', org));
    expect(started).toBe(1);
    expect(await broker.drainCount(consumer.queue, org)).toBe(1);
  });
});
