import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../src/auth/auth.js';
import { TEST_JWT_SECRET, uniqueOrg } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { DurableTap } from '../helpers/durable-tap.js';
import { recordFigures } from '../helpers/figures.js';
import { createCustomersOver, earnLoad } from '../helpers/load.js';
import { ServiceProcess } from '../helpers/service-process.js';

/**
 * Real outages under load, against the real RabbitMQ and PostgreSQL of this machine: the broker application
 * stopped and started, the service killed with SIGKILL, PostgreSQL restarted. Each test counts, by messageId and
 * transaction id, that every committed change's event arrived. Figures go to test-output/guarantees.json.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function rabbitmqctl(...args: string[]): void {
  execFileSync('rabbitmqctl', ['-q', ...args], { stdio: 'ignore', timeout: 60_000 });
}

function postgresCluster(action: 'stop' | 'start'): void {
  const version = execFileSync('ls', ['/etc/postgresql']).toString().trim().split('\n')[0] ?? '15';
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action], {
    stdio: 'ignore',
    timeout: 60_000,
  });
}

async function pgReady(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      execFileSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-q']);
      return;
    } catch {
      await sleep(200);
    }
  }
  throw new Error('PostgreSQL did not come back');
}

let database: TestDatabase;
let tap: DurableTap;
let token: string;

beforeAll(async () => {
  database = await createTestDatabase();
  tap = await DurableTap.open('loyalty.points.earned');
  token = await signToken(TEST_JWT_SECRET, { org: uniqueOrg(), sub: 'faults' });
});

afterAll(async () => {
  // Leave the machine's services running whatever happened.
  try {
    rabbitmqctl('start_app');
  } catch {
    // already running
  }
  await pgReady().catch(() => postgresCluster('start'));
  await tap?.close();
  await database?.drop();
});

/**
 * Twenty customers on `service`, then 8 writers earning points until `finish()`, which returns what they saw.
 * `before` marks where this test's deliveries start on the shared tap.
 */
async function startLoad(service: ServiceProcess) {
  const customers = await createCustomersOver(service.url, token, 20);
  const before = tap.deliveries.length;
  let stop = false;
  const loading = earnLoad({ baseUrl: () => service.url, token, customers, until: () => stop });
  return {
    customers,
    before,
    finish: () => {
      stop = true;
      return loading;
    },
  };
}

describe('faults under load', { timeout: 120_000 }, () => {
  it('when the RabbitMQ application stops for seconds under steady writes, then writes keep succeeding and every event arrives', async () => {
    const service = await ServiceProcess.start({ DATABASE_URL: database.url });
    try {
      const { before, finish } = await startLoad(service);
      await sleep(1_000);
      rabbitmqctl('stop_app');
      await sleep(1_000);
      const during = await fetch(`${service.url}/health/ready`).then((r) => r.json());
      await sleep(3_000);
      rabbitmqctl('start_app');
      rabbitmqctl('await_startup');
      await sleep(1_000);
      const load = await finish();

      expect(during).toMatchObject({ database: 'up', broker: 'down' });
      expect(load.noAnswer).toBe(0);
      expect([...load.statuses.keys()]).toEqual([201]);
      const lost = await tap.missingTransactions(load.committed);
      const duplicates = tap.duplicatesSince(before);
      recordFigures('broker outage', { writes: load.committed.length, outages: 1, lost: lost.length, duplicates });
      expect(lost).toEqual([]);
      expect(duplicates).toBeLessThanOrEqual(Math.max(10, load.committed.length * 0.05));
    } finally {
      await service.stop();
    }
  });

  it('when the service is killed with SIGKILL under load and restarted, then every committed event is published', async () => {
    const service = await ServiceProcess.start({ DATABASE_URL: database.url });
    try {
      const { before, finish } = await startLoad(service);
      await sleep(1_500);
      await service.kill();
      await sleep(500);
      await service.spawn();
      await sleep(1_000);
      const load = await finish();

      expect(load.committed.length).toBeGreaterThan(0);
      expect(load.serverErrors).toEqual([]);
      const lost = await tap.missingTransactions(load.committed);
      recordFigures('process crash', {
        writes: load.committed.length,
        crashes: 1,
        lost: lost.length,
        duplicates: tap.duplicatesSince(before),
        unanswered: load.noAnswer,
      });
      expect(lost).toEqual([]);
    } finally {
      await service.stop();
    }
  });

  it('when PostgreSQL restarts under load, then requests fail cleanly with 503, the service recovers and the relay resumes', async () => {
    const service = await ServiceProcess.start({ DATABASE_URL: database.url });
    try {
      const { customers, before, finish } = await startLoad(service);
      await sleep(1_000);
      // A restart with the server down for two seconds: requests in between must get 503, not 500 or a hang.
      postgresCluster('stop');
      await sleep(2_000);
      postgresCluster('start');
      await pgReady();
      await sleep(2_000);
      const load = await finish();

      // Only 201 and 503 problem details: no 500, no hang.
      for (const status of load.statuses.keys()) expect([201, 503]).toContain(status);
      for (const e of load.serverErrors) {
        expect(e.status).toBe(503);
        expect(JSON.parse(e.body)).toMatchObject({ status: 503, title: expect.any(String) });
      }
      expect(load.noAnswer).toBe(0);
      expect(load.statuses.get(503) ?? 0).toBeGreaterThan(0);
      const ready = await fetch(`${service.url}/health/ready`);
      expect(ready.status).toBe(200);
      // Writes work again and their events flow.
      const after = await earnLoad({
        baseUrl: () => service.url,
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
      recordFigures('database restart', {
        writes: committed.length,
        restarts: 1,
        refused_503: load.statuses.get(503) ?? 0,
        lost: lost.length,
        duplicates: tap.duplicatesSince(before),
      });
      expect(lost).toEqual([]);
    } finally {
      await service.stop();
    }
  });
});
