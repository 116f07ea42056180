/**
 * `npm run bench`: ceilings (A bare HTTP write, B raw confirmed publishing, C raw PostgreSQL), then the built
 * service on PostgreSQL (write rate, commit-to-consumer latency, outbox drain, RSS) and on PGlite (write rate).
 * Prints a table; the last line holds the ratios. Needs the machine's PostgreSQL and RabbitMQ.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase, dropAllTestDatabases } from '../test/helpers/database.js';
import { AMQP_URL, EventTap } from '../test/helpers/events.js';
import { killChildren } from '../test/helpers/process.js';
import { TcpProxy } from '../test/helpers/tcp-proxy.js';
import { ceilingHttp, ceilingPostgres, ceilingPublish } from './ceilings.js';
import { ceilingConsume, declareProducerExchanges, type InboundResult, inboundRate } from './inbound.js';
import { CONNECTIONS, DURATION_S, type LoadResult, WARMUP_S } from './load.js';
import { commitToConsumer, outboxDrain, waitOutboxEmpty, writeRate } from './phases.js';
import { machineBusy, withTimeout } from './proc.js';
import { SCRATCH_TABLE_SQL } from './scratch.js';
import { build, startService } from './service.js';
import { printTable, type Row } from './table.js';
import { type TracedResult, tracedWriteRate } from './tracing.js';

const PUBLISH_MESSAGES = Number(process.env.BENCH_PUBLISH_MESSAGES ?? 30_000);
const DRAIN_EVENTS = Number(process.env.BENCH_DRAIN_EVENTS ?? 20_000);
const LATENCY_S = Number(process.env.BENCH_LATENCY_SECONDS ?? 8);
const INBOUND_MESSAGES = Number(process.env.BENCH_INBOUND_MESSAGES ?? 5_000);
const TOTAL_TIMEOUT_MS = 240_000;

const runId = randomBytes(4).toString('hex');
const t0 = performance.now();
const log = (msg: string) => console.error(`[bench ${((performance.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

const cleanups: (() => Promise<unknown>)[] = [];
let cleaned = false;
async function cleanup(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  for (const c of cleanups.reverse()) await withTimeout('cleanup', 25_000, c()).catch((e) => log(String(e)));
  killChildren();
  await dropAllTestDatabases();
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}
const watchdog = setTimeout(() => {
  log(`still running after ${TOTAL_TIMEOUT_MS / 1000} s: giving up`);
  void cleanup().finally(() => process.exit(1));
}, TOTAL_TIMEOUT_MS);
watchdog.unref();

async function main(): Promise<{ rows: Row[]; last: string }> {
  log(
    `npm run build (machine: load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
  );
  build();

  // Ceilings.
  const scratch = await createTestDatabase('cs_bench');
  const c = new pg.Client({ connectionString: scratch.url });
  await c.connect();
  await c.query(SCRATCH_TABLE_SQL);
  await c.end();
  log(`A: bare HTTP write (${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s)`);
  const busyA = machineBusy();
  const a = await withTimeout('ceiling A', 40_000, ceilingHttp(scratch, runId));
  const aBusy = busyA();
  log(`B: raw confirmed publishing (${PUBLISH_MESSAGES} messages, 1000 in flight)`);
  const b = await withTimeout('ceiling B', 40_000, ceilingPublish(PUBLISH_MESSAGES));
  log('C: raw PostgreSQL (8 connections)');
  const cRate = await withTimeout('ceiling C', 20_000, ceilingPostgres(scratch, 8, 5));
  log(`D: bare amqplib consume-and-ack (${INBOUND_MESSAGES} messages, prefetch 50)`);
  const d = await withTimeout('ceiling D', 30_000, ceilingConsume(INBOUND_MESSAGES));
  await scratch.drop();

  // The service on PostgreSQL, reaching the broker through a proxy that can cut it off.
  const brokerPort = Number(new URL(AMQP_URL).port || 5672);
  const proxy = await TcpProxy.start(brokerPort, new URL(AMQP_URL).hostname);
  cleanups.push(() => proxy.close());
  const sink = await EventTap.open('#', { durable: true });
  cleanups.push(() => sink.close());
  const db = await createTestDatabase('cs_bench');
  const proxiedUrl = AMQP_URL.replace(`:${brokerPort}`, `:${proxy.port}`);
  await declareProducerExchanges();
  log('service (PostgreSQL): start, 100 customers');
  const svc = await withTimeout('service start', 40_000, startService({ DATABASE_URL: db.url, AMQP_URL: proxiedUrl }));
  cleanups.push(() => svc.stop());
  const rssStart = svc.rssMb();

  log('service: write rate');
  const busyW = machineBusy();
  const w = await withTimeout('write rate', 40_000, writeRate(svc, `${runId}-w`));
  const wBusy = busyW();
  const rssWrite = svc.rssMb();
  await withTimeout('outbox drained after the write load', 40_000, waitOutboxEmpty(svc, 39_000));
  const committed = await countEarns(db.url);
  const earned = sink.forOrg(svc.org).filter((e) => e.body.event === 'loyalty.points.earned');
  const distinct = new Set(earned.map((e) => e.body.data.transaction_id)).size;

  const latencyRate = Math.max(10, Math.round(w.rate / 4));
  log(`service: commit-to-consumer latency at ${latencyRate}/s for ${LATENCY_S} s`);
  const lat = await withTimeout('latency', 40_000, commitToConsumer(svc, sink, `${runId}-l`, latencyRate, LATENCY_S));

  log(`service: outbox drain (${DRAIN_EVENTS} earns while the broker is cut off)`);
  const drain = await withTimeout('drain', 120_000, outboxDrain(svc, sink, proxy, `${runId}-d`, DRAIN_EVENTS));
  log(`service: inbound (${INBOUND_MESSAGES} order.completed on order_events)`);
  const inbound: InboundResult | undefined = await withTimeout(
    'inbound',
    100_000,
    inboundRate(svc, sink, runId, INBOUND_MESSAGES),
  ).catch((err: Error) => {
    log(`inbound: ${err.message.split('\n')[0]}`);
    return undefined;
  });
  const rss = svc.rssMb();
  await svc.stop();
  cleanups.pop();
  const writes = await outboxWrites(db.url);
  await db.drop();

  // The service on PGlite, for reference.
  const dir = mkdtempSync(path.join(tmpdir(), 'cs-bench-pglite-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  log('service (PGlite): start, 100 customers, write rate');
  // For reference only: on a loaded machine PGlite can miss Fastify's plugin timeout; the run goes on without it.
  const liteRow = await (async (): Promise<Row> => {
    const figure = 'service write rate (earn, PGlite)';
    try {
      const lite = await withTimeout('PGlite start', 60_000, startService({ PGLITE_DIR: dir, AMQP_URL }));
      cleanups.push(() => lite.stop());
      const lw = await withTimeout('PGlite write rate', 40_000, writeRate(lite, `${runId}-p`));
      const note = `${latencyNote(lw)}; ${lw.statusCodes}; RSS ${lite.rssMb().toFixed(0)} MB`;
      return { figure, value: lw.rate, unit: 'req/s', note };
    } catch (err) {
      log(`PGlite: ${(err as Error).message.split('\n')[0]}`);
      return { figure, value: Number.NaN, unit: 'req/s', note: 'did not run (see the log)' };
    }
  })();

  log('service (PostgreSQL) with tracing on, exporting over OTLP/HTTP to a receiver process: write rate');
  const traced: TracedResult | undefined = await withTimeout('tracing on', 90_000, tracedWriteRate(`${runId}-t`)).catch(
    (err: Error) => {
      log(`tracing on: ${err.message.split('\n')[0]}`);
      return undefined;
    },
  );

  const ratio = (x: number, y: number) => x / y;
  const cpu = (l: LoadResult) => l.cpuUsPerReq ?? Number.NaN;
  const last =
    `ratios: write/A=${ratio(w.rate, a.rate).toFixed(2)} drain/B=${ratio(drain.rate, b.rate).toFixed(2)} ` +
    `p99=${lat.p99ms.toFixed(1)}ms p50=${lat.p50ms.toFixed(1)}ms rss=${rss.toFixed(0)}MB ` +
    `inbound/earn=${inbound ? ratio(inbound.rate, w.rate).toFixed(2) : 'n/a'} ` +
    `traced/earn=${traced ? ratio(traced.load.rate, w.rate).toFixed(2) : 'n/a'}`;
  const rows: Row[] = [
    {
      figure: 'A bare HTTP write (Fastify + pg tx, own process)',
      value: a.rate,
      unit: 'req/s',
      note: `${latencyNote(a)}; machine ${pct(aBusy)} busy`,
    },
    { figure: 'B raw confirmed publish → consumer', value: b.rate, unit: 'msg/s', note: `${b.bytes} B bodies` },
    { figure: 'C raw PostgreSQL, 8 connections', value: cRate, unit: 'tx/s' },
    { figure: 'D bare consume-and-ack (amqplib, prefetch 50)', value: d.rate, unit: 'msg/s' },
    {
      figure: 'service write rate (earn, PostgreSQL)',
      value: w.rate,
      unit: 'req/s',
      target: '≥ 0.7×A',
      ratio: ratio(w.rate, a.rate),
      pass: w.rate >= 0.7 * a.rate && w.non2xx === 0 && w.errors === 0,
      note: `${latencyNote(w)}; machine ${pct(wBusy)} busy; ${w.statusCodes}${w.errors ? `, ${w.errors} errors` : ''}`,
    },
    {
      figure: 'earned events delivered / earns committed',
      value: distinct,
      unit: `of ${committed}`,
      pass: distinct === committed,
      note: `${earned.length - distinct} duplicates`,
    },
    {
      figure: `commit→consumer p50 (at ${latencyRate}/s)`,
      value: lat.p50ms,
      unit: 'ms',
      target: '≤ 3 ms',
      pass: lat.p50ms <= 3,
      note: `${lat.matched}/${lat.sent} matched, ${lat.failures} failed, ${lat.early} early`,
    },
    {
      figure: `commit→consumer p99 (at ${latencyRate}/s)`,
      value: lat.p99ms,
      unit: 'ms',
      target: '≤ 10 ms',
      pass: lat.p99ms <= 10 && lat.matched === lat.sent,
      note: `max ${lat.maxms.toFixed(1)} ms`,
    },
    {
      figure: `outbox drain (${drain.events} events)`,
      value: drain.rate,
      unit: 'msg/s',
      target: '≥ 0.8×B',
      ratio: ratio(drain.rate, b.rate),
      pass: drain.rate >= 0.8 * b.rate,
      note: `reconnect ${(drain.reconnectMs / 1000).toFixed(1)} s; written at ${drain.writeRate.toFixed(0)}/s`,
    },
    inbound
      ? {
          figure: `inbound order.completed applied (${inbound.messages}, earn + event)`,
          value: inbound.rate,
          unit: 'msg/s',
          target: '≥ 1.0× earn',
          ratio: ratio(inbound.rate, w.rate),
          pass: inbound.rate >= w.rate && inbound.earned === inbound.messages && inbound.duplicates === 0,
          note: `${ratio(inbound.rate, d.rate).toFixed(2)}×D; ${inbound.earned}/${inbound.messages} earned once, ${inbound.duplicates} duplicates`,
        }
      : {
          figure: 'inbound order.completed applied',
          value: Number.NaN,
          unit: 'msg/s',
          note: 'did not run (see the log)',
        },
    {
      figure: 'service RSS at the end',
      value: rss,
      unit: 'MB',
      target: '< 150 MB',
      pass: rss < 150,
      note: `${rssStart.toFixed(0)} MB after start, ${rssWrite.toFixed(0)} MB after the write load`,
    },
    {
      figure: 'PostgreSQL row writes per outbox event',
      value: writes.perEvent,
      unit: 'rows',
      target: '1 (+ deletes)',
      pass: writes.perEvent < 1.05,
      note: `${writes.inserted} inserted, ${writes.updated} updated (outbox + mark), ${writes.deleted} deleted`,
    },
    liteRow,
    traced
      ? {
          figure: 'service write rate (earn, PostgreSQL, tracing on → OTLP/HTTP)',
          value: traced.load.rate,
          unit: 'req/s',
          ratio: ratio(traced.load.rate, w.rate),
          note:
            `× the untraced earn; service CPU/earn ${cpu(traced.load).toFixed(0)} µs vs ${cpu(w).toFixed(0)} µs ` +
            `(+${(cpu(traced.load) - cpu(w)).toFixed(0)}); ${latencyNote(traced.load)}; ${traced.load.statusCodes}; ` +
            `${traced.exports} exports, ${(traced.bytes / 1024).toFixed(0)} kB`,
        }
      : {
          figure: 'service write rate (tracing on)',
          value: Number.NaN,
          unit: 'req/s',
          note: 'did not run (see the log)',
        },
  ];
  return { rows, last };
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

/** Earns committed in the service's database (each wrote one loyalty.points.earned to the outbox). */
async function countEarns(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM loyalty_transactions WHERE type = 'earn'`);
    return r.rows[0]?.n ?? 0;
  } finally {
    await c.end();
  }
}

/** Row writes to the outbox tables, from the statistics (flushed when the service's connections ended). */
async function outboxWrites(
  url: string,
): Promise<{ inserted: number; updated: number; deleted: number; perEvent: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ ins: number; upd: number; del: number; events: number }>(
      `SELECT sum(n_tup_ins)::int AS ins, sum(n_tup_upd)::int AS upd, sum(n_tup_del)::int AS del,
              sum(n_tup_ins) FILTER (WHERE relname = 'outbox')::int AS events
         FROM pg_stat_user_tables WHERE relname IN ('outbox', 'outbox_progress')`,
    );
    const { ins = 0, upd = 0, del = 0, events = 0 } = r.rows[0] ?? {};
    return { inserted: ins, updated: upd, deleted: del, perEvent: events ? (ins + upd) / events : Number.NaN };
  } finally {
    await c.end();
  }
}

function latencyNote(r: LoadResult): string {
  const cpu =
    r.cpuUsPerReq === undefined
      ? ''
      : `; CPU/req server ${r.cpuUsPerReq.toFixed(0)} µs` +
        (r.dbCpuUsPerReq ? `, postgres ${r.dbCpuUsPerReq.toFixed(0)} µs` : '') +
        `; syscalls/req ${r.readsPerReq?.toFixed(1)} r + ${r.writesPerReq?.toFixed(1)} w`;
  return `latency p50 ${r.p50ms} ms p99 ${r.p99ms} ms${cpu}`;
}

let code = 0;
try {
  const { rows, last } = await main();
  await cleanup();
  log(`done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  printTable(rows, last);
} catch (err) {
  log(`FAILED: ${(err as Error).stack ?? err}`);
  await cleanup();
  code = 1;
}
process.exit(code);
