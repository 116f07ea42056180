import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { TestDatabase } from '../test/helpers/database.js';
import { AMQP_URL, EventTap } from '../test/helpers/events.js';
import { freePort, sleep, spawnNode, waitHttp } from '../test/helpers/process.js';
import { type LoadResult, warmAndMeasure } from './load.js';
import { sampleEarnedBody } from './sample.js';
import { KB } from './scratch.js';

/** A. A minimal Fastify + pg server in its own process, loaded exactly as the service is. */
export async function ceilingHttp(db: TestDatabase, runId: string): Promise<LoadResult> {
  const port = await freePort();
  const child = spawnNode(['--import', 'tsx', 'bench/ceiling-server.ts'], {
    PORT: String(port),
    DATABASE_URL: db.url,
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitHttp(`${url}/health`, child);
    let i = 0;
    const r = await warmAndMeasure(
      {
        url,
        headers: {},
        next: () => ({
          path: '/write',
          body: JSON.stringify({ points: 1, reference_type: 'purchase', reference_id: `${runId}-a-${i++}` }),
        }),
      },
      child.pid,
    );
    if (child.proc.exitCode !== null) throw new Error(`ceiling server exited:\n${child.output()}`);
    return r;
  } finally {
    await child.stop();
  }
}

export const BENCH_EXCHANGE = 'bench_events';
const ROUTING_KEY = 'loyalty.points.earned';

export interface PublishResult {
  messages: number;
  rate: number;
  bytes: number;
}

/**
 * B. Confirmed publishing as the relay does it, from its own process (bench/publisher.ts): `maxInFlight`
 * unconfirmed, envelope-sized bodies with the service's properties, to a durable topic exchange bound to a
 * durable queue. Measured as the drain is (the same consumer): msg/s between arrivals, after `warmup` messages.
 */
export async function ceilingPublish(messages: number, maxInFlight = 1000, warmup = 3000): Promise<PublishResult> {
  // Auto-delete: the exchange goes when the consumer's queue (and so its binding) is gone.
  const sink = await EventTap.open('#', {
    exchange: BENCH_EXCHANGE,
    declare: (ch) => ch.assertExchange(BENCH_EXCHANGE, 'topic', { durable: true, autoDelete: true }),
    durable: true,
  });
  try {
    const org = `org_bench_${randomUUID().slice(0, 10)}`;
    const child = spawnNode(['--import', 'tsx', 'bench/publisher.ts'], {
      AMQP_URL,
      EXCHANGE: BENCH_EXCHANGE,
      ROUTING_KEY,
      MESSAGES: String(warmup + messages),
      IN_FLIGHT: String(maxInFlight),
      ORG: org,
    });
    const exited = new Promise<void>((resolve, reject) =>
      child.proc.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`ceiling B publisher failed:\n${child.output()}`)),
      ),
    );
    const arrived = sink.waitForMatching(() => true, warmup + messages, 60_000);
    const got = await Promise.race([arrived, exited.then(() => arrived)]);
    await exited;
    const from = got[warmup - 1]?.at ?? Number.NaN;
    const to = got[warmup + messages - 1]?.at ?? Number.NaN;
    return { messages, rate: (messages / (to - from)) * 1000, bytes: sampleEarnedBody(org, 0).length };
  } finally {
    await sink.close();
  }
}

/** C. `connections` clients, each running transactions of two 1 KB inserts back to back for `seconds`. */
export async function ceilingPostgres(db: TestDatabase, connections = 8, seconds = 5): Promise<number> {
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      return c;
    }),
  );
  try {
    let stop = false;
    let count = 0;
    const worker = async (c: pg.Client, w: number) => {
      for (let i = 0; !stop; i++) {
        await c.query('BEGIN');
        await c.query('INSERT INTO bench_scratch (k, payload) VALUES ($1, $2)', [`c-${w}-${i}`, KB]);
        await c.query('INSERT INTO bench_scratch (k, payload) VALUES ($1, $2)', [`c-${w}-${i}`, KB]);
        await c.query('COMMIT');
        count++;
      }
    };
    const workers = clients.map((c, w) => worker(c, w));
    await sleep(1000); // warm-up
    const from = count;
    const start = performance.now();
    await sleep(seconds * 1000);
    const rate = ((count - from) / (performance.now() - start)) * 1000;
    stop = true;
    await Promise.all(workers);
    return rate;
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
  }
}
