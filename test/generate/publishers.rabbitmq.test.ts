import { randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ID,
  EVENT_NAMES,
  type EventEnvelope,
  type EventName,
  EXCHANGE,
  EXCHANGE_TYPE,
  eventExamples,
  eventSchemas,
  type PublishOptions,
  publishCreditUsed,
  publishEvent,
} from '../../generated/index.js';
import { createAjv, describeErrors } from '../../scripts/lib/generate/examples.js';

// The generated publishers against the real RabbitMQ. The exchange is declared exactly as the service
// declares it: a durable exchange keeps the arguments of its first declarer, and another declaration fails
// with 406 PRECONDITION_FAILED.

const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const organizationId = `org_test_${randomUUID()}`;

let connection: ChannelModel;
let confirmChannel: ConfirmChannel;
let consumerChannel: Channel;
const received = new Map<string, ConsumeMessage>();

const ajv = createAjv();

/** An example of the contract as a typed envelope of this test's organization (validated, not cast blindly). */
function exampleEnvelope(name: EventName): EventEnvelope {
  const validate = ajv.compile<EventEnvelope>(eventSchemas[name]);
  const [example] = eventExamples[name];
  if (!validate(example)) throw new Error(`${name}: ${describeErrors(validate.errors).join('; ')}`);
  return { ...example, organization_id: organizationId };
}

function confirmed(publish: (onConfirm: (err: Error | null) => void) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    publish((err) => (err ? reject(err) : resolve()));
  });
}

async function receive(messageId: string, timeoutMs = 5_000): Promise<ConsumeMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const message = received.get(messageId);
    if (message) return message;
    if (Date.now() > deadline) throw new Error(`message ${messageId} not received within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  connection = await amqp.connect(AMQP_URL);
  confirmChannel = await connection.createConfirmChannel();
  consumerChannel = await connection.createChannel();
  await confirmChannel.assertExchange('customer_events', 'topic', {
    durable: true,
    arguments: { 'alternate-exchange': 'customer_events.unroutable' },
  });
  const { queue } = await consumerChannel.assertQueue('', { exclusive: true, autoDelete: true });
  await consumerChannel.bindQueue(queue, EXCHANGE, '#');
  await consumerChannel.consume(
    queue,
    (message) => {
      if (message?.properties.messageId) received.set(String(message.properties.messageId), message);
    },
    { noAck: true },
  );
});

afterAll(async () => {
  await connection?.close();
});

describe('generated publishers on RabbitMQ', () => {
  it('when the constants are read, then they are the exchange of the contract', () => {
    expect(EXCHANGE).toBe('customer_events');
    expect(EXCHANGE_TYPE).toBe('topic');
    expect(APP_ID).toBe('customer-service');
  });

  it.each(EVENT_NAMES.map((name) => [name]))(
    'when %s is published with publishEvent, then it arrives with its routing key, body and properties',
    async (name) => {
      const envelope = exampleEnvelope(name);
      const options: PublishOptions = {
        messageId: `evt_${randomUUID()}`,
        correlationId: `req_${randomUUID()}`,
        timestamp: new Date('2025-11-24T10:00:00.900Z'),
      };
      await confirmed((onConfirm) => publishEvent(confirmChannel, envelope, options, onConfirm));

      const message = await receive(options.messageId);
      expect(message.fields.exchange).toBe('customer_events');
      expect(message.fields.routingKey).toBe(name);
      expect(JSON.parse(message.content.toString('utf8'))).toEqual(envelope);
      expect(message.properties).toMatchObject({
        messageId: options.messageId,
        correlationId: options.correlationId,
        type: name,
        timestamp: Math.floor(Date.parse('2025-11-24T10:00:00.900Z') / 1000),
        contentType: 'application/json',
        deliveryMode: 2,
        appId: 'customer-service',
        headers: { organization_id: organizationId },
      });
    },
  );

  it('when a typed publisher is called without a correlation id, then the message has none', async () => {
    const envelope = exampleEnvelope('credit.used');
    if (envelope.event !== 'credit.used') throw new Error('unexpected example');
    const messageId = `evt_${randomUUID()}`;
    await confirmed((onConfirm) =>
      publishCreditUsed(confirmChannel, envelope, { messageId, timestamp: new Date() }, onConfirm),
    );
    const message = await receive(messageId);
    expect(message.fields.routingKey).toBe('credit.used');
    expect(message.properties.correlationId).toBeUndefined();
    expect(message.properties.headers).toEqual({ organization_id: organizationId });
  });

  it('when the serialized envelope is given as body, then those bytes are sent as they are, with the same properties', async () => {
    const envelope = exampleEnvelope('loyalty.points.earned');
    // As an outbox stores it: serialized once, key order and spacing kept byte for byte.
    const body = Buffer.from(JSON.stringify(envelope, null, 1));
    const messageId = `evt_${randomUUID()}`;
    await confirmed((onConfirm) =>
      publishEvent(confirmChannel, envelope, { messageId, timestamp: new Date(), body }, onConfirm),
    );
    const message = await receive(messageId);
    expect(message.content.equals(body)).toBe(true);
    expect(message.fields.routingKey).toBe('loyalty.points.earned');
    expect(message.properties).toMatchObject({
      type: 'loyalty.points.earned',
      headers: { organization_id: organizationId },
    });
  });

  it('when many events are published without waiting, then publish returns a boolean and all are confirmed', async () => {
    const envelope = exampleEnvelope('loyalty.points.earned');
    const ids = Array.from({ length: 200 }, () => `evt_${randomUUID()}`);
    const results: boolean[] = [];
    const confirms = ids.map(
      (messageId) =>
        new Promise<void>((resolve, reject) => {
          results.push(
            publishEvent(confirmChannel, envelope, { messageId, timestamp: new Date() }, (err) =>
              err ? reject(err) : resolve(),
            ),
          );
        }),
    );
    await Promise.all(confirms);
    expect(results.every((result) => typeof result === 'boolean')).toBe(true);
    for (const id of ids) await receive(id);
  });

  it('when publishEvent gets an envelope with an unknown event, then it throws and publishes nothing', async () => {
    const bogus = { ...exampleEnvelope('credit.used'), event: 'credit.cancelled' } as unknown as EventEnvelope;
    const messageId = `evt_${randomUUID()}`;
    expect(() => publishEvent(confirmChannel, bogus, { messageId, timestamp: new Date() })).toThrow(
      'Unknown event: credit.cancelled',
    );
    // A valid event published after it on the same channel: a queue delivers in order, so once this one is here,
    // the bogus one would have been too.
    const after = `evt_${randomUUID()}`;
    await confirmed((onConfirm) =>
      publishEvent(
        confirmChannel,
        exampleEnvelope('credit.used'),
        { messageId: after, timestamp: new Date() },
        onConfirm,
      ),
    );
    await receive(after);
    expect(received.has(messageId)).toBe(false);
  });
});
