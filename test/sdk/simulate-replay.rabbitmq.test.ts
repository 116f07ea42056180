import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_NAMES, MESSAGE_PROPERTIES } from '../../generated/index.js';
import { createConsumer, type EventEnvelope, type MessageMeta } from '../../generated/sdk/src/index.js';
import { REPLAY_PAGE_SIZE, replayEvents } from '../../scripts/lib/events/replay.js';
import { publishSimulated, simulatedEvents } from '../../scripts/lib/events/simulate.js';
import { topicMatches } from '../../scripts/lib/events/topic.js';
import { uniqueOrg } from '../helpers/app.js';
import { AMQP_URL, onlyOrg } from '../helpers/events.js';
import { createCustomer, useTestApp } from '../helpers/fixtures.js';
import { sleep, TestBroker, uniqueQueue, until } from './broker.js';

const t = useTestApp();
let broker: TestBroker;
beforeAll(async () => {
  broker = await TestBroker.open();
});
afterAll(async () => {
  await broker.close();
});

describe('topicMatches', () => {
  it('when patterns use * and #, then they match as RabbitMQ does', () => {
    expect(topicMatches('credit.#', 'credit.limit.exceeded')).toBe(true);
    expect(topicMatches('credit.*', 'credit.limit.exceeded')).toBe(false);
    expect(topicMatches('*.points.*', 'loyalty.points.earned')).toBe(true);
    expect(topicMatches('#', 'customer.created')).toBe(true);
    expect(topicMatches('customer.created', 'customer.updated')).toBe(false);
  });
});

describe('events:simulate', () => {
  it('when credit.# is simulated twice, then a consumer gets each credit event twice, fresh and valid', async () => {
    const org = uniqueOrg();
    const got: { event: EventEnvelope; meta: MessageMeta }[] = [];
    const record = onlyOrg(org, async (event: EventEnvelope, meta: MessageMeta) => {
      got.push({ event, meta });
    });
    const consumer = await createConsumer({
      url: AMQP_URL,
      queue: uniqueQueue('simulate'),
      bindings: ['credit.#'],
      handlers: {
        'credit.approved': record,
        'credit.used': record,
        'credit.limit.exceeded': record,
        'credit.payment.received': record,
        'credit.overdue': record,
        'credit.hold.placed': record,
        'credit.hold.released': record,
        'credit.usage.cancelled': record,
      },
    });
    try {
      const expected = EVENT_NAMES.filter((name) => name.startsWith('credit.')).length * 2;
      const events = simulatedEvents({ event: 'credit.#', count: 2, org });
      expect(events).toHaveLength(expected);
      await publishSimulated(AMQP_URL, events);
      await until(() => got.length === expected);
      expect(new Set(got.map((g) => g.meta.messageId)).size).toBe(expected);
      expect(got.map((g) => g.event.event).sort()).toEqual(events.map((e) => e.envelope.event).sort());
      const first = got.find((g) => g.event.event === 'credit.used');
      const second = got.filter((g) => g.event.event === 'credit.used')[1];
      expect(first?.event.data).not.toEqual(second?.event.data);
      expect(first?.meta.headers).toEqual({ organization_id: org });
      expect(Date.now() - Date.parse(first?.event.timestamp ?? '')).toBeLessThan(60_000);
    } finally {
      await consumer.close();
      await broker.deleteQueues(consumer);
    }
  });
});

describe('events:replay', () => {
  it('when the service sent events, then replay sends them in order to one queue with x-replayed', async () => {
    await createCustomer(t);
    await createCustomer(t, { customer_type: 'b2b', tax_id: 'B12345678' });
    const sent = async () =>
      (
        await t.db.query<{ id: string; message_id: string; payload: string; event_name: string }>(
          'SELECT id, message_id, payload, event_name FROM outbox WHERE organization_id = $1 ORDER BY id',
          [t.org],
        )
      ).rows;
    const unsent = async () =>
      (
        await t.db.query(
          'SELECT 1 FROM outbox WHERE organization_id = $1 AND id > (SELECT last_id FROM outbox_progress)',
          [t.org],
        )
      ).rowCount;
    for (let i = 0; i < 200 && (await unsent()) > 0; i++) await sleep(50);
    const rows = await sent();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const queue = uniqueQueue('replay');
    await broker.channel.assertQueue(queue, { durable: false, autoDelete: false });
    try {
      expect(await replayEvents(t.db, AMQP_URL, { queue, org: t.org })).toBe(rows.length);
      for (const row of rows) {
        const message = await broker.getEventually(queue);
        expect(message.content.toString()).toBe(row.payload);
        expect(message.properties.messageId).toBe(row.message_id);
        expect(message.properties.headers).toEqual({ organization_id: t.org, 'x-replayed': true });
        expect(message.properties).toMatchObject({
          appId: MESSAGE_PROPERTIES['customer.created'].appId,
          type: row.event_name,
          contentType: 'application/json',
        });
        expect(message.fields.exchange).toBe('');
      }
      expect(await broker.get(queue)).toBe(false);
      expect(await replayEvents(t.db, AMQP_URL, { queue, org: t.org, events: 'credit.#' })).toBe(0);
      expect(await replayEvents(t.db, AMQP_URL, { queue, org: t.org, since: new Date(Date.now() + 60_000) })).toBe(0);
    } finally {
      await broker.channel.deleteQueue(queue);
    }
  });

  it('when no organization is named, then replay refuses unless every organization is asked for explicitly', async () => {
    const queue = uniqueQueue('no-org');
    await broker.channel.assertQueue(queue, { durable: false, autoDelete: false });
    try {
      await expect(replayEvents(t.db, AMQP_URL, { queue })).rejects.toThrow(/--org <id>.*--all-organizations/);
      expect(await broker.get(queue)).toBe(false);
    } finally {
      await broker.channel.deleteQueue(queue);
    }
  });

  it('when more events are stored than one page holds, then replay reads them page by page and sends each once, in order', async () => {
    const org = uniqueOrg();
    // Copies of a sent row under a new organization and messageId (the relay publishes them too): more than one
    // page of what replay reads per query.
    const copies = REPLAY_PAGE_SIZE + 7;
    await t.db.query(
      `WITH src AS (SELECT * FROM outbox WHERE organization_id = $1 AND id <= (SELECT last_id FROM outbox_progress)
                     ORDER BY id LIMIT 1)
       INSERT INTO outbox (message_id, organization_id, customer_id, event_name, payload, correlation_id)
       SELECT src.message_id || '-' || g, $2, src.customer_id, src.event_name, src.payload, src.correlation_id
         FROM src, generate_series(1, $3::int) AS g`,
      [t.org, org, copies],
    );
    const pending = async () =>
      (await t.db.query('SELECT 1 FROM outbox WHERE id > (SELECT last_id FROM outbox_progress)')).rowCount;
    for (let i = 0; i < 400 && (await pending()) > 0; i++) await sleep(50);
    expect(await pending()).toBe(0);
    const queue = uniqueQueue('paged');
    await broker.channel.assertQueue(queue, { durable: false, autoDelete: false });
    try {
      expect(await replayEvents(t.db, AMQP_URL, { queue, org })).toBe(copies);
      const ids: string[] = [];
      for (let i = 0; i < copies; i++) ids.push((await broker.getEventually(queue)).properties.messageId as string);
      expect(await broker.get(queue)).toBe(false);
      expect(ids.map((id) => Number(id.split('-').at(-1)))).toEqual(Array.from({ length: copies }, (_, i) => i + 1));
    } finally {
      await broker.channel.deleteQueue(queue);
    }
  });

  it('when the queue does not exist, then replay fails and sends nothing', async () => {
    await expect(replayEvents(t.db, AMQP_URL, { queue: uniqueQueue('missing'), org: t.org })).rejects.toThrow(
      /does not exist/,
    );
  });
});
