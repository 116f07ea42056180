import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { signToken } from '../../src/auth/auth.js';
import { loadConfig } from '../../src/config.js';
import { createPostgresDb } from '../../src/db/postgres.js';
import { RELAY_LOCK_KEY } from '../../src/outbox/leadership.js';
import { type Backend, startTestApp, TEST_JWT_SECRET, type TestApp, uniqueOrg } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/database.js';
import { AMQP_URL, EventTap, ofOrg } from '../helpers/events.js';
import { outboxRowsOf } from '../helpers/stored-rows.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

let tap: EventTap;
beforeAll(async () => {
  tap = await EventTap.open('customer.*');
});
afterAll(async () => {
  await tap?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function createCustomers(t: TestApp, count: number, tag: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await t.request({
      method: 'POST',
      url: '/v1/customers',
      payload: { customer_type: 'b2c', name: `${tag} ${i}`, email: `${tag}.${i}.${Date.now()}@example.com` },
    });
    expect(res.statusCode).toBe(201);
    ids.push(res.json().customer_id);
  }
  return ids;
}

describe.each<Backend>(['postgres', 'pglite'])('outbox relay on %s', (backend) => {
  it('when the broker is unreachable, then writes still succeed, /health/ready reports the backlog, and every event arrives once it is back', async () => {
    const proxy = await TcpProxy.start(5672);
    const t = await startTestApp({
      backend,
      env: { AMQP_URL: AMQP_URL.replace(':5672', `:${proxy.port}`) },
    });
    try {
      const before = await createCustomers(t, 5, `before-${backend}`);
      await tap.waitForOrg(t.org, 5);

      proxy.cut();
      const during = await createCustomers(t, 20, `during-${backend}`);
      await sleep(200);
      const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({ database: 'up', broker: 'down' });
      expect(ready.json().outbox.backlog).toBeGreaterThanOrEqual(1);

      proxy.restore();
      const events = await tap.waitForDistinct(ofOrg(t.org), (e) => e.properties.messageId, 25, 20_000);
      const ids = new Set(events.map((e) => e.body.data.customer_id));
      for (const id of [...before, ...during]) expect(ids.has(id)).toBe(true);
      const messageIds = events.map((e) => e.properties.messageId);
      const unique = new Set(messageIds);
      expect(unique.size).toBe(25);
      // at-least-once: duplicates are allowed but must be rare
      expect(messageIds.length - unique.size).toBeLessThanOrEqual(5);

      await tap.waitUntil(() => true);
      const after = await t.app.inject({ method: 'GET', url: '/health/ready' });
      await expect
        .poll(async () => (await t.app.inject({ method: 'GET', url: '/health/ready' })).json().outbox.backlog, {
          timeout: 5_000,
        })
        .toBe(0);
      expect(after.json().broker).toBe('up');
      const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/outbox_broker_reconnects_total [1-9]/);
    } finally {
      await t.close();
      await proxy.close();
    }
  });

  it('when a customer is changed many times, then its events arrive in commit order', async () => {
    const t = await startTestApp({ backend });
    try {
      const [id] = await createCustomers(t, 1, `order-${backend}`);
      for (let v = 1; v <= 15; v++) {
        const res = await t.request({ method: 'PATCH', url: `/v1/customers/${id}`, payload: { name: `v${v}` } });
        expect(res.statusCode).toBe(200);
      }
      const events = await tap.waitForOrg(t.org, 15, 'customer.updated');
      expect(events.map((e) => (e.body.data.changes as { name: string }).name)).toEqual(
        Array.from({ length: 15 }, (_, i) => `v${i + 1}`),
      );
    } finally {
      await t.close();
    }
  });
});

describe('several instances on one database', () => {
  it("when two instances write concurrently, then one relay is active and each customer keeps its order; when the leader's database connections die, the other takes over and every stored event arrives exactly once", async () => {
    const database = await createTestDatabase();
    const pgPort = Number(new URL(database.url).port || 5432);
    // Each instance reaches PostgreSQL through its own proxy: cutting one kills that instance's sessions (the
    // relay's lock session among them) as a network failure would, and keeps it from taking the lock again.
    const proxies = [await TcpProxy.start(pgPort), await TcpProxy.start(pgPort)] as const;
    const dbs = [
      createPostgresDb(proxies[0].url(database.url), 10),
      createPostgresDb(proxies[1].url(database.url), 10),
    ] as const;
    const instance = async (i: 0 | 1) => {
      const url = proxies[i].url(database.url);
      const env = {
        JWT_SECRET: TEST_JWT_SECRET,
        DATABASE_URL: url,
        AMQP_URL,
        LOG_LEVEL: 'silent',
        RELAY_POLL_MS: '50',
      };
      const app = await buildApp({ config: loadConfig(env), db: dbs[i] });
      await app.ready();
      return app;
    };
    const a = await instance(0);
    const b = await instance(1);
    const direct = createPostgresDb(database.url, 2);
    const org = uniqueOrg();
    const headers = { authorization: `Bearer ${await signToken(TEST_JWT_SECRET, { org, sub: 'relay-test' })}` };
    const patch = (app: FastifyInstance, id: string, name: string) =>
      app.inject({ method: 'PATCH', url: `/v1/customers/${id}`, headers, payload: { name } });
    const namesOf = (id: string) =>
      tap
        .forOrg(org, 'customer.updated')
        .filter((e) => e.body.data.customer_id === id)
        .map((e) => (e.body.data.changes as { name: string }).name);
    try {
      await expect.poll(() => [a.relay.status().leader, b.relay.status().leader].filter(Boolean).length).toBe(1);
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await a.inject({
          method: 'POST',
          url: '/v1/customers',
          headers,
          payload: { customer_type: 'b2c', name: 'v0', email: `multi${i}.${Date.now()}@example.com` },
        });
        expect(res.statusCode).toBe(201);
        ids.push(res.json().customer_id);
      }
      // Ten customers updated in parallel, each one's versions alternating between the two instances.
      await Promise.all(
        ids.map(async (id) => {
          for (let v = 1; v <= 8; v++) expect((await patch(v % 2 ? a : b, id, `v${v}`)).statusCode).toBe(200);
        }),
      );
      await tap.waitForOrg(org, 80, 'customer.updated', 20_000);
      for (const id of ids) expect(namesOf(id)).toEqual(['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']);

      // The leader's mark covers every stored row: what it published is saved, so a successor resends nothing.
      const mark = async () =>
        (
          await direct.query<{ behind: number }>(
            'SELECT (SELECT count(*)::int FROM outbox WHERE id > (SELECT last_id FROM outbox_progress)) AS behind',
          )
        ).rows[0]?.behind;
      await expect.poll(mark, { timeout: 10_000 }).toBe(0);

      const leaderIndex = a.relay.status().leader ? 0 : 1;
      const [leader, standby] = leaderIndex === 0 ? [a, b] : [b, a];
      const leaderProxy = proxies[leaderIndex];
      const lockHolder = () =>
        direct.query<{ pid: number }>(
          `SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.oid = l.database
            WHERE l.locktype = 'advisory' AND l.objid = $1 AND l.granted AND d.datname = $2`,
          [RELAY_LOCK_KEY, database.name],
        );
      const [before] = (await lockHolder()).rows;
      expect(before).toBeDefined();
      expect(leaderProxy.connections).toBeGreaterThan(0);

      // The leader's database connections are cut (and refused from now on): its lock session is dead.
      leaderProxy.cut();
      expect(leaderProxy.connections).toBe(0);
      await expect.poll(() => leader.relay.status().leader, { timeout: 10_000 }).toBe(false);
      await expect.poll(() => standby.relay.status().leader, { timeout: 15_000 }).toBe(true);
      const [after] = (await lockHolder()).rows;
      expect(after?.pid).toBeDefined();
      expect(after?.pid).not.toBe(before?.pid);
      // Written while the old leader is cut off: only the new one can publish them.
      for (const id of ids) expect((await patch(standby, id, 'v9')).statusCode).toBe(200);

      // The old leader gets its database back: it stands by, and what it writes the new leader publishes.
      leaderProxy.restore();
      await expect
        .poll(async () => (await leader.inject({ method: 'GET', url: '/health/ready' })).json().database, {
          timeout: 15_000,
        })
        .toBe('up');
      for (const id of ids) expect((await patch(leader, id, 'v10')).statusCode).toBe(200);
      expect(leader.relay.status().leader).toBe(false);
      expect(standby.relay.status().leader).toBe(true);

      // Exactly the stored events arrive: every outbox row of the organization, each once, and nothing else.
      const stored = (await outboxRowsOf(direct, org)).map((r) => r.message_id);
      expect(stored).toHaveLength(10 + 80 + 10 + 10);
      await tap.waitUntil(() => {
        const seen = new Set(tap.forOrg(org).map((e) => e.properties.messageId));
        return stored.every((id) => seen.has(id));
      }, 20_000);
      await Promise.all([a.close(), b.close()]); // relays stopped, their confirms awaited
      await tap.barrier(); // and every message the broker queued for the tap before now has been received
      const arrived = tap.forOrg(org).map((e) => String(e.properties.messageId));
      expect(arrived.sort()).toEqual([...stored].sort());
      for (const id of ids)
        expect(namesOf(id)).toEqual([...Array.from({ length: 8 }, (_, i) => `v${i + 1}`), 'v9', 'v10']);
    } finally {
      await Promise.allSettled([a.close(), b.close()]);
      await Promise.allSettled([...dbs.map((d) => d.close()), direct.close()]);
      await Promise.allSettled(proxies.map((p) => p.close()));
      await database.drop();
    }
  });
});
