import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../src/auth/auth.js';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/db.js';
import { createPostgresDb } from '../../src/db/postgres.js';
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
 * servers, so this file runs in parallel with the others. Each test checks that the fault was in effect, then,
 * once the service has stopped and the tap has received everything the broker queued for it (`barrier`), that the
 * events delivered are exactly the stored outbox rows (by messageId, none lost, none foreign), and that the
 * duplicates are within what docs/guarantees.md states. Figures go to test-output/guarantees.json.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Deliveries that show the load (and the relay) are running before a fault, and again after it. */
const PROGRESS = 200;

let database: TestDatabase;
/** A direct connection (no proxy) to the service's database: the stored rows and the relay's saved mark. */
let direct: Db;
let tap: DurableTap;
let org: string;
let token: string;

beforeAll(async () => {
  database = await createTestDatabase();
  direct = createPostgresDb(database.url, 2);
  org = uniqueOrg();
  tap = await DurableTap.open('loyalty.points.earned', org);
  token = await signToken(TEST_JWT_SECRET, { org, sub: 'faults' });
});

afterAll(async () => {
  await tap?.close();
  await direct?.close();
  await database?.drop();
});

/** The highest outbox id now (0 before the service made its tables). */
async function lastOutboxId(): Promise<number> {
  const exists = await direct.query<{ t: string | null }>("SELECT to_regclass('outbox')::text AS t");
  if (!exists.rows[0]?.t) return 0;
  return (await direct.query<{ id: number }>('SELECT COALESCE(max(id), 0)::int AS id FROM outbox')).rows[0]?.id ?? 0;
}

/** The relay's saved high-water mark: every row up to it was published (a restarted relay resumes after it). */
async function savedMark(): Promise<number> {
  return (await direct.query<{ id: number }>('SELECT last_id::int AS id FROM outbox_progress')).rows[0]?.id ?? 0;
}

/** The stored loyalty.points.earned rows of the organization after outbox id `after`: messageId → id. */
async function storedSince(after: number): Promise<Map<string, number>> {
  const { rows } = await direct.query<{ id: number; message_id: string }>(
    `SELECT id::int AS id, message_id FROM outbox
      WHERE organization_id = $1 AND event_name = 'loyalty.points.earned' AND id > $2 ORDER BY id`,
    [org, after],
  );
  return new Map(rows.map((r) => [r.message_id, r.id]));
}

/**
 * Stops the service (its relay's pending confirms awaited), then waits until the tap has everything the broker
 * queued for it, and compares what arrived since delivery `from` with the rows stored after outbox id `after`:
 * the same messageIds (nothing lost, nothing that was not stored), and the ids of those that came more than once.
 */
async function delivered(service: ServiceProcess, from: number, after: number) {
  await until(async () => {
    const r = await ready(service);
    return r.status === 200 && (r.body.outbox as { backlog: number }).backlog === 0;
  }, 'the outbox backlog is 0');
  await service.stop();
  await tap.barrier();
  const copies = tap.copiesSince(from);
  const stored = await storedSince(after);
  expect([...copies.keys()].sort()).toEqual([...stored.keys()].sort());
  const duplicated = [...copies].filter(([, n]) => n > 1).map(([id]) => stored.get(id) ?? -1);
  const duplicates = [...copies.values()].reduce((sum, n) => sum + n - 1, 0);
  return { stored, duplicated, duplicates };
}

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

describe('faults under load', { timeout: 120_000 }, () => {
  it('when the broker connection is cut for 4 s under steady writes, then writes keep succeeding and every event arrives', async () => {
    const rig = await startRig();
    try {
      const after = await lastOutboxId();
      const { before, finish } = await startLoad(rig.service);
      await tap.waitForDeliveries(before, PROGRESS);
      const dropped = rig.broker.dropped;
      rig.broker.cut();
      const cutAt = Date.now();
      let during: Record<string, unknown> = {};
      await until(async () => {
        during = (await ready(rig.service)).body;
        return during.broker === 'down';
      }, 'the service reports the broker down');
      await sleep(4_000 - (Date.now() - cutAt));
      // The fault was in effect: the relay's connection was dropped, its reconnects refused, and events held back.
      const held = ((await ready(rig.service)).body.outbox as { backlog: number }).backlog;
      expect(rig.broker.dropped).toBeGreaterThan(dropped);
      expect(rig.broker.refused).toBeGreaterThan(0);
      expect(held).toBeGreaterThan(0);
      // Four seconds without a confirm: the saved mark is the last position the broker confirmed before the cut.
      const markAtCut = await savedMark();
      const seenBeforeRestore = tap.deliveries.length;
      rig.broker.restore();
      await tap.waitForDeliveries(seenBeforeRestore, PROGRESS);
      const load = await finish();

      expect(during).toMatchObject({ database: 'up', broker: 'down' });
      expect(load.noAnswer).toBe(0);
      expect([...load.statuses.keys()]).toEqual([201]);
      const lost = await tap.missingTransactions(load.committed);
      const { stored, duplicated, duplicates } = await delivered(rig.service, before, after);
      recordFigures('broker outage', {
        writes: load.committed.length,
        outages: 1,
        held_back: held,
        refused_connections: rig.broker.refused,
        lost: lost.length,
        duplicates,
      });
      expect(lost).toEqual([]);
      expect(stored.size).toBe(load.committed.length);
      // docs/guarantees.md: duplicates only of the rows in flight (published, not confirmed) when the connection
      // dropped: the RELAY_MAX_IN_FLIGHT rows after the confirmed mark at most, each sent once more.
      const inFlight = loadConfig({ JWT_SECRET: TEST_JWT_SECRET }).RELAY_MAX_IN_FLIGHT;
      for (const id of duplicated) expect(id).toBeGreaterThan(markAtCut);
      for (const id of duplicated) expect(id).toBeLessThanOrEqual(markAtCut + inFlight);
      expect(duplicates).toBe(duplicated.length);
    } finally {
      await rig.close();
    }
  });

  it('when the service is killed with SIGKILL under load and restarted, then every committed event is published', async () => {
    const rig = await startRig();
    try {
      const after = await lastOutboxId();
      const { before, live, finish } = await startLoad(rig.service);
      await tap.waitForDeliveries(before, PROGRESS);
      const killed = rig.service.pid;
      await rig.service.kill();
      // The process is gone: its mark is final; only rows above it can be published twice.
      const markAtCrash = await savedMark();
      const lastAtCrash = await lastOutboxId();
      const unansweredBefore = live.noAnswer;
      await rig.service.spawn();
      const seenAfterRestart = tap.deliveries.length;
      await tap.waitForDeliveries(seenAfterRestart, PROGRESS);
      const load = await finish();

      // The crash was in effect: another process answers, and requests went unanswered while none did.
      expect(rig.service.pid).not.toBe(killed);
      expect(load.noAnswer).toBeGreaterThan(unansweredBefore);
      expect(load.committed.length).toBeGreaterThan(0);
      expect(load.serverErrors).toEqual([]);
      const lost = await tap.missingTransactions(load.committed);
      const { duplicated, duplicates } = await delivered(rig.service, before, after);
      recordFigures('process crash', {
        writes: load.committed.length,
        crashes: 1,
        lost: lost.length,
        duplicates,
        unsaved_at_crash: lastAtCrash - markAtCrash,
        unanswered: load.noAnswer,
      });
      expect(lost).toEqual([]);
      // docs/guarantees.md: duplicates only of rows confirmed after the last saved mark, each sent again once.
      for (const id of duplicated) expect(id).toBeGreaterThan(markAtCrash);
      for (const id of duplicated) expect(id).toBeLessThanOrEqual(lastAtCrash);
      expect(duplicates).toBe(duplicated.length);
    } finally {
      await rig.close();
    }
  });

  it('when the database connection is cut for 2 s under load, then requests fail cleanly with 503, the service recovers and the relay resumes', async () => {
    const rig = await startRig();
    try {
      const after = await lastOutboxId();
      const { customers, before, live, finish } = await startLoad(rig.service);
      await tap.waitForDeliveries(before, PROGRESS);
      // Two seconds with every database connection dropped and refused: requests in between must get 503.
      const dropped = rig.pg.dropped;
      rig.pg.cut();
      const cutAt = Date.now();
      // Read directly (not through the cut proxy): the relay cannot move its mark or read new rows any more.
      const markAtCut = await savedMark();
      const lastAtCut = await lastOutboxId();
      await until(() => (live.statuses.get(503) ?? 0) > 0, 'a request is refused with 503');
      await sleep(2_000 - (Date.now() - cutAt));
      // The fault was in effect: the service's connections were dropped and its reconnects refused.
      expect(rig.pg.dropped).toBeGreaterThan(dropped);
      expect(rig.pg.refused).toBeGreaterThan(0);
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
      const again = await earnLoad({
        baseUrl: () => rig.service.url,
        token,
        customers,
        until: (() => {
          const end = Date.now() + 500;
          return () => Date.now() > end;
        })(),
      });
      expect([...again.statuses.keys()]).toEqual([201]);
      const committed = [...load.committed, ...again.committed];
      const lost = await tap.missingTransactions(committed);
      const { stored, duplicated, duplicates } = await delivered(rig.service, before, after);
      recordFigures('database cut', {
        writes: committed.length,
        cuts: 1,
        refused_503: load.statuses.get(503) ?? 0,
        refused_connections: rig.pg.refused,
        lost: lost.length,
        duplicates,
      });
      expect(lost).toEqual([]);
      // A write whose commit's answer the cut lost is stored but was answered 503: stored ≥ committed.
      expect(stored.size).toBeGreaterThanOrEqual(committed.length);
      // docs/guarantees.md: duplicates only of rows in flight when the relay lost its session, so above the saved
      // mark and among the rows stored at the cut, each sent once more.
      for (const id of duplicated) expect(id).toBeGreaterThan(markAtCut);
      for (const id of duplicated) expect(id).toBeLessThanOrEqual(lastAtCut);
      expect(duplicates).toBe(duplicated.length);
    } finally {
      await rig.close();
    }
  });
});
