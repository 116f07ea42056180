/**
 * `npx tsx bench/profile.ts` (from an npm script or with Node 24 first on PATH): the built service on a fresh
 * PostgreSQL database under --cpu-prof, loaded with earns as in `npm run bench` (write rate only). Prints the CPU
 * split between the processes and the service's self time by package and by function.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase, dropAllTestDatabases } from '../test/helpers/database.js';
import { AMQP_URL, EventTap } from '../test/helpers/events.js';
import { killChildren } from '../test/helpers/process.js';
import { waitOutboxEmpty, writeRate } from './phases.js';
import { cpuSeconds, cpuSecondsOf } from './proc.js';
import { build, startService } from './service.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Busy and total jiffies of the whole machine. */
function machine(): { busy: number; total: number } {
  const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - (f[3] ?? 0) - (f[4] ?? 0), total };
}

function where(url: string): string {
  if (!url) return '(native/gc/idle)';
  if (url.startsWith('node:')) return 'node: internals';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1] as string;
  const d = /dist\/(.*)$/.exec(url);
  return d ? (d[1] as string) : url;
}

function summarize(file: string): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    startTime: number;
    endTime: number;
  };
  const total = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    const pkg = where(n.callFrame.url);
    const fn = n.callFrame.url
      ? `${n.callFrame.functionName || '(anonymous)'}  ${pkg}:${n.callFrame.lineNumber + 1}`
      : `(${n.callFrame.functionName})`;
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + hits);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
  }
  const top = (m: Map<string, number>, k: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, hits]) => `  ${((hits / total) * 100).toFixed(1).padStart(5)}%  ${name}`)
      .join('\n');
  console.log(`\nservice self time by package (${total} samples, whole process life):\n${top(byPackage, 25)}`);
  console.log(`\nservice self time by function:\n${top(byFunction, 40)}`);
}

/**
 * Samples pg_stat_activity of `database` every 20 ms until stopped: a poor man's pg_stat_statements (not
 * preloaded on this server) that also shows what the sessions wait for.
 */
function sampleActivity(url: string, database: string): () => Promise<string> {
  const client = new pg.Client({ connectionString: url });
  const counts = new Map<string, number>();
  let samples = 0;
  let stop = false;
  const loop = (async () => {
    await client.connect();
    while (!stop) {
      const res = await client.query<{ state: string | null; wait: string | null; query: string }>(
        `SELECT state, wait_event_type || ':' || wait_event AS wait, left(regexp_replace(query, '\\s+', ' ', 'g'), 60) AS query
           FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [database],
      );
      samples++;
      for (const r of res.rows) {
        // A backend that is still starting (or a walsender) has no state yet.
        const key = `${(r.state ?? '(starting)').padEnd(19)} ${(r.wait ?? 'on CPU').padEnd(24)} ${r.query}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await client.end();
  })();
  return async () => {
    stop = true;
    await loop;
    return [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([k, n]) => `  ${(n / samples).toFixed(2).padStart(5)}  ${k}`)
      .join('\n');
  };
}

const dir = mkdtempSync(path.join(tmpdir(), 'cs-bench-prof-'));
process.env.BENCH_CPU_PROF = dir;
const db = await createTestDatabase('cs_bench');
const sink = await EventTap.open('#', { durable: true });
try {
  build();
  const svc = await startService({ DATABASE_URL: db.url, AMQP_URL });
  const before = {
    svc: cpuSeconds(svc.pid),
    pg: cpuSecondsOf('postgres'),
    mq: cpuSecondsOf('beam.smp'),
    bench: process.cpuUsage(),
    machine: machine(),
    at: Date.now(),
  };
  const stopSampling = sampleActivity(db.url, db.name);
  const w = await writeRate(svc, 'prof');
  const activity = await stopSampling();
  const secs = (Date.now() - before.at) / 1000;
  const benchCpu = process.cpuUsage(before.bench);
  const m = machine();
  console.log(`earn write rate ${w.rate.toFixed(0)} req/s, p50 ${w.p50ms} ms, p99 ${w.p99ms} ms (${w.statusCodes})`);
  console.log(
    `CPU cores used over ${secs.toFixed(1)} s: service ${((cpuSeconds(svc.pid) - before.svc) / secs).toFixed(2)}, ` +
      `postgres ${((cpuSecondsOf('postgres') - before.pg) / secs).toFixed(2)}, ` +
      `rabbitmq ${((cpuSecondsOf('beam.smp') - before.mq) / secs).toFixed(2)}, ` +
      `bench (autocannon + consumer) ${((benchCpu.user + benchCpu.system) / 1e6 / secs).toFixed(2)}; ` +
      `machine busy ${(((m.busy - before.machine.busy) / (m.total - before.machine.total)) * 100).toFixed(0)}%`,
  );
  console.log(`\nservice's database sessions, average count by state, wait and statement:\n${activity}`);
  await waitOutboxEmpty(svc, 30_000);
  await svc.stop();
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written');
  summarize(path.join(dir, file));
} finally {
  killChildren();
  await sink.close();
  await dropAllTestDatabases();
  if (!process.env.BENCH_KEEP_PROFILE) rmSync(dir, { recursive: true, force: true });
  else console.log(`profile kept in ${dir}`);
}
