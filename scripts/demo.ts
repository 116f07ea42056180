/**
 * `npm run demo [-- --url http://127.0.0.1:3000] [--token <JWT>]`: with the service running, drives the HTTP API
 * through a short story that produces every event of the contract at least once, and prints each step. One order
 * is completed by event instead: `order.completed` is published to `order_events` (as the Order Service would, with
 * `x-simulated: true`) and the demo waits for the service's `loyalty.points.earned` for that order on
 * `customer_events` (AMQP_URL as for the service). Run `npm run events:tail` in another terminal to watch.
 *
 * Without `--token` (or `DEMO_TOKEN`) it signs the development token, which the service accepts only when it runs
 * in development auth (no JWT_SECRET / JWT_PUBLIC_KEY).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import amqp from 'amqplib';
import { decodeJwt } from 'jose';
import { EXCHANGE, inboundTopology } from '../generated/index.js';
import { createAuthenticator } from '../src/auth/auth.js';
import { loadConfig } from '../src/config.js';
import { publishSimulated, simulatedEvents } from './lib/events/simulate.js';

const { values } = parseArgs({
  options: { url: { type: 'string' }, token: { type: 'string' } },
});
const base = (values.url ?? process.env.DEMO_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const token =
  values.token ??
  process.env.DEMO_TOKEN ??
  (await createAuthenticator(loadConfig({ NODE_ENV: 'development' }))).developmentToken;

type Json = Record<string, unknown>;

/** How long the demo waits for the service to consume the order event and publish its earn. */
const INBOUND_WAIT_MS = 20_000;

interface Step {
  readonly say: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly body?: Json;
  /** The status the story expects; anything else stops the demo. */
  readonly expect: number;
  /** The events the step publishes, for the printout. */
  readonly events?: readonly string[];
}

async function call(step: Step): Promise<Json> {
  const res = await fetch(`${base}${step.path}`, {
    method: step.method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(step.body ? { 'content-type': 'application/json' } : {}),
    },
    body: step.body ? JSON.stringify(step.body) : undefined,
  });
  const text = await res.text();
  const body = (text ? JSON.parse(text) : {}) as Json;
  const published = step.events?.length ? `  → ${step.events.join(', ')}` : '';
  console.log(
    `${res.status === step.expect ? '✓' : '✗'} ${step.say}: ${step.method} ${step.path} ${res.status}${published}`,
  );
  if (res.status !== step.expect) {
    console.error(JSON.stringify(body, null, 2));
    throw new Error(`expected ${step.expect}, got ${res.status}`);
  }
  return body;
}

/**
 * The Order Service announces a completed order by event (not by HTTP): publishes `order.completed` for `customerId`
 * to `order_events` and waits for the `loyalty.points.earned` the service publishes for that order. Says clearly
 * when the service is not consuming (`customer-service.order-events` missing or without a consumer), or when no
 * earn arrives in time.
 */
async function orderCompletedByEvent(org: string, customerId: string): Promise<void> {
  const url = loadConfig().AMQP_URL;
  const [message] = simulatedEvents({ event: 'order.completed', org, customer: customerId });
  if (!message) throw new Error('no order.completed example in asyncapi.yaml');
  const orderId = String((message.envelope.data as { order_id?: unknown }).order_id);
  const say = `The Order Service announces order ${orderId} completed (order.completed on ${message.exchange})`;
  const queue = inboundTopology.find((q) => q.routingKeys.includes('order.completed'))?.queue;
  const connection = await amqp.connect(url, { clientProperties: { connection_name: 'demo' } });
  try {
    // Is anyone consuming our queue? A failed check closes its channel: use one of its own.
    const probe = await connection.createChannel();
    probe.on('error', () => {});
    const consumers = await probe.checkQueue(queue ?? '').then(
      (q) => q.consumerCount,
      () => undefined,
    );
    if (!consumers) {
      console.log(`• ${say}: skipped`);
      console.log(
        consumers === undefined
          ? `  The service is not consuming order events: queue ${queue} does not exist on ${new URL(url).host}.`
          : `  The service is not consuming order events: queue ${queue} has no consumer.`,
      );
      console.log('  Start a service with the inbound consumer (INBOUND=on, the default) and run the demo again.');
      return;
    }
    // Listen for the earn before the order is announced.
    const channel = await connection.createChannel();
    await channel.checkExchange(EXCHANGE);
    const { queue: tap } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(tap, EXCHANGE, 'loyalty.points.earned');
    const earned = new Promise<Json>((resolve) => {
      void channel.consume(
        tap,
        (delivery) => {
          if (!delivery) return;
          const event = JSON.parse(delivery.content.toString()) as { organization_id?: string; data?: Json };
          if (event.organization_id === org && event.data?.reference_id === orderId) resolve(event.data);
        },
        { noAck: true },
      );
    });
    await publishSimulated(url, [message]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), INBOUND_WAIT_MS);
    });
    const data = await Promise.race([earned, timeout]);
    clearTimeout(timer);
    if (!data) {
      console.log(`✗ ${say}: no loyalty.points.earned for it within ${INBOUND_WAIT_MS / 1000} s`);
      console.log(
        `  ${queue} has ${consumers} consumer(s), but nothing was earned: see the service's log and the dead-letter` +
          ` queue ${queue}.dlq (header x-error).`,
      );
      return;
    }
    console.log(`✓ ${say}  → loyalty.points.earned`);
    console.log(`    ${String(data.points_earned)} points earned for order ${orderId} (no HTTP call made)`);
  } finally {
    await connection.close().catch(() => {});
  }
}

async function main(): Promise<void> {
  const health = await fetch(`${base}/health/ready`).catch(() => null);
  if (!health) throw new Error(`no service at ${base}: start it with \`npm start\` first`);
  const run = randomUUID().slice(0, 8);
  const claims = token ? decodeJwt(token) : {};
  const org = typeof claims.org === 'string' ? claims.org : '';
  console.log(`Demo against ${base} (run ${run}, organization ${org})\n`);

  const ana = await call({
    say: 'A shopper signs up (enrolled in loyalty)',
    method: 'POST',
    path: '/v1/customers',
    body: {
      customer_type: 'b2c',
      name: 'Ana Gómez',
      email: `ana.${run}@example.com`,
      phone: `+507 6${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
    },
    expect: 201,
    events: ['customer.created'],
  });
  const anaId = String(ana.customer_id);
  await call({
    say: 'She changes her email',
    method: 'PATCH',
    path: `/v1/customers/${anaId}`,
    body: { email: `ana.gomez.${run}@example.com` },
    expect: 200,
    events: ['customer.updated'],
  });
  const program = await call({ say: 'The loyalty program', method: 'GET', path: '/v1/loyalty/program', expect: 200 });
  if (program.points_validity_days === null) {
    await call({
      say: 'The loyalty admin makes points valid for 365 days (applies to later earns)',
      method: 'PUT',
      path: '/v1/loyalty/program',
      body: { ...program, points_validity_days: 365, expiry_notice_days: 30 },
      expect: 200,
    });
  }
  const earned = await call({
    say: 'She buys for 620.00 and earns points; her tier rises to silver',
    method: 'POST',
    path: `/v1/customers/${anaId}/loyalty/earn`,
    body: { amount: 620, reference_type: 'purchase', reference_id: `order-${run}-1` },
    expect: 201,
    events: ['loyalty.points.earned', 'loyalty.tier.upgraded'],
  });
  const redeemed = await call({
    say: 'She redeems 200 points for a discount',
    method: 'POST',
    path: `/v1/customers/${anaId}/loyalty/redeem`,
    body: { points: 200, reference_type: 'order', reference_id: `order-${run}-2` },
    expect: 201,
    events: ['loyalty.points.redeemed'],
  });
  await call({
    say: 'She returns part of the purchase: 100 of its points are reversed (a refund)',
    method: 'POST',
    path: `/v1/customers/${anaId}/loyalty/transactions/${String(earned.transaction_id)}/reversal`,
    body: { points: 100, reason: 'partial refund' },
    expect: 201,
    events: ['loyalty.points.reversed'],
  });
  await call({
    say: 'The order she redeemed on is cancelled: the 200 points come back into their lots',
    method: 'POST',
    path: `/v1/customers/${anaId}/loyalty/transactions/${String(redeemed.transaction_id)}/reversal`,
    body: { reason: 'order cancelled' },
    expect: 201,
    events: ['loyalty.points.reversed'],
  });
  await orderCompletedByEvent(org, anaId);
  const expiry = await call({
    say: 'An expiry run (points past their expiry expire; customers near it are told)',
    method: 'POST',
    path: '/v1/loyalty/expiry-runs',
    expect: 200,
    events: ['loyalty.points.expired (when due)', 'loyalty.points.expiring (when due)'],
  });
  console.log(`  ${JSON.stringify(expiry)}`);
  console.log(
    '  Points of this run expire in 365 days. To see loyalty.points.expiring and loyalty.points.expired, restart the\n' +
      '  service with the clock moved forward (`CLOCK_OFFSET=P340D npm start`, then `CLOCK_OFFSET=P366D npm start`)\n' +
      '  and run `npm run demo` again: its expiry run announces, then expires, the points of earlier runs.',
  );

  const shop = await call({
    say: 'A business customer signs up',
    method: 'POST',
    path: '/v1/customers',
    body: {
      customer_type: 'b2b',
      name: `Ferretería ${run} S.A.`,
      email: `compras.${run}@example.com`,
      tax_id: '155596713-2-2015',
      enroll_loyalty: false,
    },
    expect: 201,
    events: ['customer.created'],
  });
  const shopId = String(shop.customer_id);
  await call({
    say: 'The credit manager approves 5000.00 of store credit, 30 days',
    method: 'POST',
    path: `/v1/customers/${shopId}/credit`,
    body: { credit_limit: 5000, payment_term_days: 30 },
    expect: 201,
    events: ['credit.approved'],
  });
  await call({
    say: 'The business buys 3200.00 on credit',
    method: 'POST',
    path: `/v1/customers/${shopId}/credit/usages`,
    body: { order_id: `PO-${run}-1`, amount: 3200 },
    expect: 201,
    events: ['credit.used'],
  });
  await call({
    say: 'A second order of 2500.00 is over the limit and refused',
    method: 'POST',
    path: `/v1/customers/${shopId}/credit/usages`,
    body: { order_id: `PO-${run}-2`, amount: 2500 },
    expect: 422,
    events: ['credit.limit.exceeded'],
  });
  await call({
    say: 'The business pays 1200.50',
    method: 'POST',
    path: `/v1/customers/${shopId}/credit/payments`,
    body: { amount: 1200.5, reference: `TRF-${run}` },
    expect: 201,
    events: ['credit.payment.received'],
  });
  await call({
    say: 'The credit manager holds the account by hand',
    method: 'POST',
    path: `/v1/customers/${shopId}/credit/hold`,
    body: { note: 'Returned cheque, pending review' },
    expect: 200,
    events: ['credit.hold.placed'],
  });
  await call({
    say: 'An order on a held account is refused, and nothing is published',
    method: 'POST',
    path: `/v1/customers/${shopId}/credit/usages`,
    body: { order_id: `PO-${run}-3`, amount: 100 },
    expect: 422,
  });
  await call({
    say: 'The credit manager releases the hold',
    method: 'DELETE',
    path: `/v1/customers/${shopId}/credit/hold`,
    expect: 200,
    events: ['credit.hold.released'],
  });
  const today = new Date().toISOString().slice(0, 10);
  await call({
    say: "The business's statement for today",
    method: 'GET',
    path: `/v1/customers/${shopId}/credit/statement?from=${today}&to=${today}`,
    expect: 200,
  });
  // Overdue needs time to pass: usages of an earlier run fall overdue when the service is restarted with its clock
  // moved past their due date (`CLOCK_OFFSET=P31D npm start`, then `npm run demo` again).
  const overdue = await call({
    say: 'The credit manager runs the overdue job (after `CLOCK_OFFSET=P31D npm start`, earlier runs fall overdue)',
    method: 'POST',
    path: '/v1/credit/overdue-runs',
    expect: 200,
    events: ['credit.overdue', 'credit.hold.placed (when usages of an earlier run are past due)'],
  });
  console.log(
    `  as of ${overdue.as_of}: ${overdue.usages_overdue} usages overdue, ${overdue.accounts_held} accounts held`,
  );
  await call({
    say: 'The credit manager reads the aging report',
    method: 'GET',
    path: '/v1/credit/aging',
    expect: 200,
  });

  await call({
    say: 'The business asks to be erased, but still owes credit: refused',
    method: 'POST',
    path: `/v1/customers/${shopId}/anonymization`,
    body: { reason: `privacy request ${run}-B` },
    expect: 409,
  });
  const exported = await call({
    say: 'Ana asks for her data (Law 81 of 2019): the privacy officer exports everything stored about her',
    method: 'GET',
    path: `/v1/customers/${anaId}/export`,
    expect: 200,
  });
  const ledger = (exported.loyalty as { transactions?: unknown[] } | null)?.transactions ?? [];
  console.log(`    the export holds her profile and ${ledger.length} ledger entries`);
  await call({
    say: 'Ana asks to be erased: her personal data goes, her points left are forfeited',
    method: 'POST',
    path: `/v1/customers/${anaId}/anonymization`,
    body: { reason: `privacy request ${run}-A` },
    expect: 200,
    events: ['customer.anonymized'],
  });
  await call({
    say: 'A later write to her is refused',
    method: 'POST',
    path: `/v1/customers/${anaId}/loyalty/earn`,
    body: { points: 10, reference_type: 'purchase', reference_id: `order-${run}-3` },
    expect: 409,
  });

  console.log(`\nDone. See the events with \`npm run events:tail\`, and the customers at ${base}/v1/customers.`);
}

main().catch((err: unknown) => {
  console.error(`demo stopped: ${(err as Error).message}`);
  process.exit(1);
});
