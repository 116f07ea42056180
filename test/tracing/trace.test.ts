import { randomUUID } from 'node:crypto';
import { type SpanContext, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  ATTR_MESSAGING_MESSAGE_ID,
  MESSAGING_OPERATION_TYPE_VALUE_CREATE,
  MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
  MESSAGING_OPERATION_TYPE_VALUE_SEND,
} from '@opentelemetry/semantic-conventions/incubating';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTCOME_ATTRIBUTE } from '../../generated/runtime/consumer-tracing.js';
import { type Consumer, createConsumer, type MessageMeta } from '../../generated/sdk/src/index.js';
import { replayEvents } from '../../scripts/lib/events/replay.js';
import { createCustomersOver } from '../helpers/customers.js';
import {
  contextHeaders,
  expectMessagingSpan,
  idOf,
  onlySpan,
  parentOf,
  startInMemoryTracing,
} from '../helpers/tracing.js';
import { eventually, example, type InboundSuite, startInbound, uniqueId } from '../inbound/inbound.fixtures.js';

// One trace from an HTTP request (or a consumed order.completed) through the outbox and the relay to an SDK
// consumer's handler: the real SDK in this process with an in-memory exporter, the real app listening on loopback,
// its relay and inbound consumers, RabbitMQ in a vhost of this file's own.

const tracing = startInMemoryTracing();
const log: Record<string, unknown>[] = [];
let s: InboundSuite & { close(): Promise<void> };
let base: string;
let consumer: Consumer;
/** What each handler call saw: the event's reference, the active span, the message's headers. */
const handled: { reference: string; span: SpanContext | undefined; meta: MessageMeta }[] = [];
let failOnce: string | undefined;

beforeAll(async () => {
  s = await startInbound({ log, logLevel: 'debug' });
  await s.t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(s.t.app.server.address() as { port: number }).port}`;
  consumer = await createConsumer({
    url: s.vhost.url,
    queue: `trace-test.${randomUUID()}`,
    queueType: 'classic',
    retry: { delaysMs: [50] },
    handlers: {
      'loyalty.points.earned': async (event, meta) => {
        if (failOnce === event.data.reference_id) {
          failOnce = undefined;
          throw new Error('the handler failed once');
        }
        // Work the handler does is in the trace: a span of its own, a child of the delivery's.
        const span = trace.getTracer('test-handler').startSpan('handle loyalty.points.earned');
        span.end();
        handled.push({ reference: event.data.reference_id, span: trace.getActiveSpan()?.spanContext(), meta });
      },
    },
  });
}, 120_000);

afterAll(async () => {
  await consumer?.close();
  await s?.close();
  await tracing.shutdown();
});

/** A fresh customer of the suite's organization earns `amount` for `reference` (201); returns the reference. */
async function earnForNewCustomer(amount: number, reference = uniqueId('order')): Promise<string> {
  const [customer] = await createCustomersOver(base, await s.t.token(), 1);
  const res = await s.t.request({
    method: 'POST',
    url: `/v1/customers/${customer}/loyalty/earn`,
    payload: { amount, reference_type: 'purchase', reference_id: reference },
  });
  expect(res.statusCode).toBe(201);
  return reference;
}

async function handledOnce(reference: string) {
  const [call] = await eventually(
    async () => handled.filter((h) => h.reference === reference),
    (calls) => calls.length === 1,
  );
  return call as (typeof handled)[number];
}

/** The finished spans of `traceId`, once `ready` holds on them (the consumer's span ends after its ack). */
async function spansOf(traceId: string, ready: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]> {
  return eventually(
    async () => tracing.exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId),
    ready,
  );
}

const isProcessOf = (destination: string) => (span: ReadableSpan) => span.name === `process ${destination}`;
/** The relay's span ends at the broker's confirm, which may come after the consumer's. */
const throughTheOutbox = (all: ReadableSpan[]) =>
  ['create', 'publish', 'process'].every((operation) =>
    all.some((span) => span.name === `${operation} customer_events`),
  );

describe('one trace across the outbox', () => {
  it('when a client earns points over HTTP, then the request, the create span stored with the row, the relay publish and the SDK consumer handler are one trace', async () => {
    const [customer] = await createCustomersOver(base, await s.t.token(), 1);
    const reference = uniqueId('order');
    const res = await fetch(`${base}/v1/customers/${customer}/loyalty/earn`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await s.t.token()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 20, reference_type: 'purchase', reference_id: reference }),
    });
    expect(res.status).toBe(201);

    const call = await handledOnce(reference);
    const traceId = call.span?.traceId as string;
    const spans = await spansOf(traceId, throughTheOutbox);
    const server = onlySpan(spans, (span) => span.kind === SpanKind.SERVER);
    expect(server.name).toBe('POST /v1/customers/:customer_id/loyalty/earn');
    expect(server.attributes['http.route']).toBe('/v1/customers/:customer_id/loyalty/earn');

    const create = onlySpan(spans, (span) => span.name === 'create customer_events');
    const publish = onlySpan(spans, (span) => span.name === 'publish customer_events');
    const process = onlySpan(spans, isProcessOf('customer_events'));
    const handler = onlySpan(spans, (span) => span.name === 'handle loyalty.points.earned');
    const messageId = call.meta.messageId;
    const message = { destination: 'customer_events', routingKey: 'loyalty.points.earned' };
    const id = { [ATTR_MESSAGING_MESSAGE_ID]: messageId };
    expectMessagingSpan(create, {
      ...message,
      kind: SpanKind.PRODUCER,
      type: MESSAGING_OPERATION_TYPE_VALUE_CREATE,
      extra: id,
    });
    expectMessagingSpan(publish, {
      ...message,
      kind: SpanKind.CLIENT,
      type: MESSAGING_OPERATION_TYPE_VALUE_SEND,
      extra: id,
    });
    expectMessagingSpan(process, {
      ...message,
      kind: SpanKind.CONSUMER,
      type: MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
      extra: { ...id, [OUTCOME_ATTRIBUTE]: 'applied' },
    });
    // The chain: request → create (in the write's transaction) → publish (the relay) and process (the consumer),
    // each linked to the creation context; the handler's own span under the delivery's.
    expect(parentOf(create)).toBe(idOf(server));
    expect(parentOf(publish)).toBe(idOf(create));
    expect(parentOf(process)).toBe(idOf(create));
    expect(publish.links.map((l) => l.context.spanId)).toEqual([idOf(create)]);
    expect(process.links.map((l) => l.context.spanId)).toEqual([idOf(create)]);
    expect(call.span?.spanId).toBe(idOf(process));
    expect(parentOf(handler)).toBe(idOf(process));
    // On the wire: the creation context, in the W3C header.
    expect(call.meta.headers.traceparent).toBe(`00-${traceId}-${idOf(create)}-01`);
    // The service's log lines of that request carry its trace.
    expect(log.filter((line) => line.trace_id === traceId && line.span_id === idOf(server)).length).toBeGreaterThan(0);
  });

  it('when the handler fails once, then the retry is a second process span of the same trace, outcome retried then applied', async () => {
    const reference = uniqueId('order');
    failOnce = reference;
    await earnForNewCustomer(5, reference);
    const call = await handledOnce(reference);
    const spans = await spansOf(
      call.span?.traceId as string,
      (all) => all.filter(isProcessOf('customer_events')).length === 2,
    );
    const processes = spans
      .filter(isProcessOf('customer_events'))
      .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
    expect(processes.map((span) => span.attributes[OUTCOME_ATTRIBUTE])).toEqual(['retried', 'applied']);
    expect(processes[0]?.status.code).toBe(SpanStatusCode.ERROR);
    const create = onlySpan(spans, (span) => span.name === 'create customer_events');
    for (const span of processes) expect(parentOf(span)).toBe(idOf(create));
  });

  it('when the Order Service announces order.completed with its trace context, then the inbound handling, the earn and the SDK consumer continue its trace', async () => {
    const [customer] = await createCustomersOver(base, await s.t.token(), 1);
    const orderId = uniqueId('order');
    const { headers, span: producer } = contextHeaders('send order_events', SpanKind.PRODUCER);
    const body = example('order.completed', s.t.org, { order_id: orderId, customer_id: customer, total: 30 });
    const messageId = await s.producer.send('order.completed', body, undefined, headers);

    const call = await handledOnce(orderId);
    const traceId = producer.traceId;
    expect(call.span?.traceId).toBe(traceId);
    const spans = await spansOf(traceId, throughTheOutbox);
    const inbound = onlySpan(spans, isProcessOf('order_events'));
    expectMessagingSpan(inbound, {
      kind: SpanKind.CONSUMER,
      type: MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
      destination: 'order_events',
      routingKey: 'order.completed',
      extra: { [ATTR_MESSAGING_MESSAGE_ID]: messageId, [OUTCOME_ATTRIBUTE]: 'applied' },
    });
    expect(inbound.instrumentationScope.name).toBe('customer-service');
    expect(parentOf(inbound)).toBe(producer.spanId);
    expect(inbound.links.map((l) => l.context.spanId)).toEqual([producer.spanId]);
    const create = onlySpan(spans, (span) => span.name === 'create customer_events');
    expect(parentOf(create)).toBe(idOf(inbound));
    const publish = onlySpan(spans, (span) => span.name === 'publish customer_events');
    expect(parentOf(publish)).toBe(idOf(create));
    const sdk = onlySpan(spans, isProcessOf('customer_events'));
    expect(parentOf(sdk)).toBe(idOf(create));
    expect(sdk.instrumentationScope.name).toBe('@customer-service/events');
    // The inbound consumer's log line of that message carries the trace.
    expect(log.some((line) => line.trace_id === traceId && line.span_id === idOf(inbound))).toBe(true);

    // The same message again: acknowledged as a duplicate, in the same trace, nothing published.
    await s.producer.send('order.completed', body, messageId, headers);
    const again = await spansOf(traceId, (all) => all.filter(isProcessOf('order_events')).length === 2);
    const outcomes = again.filter(isProcessOf('order_events')).map((span) => span.attributes[OUTCOME_ATTRIBUTE]);
    expect(outcomes.sort()).toEqual(['applied', 'duplicate']);
  });

  it('when events are replayed, then each carries the traceparent stored with it, as on its first delivery', async () => {
    const reference = await earnForNewCustomer(8);
    const call = await handledOnce(reference);
    expect(call.meta.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const connection = await amqp.connect(s.vhost.url);
    try {
      const channel = await connection.createChannel();
      const queue = `replay-trace.${randomUUID()}`;
      await channel.assertQueue(queue, { durable: false, arguments: { 'x-expires': 60_000 } });
      // The replay reads up to the relay's saved mark, which follows the confirm by a moment.
      await eventually(
        () => replayEvents(s.t.db, s.vhost.url, { org: s.t.org, queue, events: 'loyalty.points.earned' }),
        () => true,
      );
      const replayed = await eventually(
        async () => {
          const message = await channel.get(queue, { noAck: true });
          return message && JSON.parse(message.content.toString()).data.reference_id === reference
            ? message
            : undefined;
        },
        (message) => message !== undefined,
      );
      expect(replayed?.properties.headers).toMatchObject({
        traceparent: call.meta.headers.traceparent,
        'x-replayed': true,
      });
    } finally {
      await connection.close();
    }
  });

  it('when a consumed message fails its schema, then its process span says dead_lettered, as an error', async () => {
    const { headers, span: producer } = contextHeaders('send order_events', SpanKind.PRODUCER);
    const body = example('order.completed', s.t.org, { order_id: uniqueId('order'), customer_id: 'c', total: -1 });
    await s.producer.send('order.completed', body, undefined, headers);
    const spans = await spansOf(producer.traceId, (all) => all.some(isProcessOf('order_events')));
    const inbound = onlySpan(spans, isProcessOf('order_events'));
    expect(inbound.attributes[OUTCOME_ATTRIBUTE]).toBe('dead_lettered');
    expect(inbound.status.code).toBe(SpanStatusCode.ERROR);
    expect(inbound.status.message).toContain('total');
  });
});
