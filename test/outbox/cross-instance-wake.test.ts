import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createPostgresDb } from '../../src/db/postgres.js';
import { uniqueEmail } from '../helpers/customers.js';
import { useEventTap, useTestApp } from '../helpers/fixtures.js';

/*
 * Two instances of the service on one PostgreSQL database: only one relay leads (an advisory lock). A write on the
 * instance that stands by wakes the leader through NOTIFY on `customer_outbox` (src/outbox/leadership.ts, waker.ts),
 * so its event goes out at once. Both poll only every 60 s (RELAY_POLL_MS, its maximum), and the test waits 20 s
 * at most for each event: only the wake-up can deliver it in time. PostgreSQL only (PGlite is one process).
 */

const POLL_MS = '60000';
const tap = useEventTap('customer.*');
/** Instance B: started first, so its relay takes the lead. */
const b = useTestApp({ env: { RELAY_POLL_MS: POLL_MS } });
const closing: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closing.reverse()) await close();
});

/** Instance A: the same service on the same database, with its own pool and its own relay (standing by). */
async function startInstanceA(): Promise<FastifyInstance> {
  const url = b.config.DATABASE_URL;
  if (url === undefined) throw new Error('the test app runs on PostgreSQL');
  const db = createPostgresDb(url, 4);
  closing.push(() => db.close());
  const app = await buildApp({ config: b.config, db });
  await app.ready();
  closing.push(() => app.close());
  return app;
}

async function published(app: FastifyInstance): Promise<number> {
  const metric = await app.metrics.eventsPublished.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}

describe('cross-instance wake-up', () => {
  it('when instance A, whose relay stands by, commits a write, then the leader B publishes it at once (woken by NOTIFY, not by its 60 s poll)', async () => {
    expect(b.config.RELAY_POLL_MS).toBe(60_000);
    await expect.poll(() => b.app.relay.status().leader, { timeout: 10_000 }).toBe(true);
    const a = await startInstanceA();
    expect(a.relay.status().leader).toBe(false);
    const token = await b.token();

    for (let i = 0; i < 3; i++) {
      const res = await a.inject({
        method: 'POST',
        url: '/v1/customers',
        headers: { authorization: `Bearer ${token}` },
        payload: { customer_type: 'b2c', name: `Desde A ${i}`, email: uniqueEmail('wake') },
      });
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json().customer_id;
      const mine = (e: { body: { organization_id: string; data: Record<string, unknown> } }) =>
        e.body.organization_id === b.org && e.body.data.customer_id === id;
      await tap.waitUntil((events) => events.some(mine), 20_000);
    }

    expect(a.relay.status().leader).toBe(false);
    // B counts a publish when the broker confirms it, which may reach B just after the tap got the message.
    await expect.poll(() => published(b.app), { timeout: 5_000 }).toBe(3);
    expect(await published(a)).toBe(0);
  });
});
