import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../src/auth/auth.js';
import { TEST_JWT_SECRET, uniqueOrg } from '../helpers/app.js';
import { createCustomersOver } from '../helpers/customers.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { DurableTap } from '../helpers/durable-tap.js';
import { AMQP_URL } from '../helpers/events.js';
import { recordFigures } from '../helpers/figures.js';
import { earnLoad, startEarnLoad, until } from '../helpers/load.js';
import { ServiceProcess } from '../helpers/service-process.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

/**
 * Real outages under load. The service under test (its own process) reaches PostgreSQL and RabbitMQ through TCP
 * proxies; the faults are injected there (connections cut and refused), never by stopping the machine's shared
 * servers, so this file runs in parallel with the others. Each test counts, by messageId and transaction id, that
 * every committed change's event arrived, then that nothing more arrives. Figures go to test-output/guarantees.json.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Deliveries that show the load (and the relay) are running before a fault, and again after it. */
const PROGRESS = 200;
/** Quiet period after the last expected event: a late duplicate would show up here. */
const QUIET_MS = 500;

let database: TestDatabase;
let tap: DurableTap;
let token: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const org = uniqueOrg();
  tap = await DurableTap.open('loyalty.points.earned', org);
  token = await signToken(TEST_JWT_SECRET, { org, sub: 'faults' });
});

afterAll(async () => {
  await tap?.close();
  await database?.drop();
});

interface Rig {
  service: ServiceProcess;
  pg: TcpProxy;
  broker: TcpProxy;
  close(): Promise<void>;
}

/** The service with its own proxies in front of PostgreSQL and RabbitMQ. */
async function startRig(): Promise<Rig> {
  const pg = await TcpProxy.start(Number(new URL(database.url).port || 5432));
  const broker = await TcpProxy.start(Number(new URL(AMQP_URL).port || 5672));
  const service = await ServiceProcess.start({ DATABASE_URL: pg.url(database.url), AMQP_URL: broker.url(AMQP_URL) });
  return {
    service,
    pg,
    broker,
    async close() {
      await service.stop();
      await Promise.all([pg.close(), broker.close()]);
    },
  };
}

/**
 * Twenty customers on `service`, then 8 writers earning points until `finish()`, which returns what they saw.
 * `before` marks where this test's deliveries start on the tap.
 */
async function startLoad(service: ServiceProcess) {
  const customers = await createCustomersOver(service.url, token, 20);
  const before = tap.deliveries.length;
  let stop = false;
  const load = startEarnLoad({ baseUrl: () => service.url, token, customers, until: () => stop });
  return {
    customers,
    before,
    live: load.result,
    finish: () => {
      stop = true;
      return load.done;
    },
  };
}

async function ready(service: ServiceProcess): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${service.url}/health/ready`).catch((err: Error) => {
    throw new Error(`${err.message}; service output:\n${service.output}`);
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Waits until the outbox is drained, then counts what arrives in QUIET_MS more (it must be nothing). */
async function settled(service: ServiceProcess): Promise<number> {
  await until(async () => {
    const r = await ready(service);
    return r.status === 200 && (r.body.outbox as { backlog: number }).backlog === 0;
  }, 'the outbox backlog is 0');
  return tap.arrivalsWithin(QUIET_MS);
}

describe('faults under load', { timeout: 120_000 }, () => {
  it('when the broker connection is cut for 4 s under steady writes, then writes keep succeeding and every event arrives', async () => {
    const rig = await startRig();
    try {
      const { before, finish } = await startLoad(rig.service);
      await tap.waitForDeliveries(before, PROGRESS);
      rig.broker.cut();
      const cutAt = Date.now();
      let during: Record<string, unknown> = {};
      await until(async () => {
        during = (await ready(rig.service)).body;
        return during.broker === 'down';
      }, 'the service reports the broker down');
      await sleep(4_000 - (Date.now() - cutAt));
      const seenBeforeRestore = tap.deliveries.length;
      rig.broker.restore();
      await tap.waitForDeliveries(seenBeforeRestore, PROGRESS);
      const load = await finish();

      expect(during).toMatchObject({ database: 'up', broker: 'down' });
      expect(load.noAnswer).toBe(0);
      expect([...load.statuses.keys()]).toEqual([201]);
      const lost = await tap.missingTransactions(load.committed);
      const late = await settled(rig.service);
      const duplicates = tap.duplicatesSince(before);
      recordFigures('broker outage', { writes: load.committed.length, outages: 1, lost: lost.length, duplicates });
      expect(lost).toEqual([]);
      expect(late).toBe(0);
      expect(duplicates).toBeLessThanOrEqual(Math.max(10, load.committed.length * 0.05));
    } finally {
      await rig.close();
    }
  });

  it('when the service is killed with SIGKILL under load and restarted, then every committed event is published', async () => {
    const rig = await startRig();
    try {
      const { before, finish } = await startLoad(rig.service);
      await tap.waitForDeliveries(before, PROGRESS);
      await rig.service.kill();
      await rig.service.spawn();
      const seenAfterRestart = tap.deliveries.length;
      await tap.waitForDeliveries(seenAfterRestart, PROGRESS);
      const load = await finish();

      expect(load.committed.length).toBeGreaterThan(0);
      expect(load.serverErrors).toEqual([]);
      const lost = await tap.missingTransactions(load.committed);
      const late = await settled(rig.service);
      recordFigures('process crash', {
        writes: load.committed.length,
        crashes: 1,
        lost: lost.length,
        duplicates: tap.duplicatesSince(before),
        unanswered: load.noAnswer,
      });
      expect(lost).toEqual([]);
      expect(late).toBe(0);
    } finally {
      await rig.close();
    }
  });

  it('when the database connection is cut for 2 s under load, then requests fail cleanly with 503, the service recovers and the relay resumes', async () => {
    const rig = await startRig();
    try {
      const { customers, before, live, finish } = await startLoad(rig.service);
      await tap.waitForDeliveries(before, PROGRESS);
      // Two seconds with every database connection dropped and refused: requests in between must get 503.
      rig.pg.cut();
      const cutAt = Date.now();
      await until(() => (live.statuses.get(503) ?? 0) > 0, 'a request is refused with 503');
      await sleep(2_000 - (Date.now() - cutAt));
      rig.pg.restore();
      await until(async () => (await ready(rig.service)).status === 200, 'the service is ready again');
      const committedAtRecovery = live.committed.length;
      await until(() => live.committed.length - committedAtRecovery >= PROGRESS, 'writes commit again');
      const load = await finish();

      // Only 201 and 503 problem details: no 500, no hang.
      for (const status of load.statuses.keys()) expect([201, 503]).toContain(status);
      for (const e of load.serverErrors) {
        expect(e.status).toBe(503);
        expect(JSON.parse(e.body)).toMatchObject({ status: 503, title: expect.any(String) });
      }
      expect(load.noAnswer).toBe(0);
      // Writes work again and their events flow.
      const after = await earnLoad({
        baseUrl: () => rig.service.url,
        token,
        customers,
        until: (() => {
          const end = Date.now() + 500;
          return () => Date.now() > end;
        })(),
      });
      expect([...after.statuses.keys()]).toEqual([201]);
      const committed = [...load.committed, ...after.committed];
      const lost = await tap.missingTransactions(committed);
      const late = await settled(rig.service);
      recordFigures('database cut', {
        writes: committed.length,
        cuts: 1,
        refused_503: load.statuses.get(503) ?? 0,
        lost: lost.length,
        duplicates: tap.duplicatesSince(before),
      });
      expect(lost).toEqual([]);
      expect(late).toBe(0);
    } finally {
      await rig.close();
    }
  });
});
