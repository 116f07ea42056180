import { randomUUID } from 'node:crypto';
import { type SpanContext, SpanKind, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  MESSAGING_OPERATION_TYPE_VALUE_CREATE,
  MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
  MESSAGING_OPERATION_TYPE_VALUE_SEND,
} from '@opentelemetry/semantic-conventions/incubating';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Consumer, createConsumer } from '../../generated/sdk/src/index.js';
import { signToken } from '../../src/auth/auth.js';
import { TEST_JWT_SECRET, uniqueOrg } from '../helpers/app.js';
import { createCustomersOver } from '../helpers/customers.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import type { ReceivedSpan } from '../helpers/otlp-receiver.js';
import { type Child, freePort, spawnNode, waitHttp } from '../helpers/process.js';
import { ServiceProcess } from '../helpers/service-process.js';
import { contextHeaders, expectMessagingSpan, onlySpan, startInMemoryTracing } from '../helpers/tracing.js';
import { createVhost, type Vhost } from '../helpers/vhost.js';
import { eventually, example, Producer, uniqueId } from '../inbound/inbound.fixtures.js';

// The service as its own process, configured only by the standard OTEL_* variables, exporting over OTLP/HTTP to a
// receiver process on loopback; an SDK consumer in this process (in-memory exporter) continues the trace.

const tracing = startInMemoryTracing();
let receiver: Child;
let receiverUrl: string;
let vhost: Vhost;
let database: TestDatabase;
let service: ServiceProcess;
let consumer: Consumer;
let producer: Producer;
const handled: { reference: string; span: SpanContext | undefined }[] = [];

beforeAll(async () => {
  const port = await freePort();
  receiver = spawnNode(['--import', 'tsx', 'test/helpers/otlp-receiver.ts'], { PORT: String(port) });
  receiverUrl = `http://127.0.0.1:${port}`;
  await waitHttp(`${receiverUrl}/spans`, receiver);
  vhost = await createVhost('cs-otlp');
  database = await createTestDatabase();
  service = await ServiceProcess.start({
    DATABASE_URL: database.url,
    AMQP_URL: vhost.url,
    INBOUND: 'on',
    LOG_LEVEL: 'info',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
  await eventually(
    async () =>
      ((await (await fetch(`${service.url}/health/ready`)).json()) as { inbound?: { consumer: string }[] }).inbound ??
      [],
    (queues) => queues.length === 2 && queues.every((q) => q.consumer === 'consuming'),
  );
  producer = await Producer.open(vhost.url);
  consumer = await createConsumer({
    url: vhost.url,
    queue: `otlp-test.${randomUUID()}`,
    queueType: 'classic',
    handlers: {
      'loyalty.points.earned': (event) => {
        handled.push({ reference: event.data.reference_id, span: trace.getActiveSpan()?.spanContext() });
      },
    },
  });
}, 180_000);

afterAll(async () => {
  await consumer?.close();
  await producer?.close();
  await service?.stop();
  await receiver?.stop();
  await database?.drop();
  await vhost?.delete().catch(() => {});
  await tracing.shutdown();
});

/** What the receiver got of `traceId`, once the service's spans through the relay's publish arrived. */
async function exported(traceId: string): Promise<ReceivedSpan[]> {
  return eventually(
    async () =>
      ((await (await fetch(`${receiverUrl}/spans`)).json()) as ReceivedSpan[]).filter((s) => s.traceId === traceId),
    (spans) => spans.some((s) => s.name === 'publish customer_events'),
  );
}

/** OTLP counts span kinds from 1 (internal); the API from 0. */
const asApiSpan = (s: ReceivedSpan) => ({ ...s, kind: (s.kind - 1) as SpanKind });
const named = (name: string) => (s: { name: string }) => s.name === name;

function sdkProcessSpan(traceId: string): ReadableSpan {
  return onlySpan(
    tracing.exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId),
    named('process customer_events'),
  );
}

const message = { destination: 'customer_events', routingKey: 'loyalty.points.earned' };

it('when a traced client earns points, then the service exports its server, pg, create and publish spans over OTLP in the client trace, and an SDK consumer continues it', async () => {
  const token = await signToken(TEST_JWT_SECRET, { org: uniqueOrg(), sub: 'otlp-test' });
  const [customer] = await createCustomersOver(service.url, token, 1);
  const reference = uniqueId('order');
  const client = contextHeaders('POST earn', SpanKind.CLIENT);
  const res = await fetch(`${service.url}/v1/customers/${customer}/loyalty/earn`, {
    method: 'POST',
    headers: { ...client.headers, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ amount: 12, reference_type: 'purchase', reference_id: reference }),
  });
  expect(res.status).toBe(201);
  await eventually(
    async () => handled.filter((h) => h.reference === reference),
    (calls) => calls.length === 1,
  );
  const traceId = client.span.traceId;
  const spans = await exported(traceId);

  const http = spans.find((s) => s.kind === 2);
  expect(http?.name).toBe('POST /v1/customers/:customer_id/loyalty/earn');
  expect(http?.parentSpanId).toBe(client.span.spanId);
  expect(http?.resource['service.name']).toBe('customer-service');
  const ids = new Set(spans.map((s) => s.spanId));
  const queries = spans.filter((s) => s.scope === '@opentelemetry/instrumentation-pg');
  expect(queries.length).toBeGreaterThan(0);
  for (const q of queries) expect(ids.has(q.parentSpanId as string)).toBe(true);

  const create = spans.find(named('create customer_events')) as ReceivedSpan;
  const publish = spans.find(named('publish customer_events')) as ReceivedSpan;
  expectMessagingSpan(asApiSpan(create), {
    ...message,
    kind: SpanKind.PRODUCER,
    type: MESSAGING_OPERATION_TYPE_VALUE_CREATE,
  });
  expectMessagingSpan(asApiSpan(publish), {
    ...message,
    kind: SpanKind.CLIENT,
    type: MESSAGING_OPERATION_TYPE_VALUE_SEND,
  });
  expect(create.parentSpanId).toBe(http?.spanId);
  expect(publish.parentSpanId).toBe(create.spanId);
  expect(publish.links).toEqual([create.spanId]);

  const sdk = sdkProcessSpan(traceId);
  expectMessagingSpan(sdk, { ...message, kind: SpanKind.CONSUMER, type: MESSAGING_OPERATION_TYPE_VALUE_PROCESS });
  expect(sdk.parentSpanContext?.spanId).toBe(create.spanId);
  // The service's request log lines carry the trace.
  expect(service.output).toContain(`"trace_id":"${traceId}"`);
});

it('when the Order Service sends a traced order.completed, then the exported inbound process, create and publish spans and the SDK consumer are in its trace', async () => {
  const org = uniqueOrg();
  const [customer] = await createCustomersOver(service.url, await signToken(TEST_JWT_SECRET, { org, sub: 'otlp' }), 1);
  const orderId = uniqueId('order');
  const sent = contextHeaders('send order_events', SpanKind.PRODUCER);
  await producer.send(
    'order.completed',
    example('order.completed', org, { order_id: orderId, customer_id: customer, total: 9 }),
    undefined,
    sent.headers,
  );
  await eventually(
    async () => handled.filter((h) => h.reference === orderId),
    (calls) => calls.length === 1,
  );
  const spans = await exported(sent.span.traceId);
  const inbound = spans.find(named('process order_events')) as ReceivedSpan;
  expectMessagingSpan(asApiSpan(inbound), {
    kind: SpanKind.CONSUMER,
    type: MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
    destination: 'order_events',
    routingKey: 'order.completed',
  });
  expect(inbound.parentSpanId).toBe(sent.span.spanId);
  expect(inbound.links).toEqual([sent.span.spanId]);
  const create = spans.find(named('create customer_events')) as ReceivedSpan;
  expect(create.parentSpanId).toBe(inbound.spanId);
  expect(spans.find(named('publish customer_events'))?.parentSpanId).toBe(create.spanId);
  expect(sdkProcessSpan(sent.span.traceId).parentSpanContext?.spanId).toBe(create.spanId);
});
