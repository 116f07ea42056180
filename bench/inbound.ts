import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import type { EventTap } from '../test/helpers/events.js';
import { AMQP_URL } from '../test/helpers/events.js';
import { sleep } from '../test/helpers/process.js';
import type { Service } from './service.js';

/** The Order Service's exchange, as it declares it (the service never declares it in production). */
const ORDER_EXCHANGE = 'order_events';
const PREFETCH = 50;

export interface ConsumeResult {
  messages: number;
  /** Messages per second from the first delivery to the last ack. */
  rate: number;
}

/** An `order.completed` envelope as the Order Service sends it (the contract's fields, fresh ids). */
function orderCompleted(org: string, customerId: string, orderId: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      event: 'order.completed',
      version: '1.0',
      timestamp: new Date().toISOString(),
      organization_id: org,
      data: {
        order_id: orderId,
        customer_id: customerId,
        total: 12.5,
        payment_method: 'card',
        completed_at: new Date().toISOString(),
        store_id: 'store_bench',
      },
    }),
  );
}

async function publishAll(channel: amqp.ConfirmChannel, exchange: string, bodies: readonly Buffer[]): Promise<void> {
  for (const body of bodies) {
    const ok = channel.publish(exchange, 'order.completed', body, {
      persistent: true,
      contentType: 'application/json',
      messageId: randomUUID(),
    });
    if (!ok) await new Promise((resolve) => channel.once('drain', resolve));
  }
  await channel.waitForConfirms();
}

/**
 * The ceiling of the inbound row: bare amqplib consume-and-ack (prefetch as the service's default) of `messages`
 * order.completed bodies already waiting on a durable queue of our own.
 */
export async function ceilingConsume(messages: number): Promise<ConsumeResult> {
  const connection = await amqp.connect(AMQP_URL);
  try {
    const channel = await connection.createConfirmChannel();
    const exchange = `bench_orders_${randomUUID().slice(0, 8)}`;
    await channel.assertExchange(exchange, 'topic', { durable: false, autoDelete: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, durable: false });
    await channel.bindQueue(queue, exchange, '#');
    const bodies = Array.from({ length: messages }, (_, i) => orderCompleted('org_bench', 'cust_bench', `ord_${i}`));
    await publishAll(channel, exchange, bodies);
    await channel.prefetch(PREFETCH);
    let first = 0;
    let acked = 0;
    const done = new Promise<number>((resolve) => {
      void channel.consume(queue, (msg) => {
        if (!msg) return;
        if (first === 0) first = performance.now();
        JSON.parse(msg.content.toString('utf8'));
        channel.ack(msg);
        if (++acked === messages) resolve(performance.now());
      });
    });
    const last = await done;
    return { messages, rate: (messages / (last - first)) * 1000 };
  } finally {
    await connection.close().catch(() => undefined);
  }
}

export interface InboundResult {
  messages: number;
  /** order.completed messages applied per second: from the first publish to the last earned event at the consumer. */
  rate: number;
  /** Orders whose `loyalty.points.earned` reached the consumer, and how many of those arrived more than once. */
  earned: number;
  duplicates: number;
}

/**
 * The inbound path: `messages` order.completed published to `order_events` as the Order Service would, over the
 * service's customers (enrolled first); measured until each order's `loyalty.points.earned` reaches `sink`.
 */
export async function inboundRate(
  svc: Service,
  sink: EventTap,
  runId: string,
  messages: number,
): Promise<InboundResult> {
  for (const customer of svc.customers) {
    const res = await fetch(`${svc.url}/v1/customers/${customer}/loyalty`, {
      method: 'POST',
      headers: { ...svc.headers, 'content-type': 'application/json' },
      body: '{}',
    });
    if (res.status !== 201 && res.status !== 409) throw new Error(`enroll → ${res.status} ${await res.text()}`);
  }
  const prefix = `ord_${runId}_`;
  const seen = new Map<string, number>();
  let last = 0;
  sink.onEvent = (e) => {
    const reference = e.body.data.reference_id;
    if (e.body.organization_id !== svc.org || e.body.event !== 'loyalty.points.earned') return;
    if (typeof reference !== 'string' || !reference.startsWith(prefix)) return;
    seen.set(reference, (seen.get(reference) ?? 0) + 1);
    last = e.at;
  };
  const connection = await amqp.connect(AMQP_URL);
  try {
    const channel = await connection.createConfirmChannel();
    await channel.assertExchange(ORDER_EXCHANGE, 'topic', { durable: true });
    const bodies = Array.from({ length: messages }, (_, i) =>
      orderCompleted(svc.org, svc.customers[i % svc.customers.length] as string, `${prefix}${i}`),
    );
    const first = performance.now();
    await publishAll(channel, ORDER_EXCHANGE, bodies);
    const deadline = Date.now() + 90_000;
    while (seen.size < messages && Date.now() < deadline) await sleep(50);
    await sleep(500); // a late duplicate would arrive now
    const duplicates = [...seen.values()].reduce((n, count) => n + count - 1, 0);
    return { messages, rate: (seen.size / (last - first)) * 1000, earned: seen.size, duplicates };
  } finally {
    sink.onEvent = undefined;
    await connection.close().catch(() => undefined);
  }
}
