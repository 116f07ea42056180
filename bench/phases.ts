import type { EventTap, ReceivedEvent } from '../test/helpers/events.js';
import { sleep } from '../test/helpers/process.js';
import { closedLoop, type LoadResult, openLoop, postJson, type Target, warmAndMeasure } from './load.js';
import type { Service } from './service.js';

/** Earn requests spread over the service's customers, each with its own reference id (a repeat is a 409). */
export function earnTarget(svc: Service, refPrefix: string): Target {
  let i = 0;
  return {
    url: svc.url,
    headers: svc.headers,
    next: () => {
      const n = i++;
      return {
        path: `/v1/customers/${svc.customers[n % svc.customers.length]}/loyalty/earn`,
        body: JSON.stringify({ points: 1, reference_type: 'purchase', reference_id: `${refPrefix}-${n}` }),
      };
    },
  };
}

/** Events of the service's organization about a request whose reference id starts with `refPrefix`. */
function ours(svc: Service, refPrefix: string): (e: ReceivedEvent) => boolean {
  return (e) => {
    const reference = e.body.data.reference_id;
    return e.body.organization_id === svc.org && typeof reference === 'string' && reference.startsWith(refPrefix);
  };
}

/** Earns, closed loop, as ceiling A is loaded: warm-up, then the measured run. */
export function writeRate(svc: Service, refPrefix: string): Promise<LoadResult> {
  return warmAndMeasure(earnTarget(svc, refPrefix), svc.pid);
}

/** Waits until the outbox is empty (every committed event confirmed by the broker). */
export async function waitOutboxEmpty(svc: Service, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await svc.ready();
    if (r.outbox.backlog === 0) return;
    if (Date.now() > deadline) throw new Error(`outbox still holds ${r.outbox.backlog} events`);
    await sleep(100);
  }
}

export interface LatencyResult {
  rate: number;
  sent: number;
  matched: number;
  failures: number;
  /** Events that reached the consumer before the client had read its 201 (counted as 0 ms). */
  early: number;
  p50ms: number;
  p99ms: number;
  maxms: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/**
 * Commit-to-consumer latency: earns at a fixed `rate` (open loop); for each, the time from the client reading
 * its 201 to the consumer receiving the event with the same `data.transaction_id`.
 */
export async function commitToConsumer(
  svc: Service,
  sink: EventTap,
  refPrefix: string,
  rate: number,
  seconds: number,
): Promise<LatencyResult> {
  const answered = new Map<string, number>();
  const arrived = new Map<string, number>();
  sink.onEvent = (e) => {
    const transaction = e.body.data.transaction_id;
    if (typeof transaction === 'string' && ours(svc, refPrefix)(e)) arrived.set(transaction, e.at);
  };
  const t = earnTarget(svc, refPrefix);
  let sent = 0;
  try {
    const failures = await openLoop(rate, seconds, async () => {
      sent++;
      const { path, body } = t.next();
      const res = await postJson(svc.url, path, JSON.parse(body), svc.headers);
      if (res.status !== 201) throw new Error(`earn → ${res.status}`);
      answered.set(res.body.transaction_id as string, res.at);
    });
    const deadline = Date.now() + 15_000;
    while ([...answered.keys()].some((id) => !arrived.has(id)) && Date.now() < deadline) await sleep(50);
    const deltas: number[] = [];
    let early = 0;
    for (const [id, at] of answered) {
      const got = arrived.get(id);
      if (got === undefined) continue;
      if (got < at) early++;
      deltas.push(Math.max(0, got - at));
    }
    deltas.sort((a, b) => a - b);
    return {
      rate,
      sent,
      matched: deltas.length,
      failures,
      early,
      p50ms: percentile(deltas, 50),
      p99ms: percentile(deltas, 99),
      maxms: deltas.at(-1) ?? Number.NaN,
    };
  } finally {
    sink.onEvent = undefined;
  }
}

export interface DrainResult {
  events: number;
  writeRate: number;
  /** From the proxy's restore to the first event at the consumer (the relay's reconnect back-off). */
  reconnectMs: number;
  /** Events per second between the first and the last arrival. */
  rate: number;
}

/**
 * Outbox drain: with the broker cut off (the service reaches it through `proxy`), writes `events` earns over
 * HTTP; then restores the broker and measures the rate at which they reach the consumer.
 */
export async function outboxDrain(
  svc: Service,
  sink: EventTap,
  proxy: { cut(): void; restore(): void },
  refPrefix: string,
  events: number,
): Promise<DrainResult> {
  proxy.cut();
  const deadline = Date.now() + 10_000;
  while ((await svc.ready()).broker !== 'down') {
    if (Date.now() > deadline) throw new Error('the service did not notice the broker outage');
    await sleep(50);
  }
  const w = await closedLoop(earnTarget(svc, refPrefix), { amount: events });
  if (w.ok !== events) throw new Error(`drain: ${events - w.ok} earns failed (${w.statusCodes}, ${w.errors} errors)`);
  const backlog = (await svc.ready()).outbox.backlog;
  if (backlog < events) throw new Error(`drain: only ${backlog} events waited in the outbox`);
  const restoredAt = performance.now();
  proxy.restore();
  const got = await sink.waitForMatching(ours(svc, refPrefix), events, 90_000);
  const first = got[0]?.at ?? Number.NaN;
  const last = got[events - 1]?.at ?? Number.NaN;
  return {
    events,
    writeRate: w.rate,
    reconnectMs: first - restoredAt,
    rate: ((events - 1) / (last - first)) * 1000,
  };
}
