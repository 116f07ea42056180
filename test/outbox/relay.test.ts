import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createPostgresDb } from '../../src/db/postgres.js';
import { type Backend, startTestApp, TEST_JWT_SECRET, type TestApp } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/database.js';
import { AMQP_URL, EventTap } from '../helpers/events.js';
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
      const events = await tap.waitForOrg(t.org, 25, undefined, 20_000);
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
  it('when two instances write concurrently, then one relay is active and each customer keeps its order', async () => {
    const database = await createTestDatabase();
    const env = {
      JWT_SECRET: TEST_JWT_SECRET,
      DATABASE_URL: database.url,
      AMQP_URL,
      LOG_LEVEL: 'silent',
      RELAY_POLL_MS: '50',
    };
    const dbA = createPostgresDb(database.url, 10);
    const dbB = createPostgresDb(database.url, 10);
    const a = await buildApp({ config: loadConfig(env), db: dbA });
    await a.ready();
    const b = await buildApp({ config: loadConfig(env), db: dbB });
    await b.ready();
    const t = await startTestApp({ relay: false });
    const org = t.org;
    const token = await t.token();
    const headers = { authorization: `Bearer ${token}` };
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
        ids.push(res.json().customer_id);
      }
      // Ten customers updated in parallel, each one's versions alternating between the two instances.
      await Promise.all(
        ids.map(async (id) => {
          for (let v = 1; v <= 8; v++) {
            const app = v % 2 ? a : b;
            const res = await app.inject({
              method: 'PATCH',
              url: `/v1/customers/${id}`,
              headers,
              payload: { name: `v${v}` },
            });
            expect(res.statusCode).toBe(200);
          }
        }),
      );
      const events = await tap.waitForOrg(org, 80, 'customer.updated', 20_000);
      for (const id of ids) {
        const names = events
          .filter((e) => e.body.data.customer_id === id)
          .map((e) => (e.body.data.changes as { name: string }).name);
        expect(names).toEqual(['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8']);
      }
      await tap.settle(300);
      expect(new Set(tap.forOrg(org).map((e) => e.properties.messageId)).size).toBe(tap.forOrg(org).length);

      // The active relay goes away: the other instance takes over and publishes what is committed next.
      const [leader, standby] = a.relay.status().leader ? [a, b] : [b, a];
      await leader.close();
      await expect.poll(() => standby.relay.status().leader, { timeout: 10_000 }).toBe(true);
      const res = await standby.inject({
        method: 'PATCH',
        url: `/v1/customers/${ids[0]}`,
        headers,
        payload: { name: 'v9' },
      });
      expect(res.statusCode).toBe(200);
      await tap.waitForOrg(org, 81, 'customer.updated', 10_000);
    } finally {
      await Promise.allSettled([a.close(), b.close()]);
      await Promise.allSettled([dbA.close(), dbB.close()]);
      await t.close();
      await database.drop();
    }
  });
});
