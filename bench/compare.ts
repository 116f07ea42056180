/**
 * A/B of two builds of the service, interleaved so that the machine's noise hits both alike:
 *   npx tsx bench/compare.ts <checkout A> <checkout B> [rounds=3]
 * Each checkout needs node_modules and a current dist/ (`npm run build` there). Per round and checkout: a fresh
 * database, the earn write rate (as `npm run bench`), CPU per earn of the service and of PostgreSQL (all its
 * processes: keep the server otherwise idle), syscalls per earn, and commit-to-consumer latency at 250/s.
 */
import { createTestDatabase, dropAllTestDatabases } from '../test/helpers/database.js';
import { AMQP_URL, EventTap } from '../test/helpers/events.js';
import { killChildren } from '../test/helpers/process.js';
import { commitToConsumer, waitOutboxEmpty, writeRate } from './phases.js';
import { startService } from './service.js';

const [a, b, roundsArg] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: npx tsx bench/compare.ts <checkout A> <checkout B> [rounds]');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 3);
const sink = await EventTap.open('#', { durable: true });
try {
  for (let r = 0; r < rounds; r++) {
    for (const dir of [a, b]) {
      const db = await createTestDatabase('cs_bench');
      const svc = await startService({ DATABASE_URL: db.url, AMQP_URL }, dir);
      const w = await writeRate(svc, `cmp${r}`);
      await waitOutboxEmpty(svc, 30_000);
      const lat = await commitToConsumer(svc, sink, `cmpl${r}`, 250, 5);
      console.log(
        `${dir} #${r}: ${w.rate.toFixed(0)} earn/s (p99 ${w.p99ms} ms); CPU/earn service ` +
          `${w.cpuUsPerReq?.toFixed(0)} µs, postgres ${w.dbCpuUsPerReq?.toFixed(0)} µs; syscalls/earn ` +
          `${w.readsPerReq?.toFixed(1)} r + ${w.writesPerReq?.toFixed(1)} w; commit→consumer p50 ` +
          `${lat.p50ms.toFixed(2)} p99 ${lat.p99ms.toFixed(2)} ms; RSS ${svc.rssMb().toFixed(0)} MB`,
      );
      await svc.stop();
      await db.drop();
    }
  }
} finally {
  killChildren();
  await sink.close();
  await dropAllTestDatabases();
}
