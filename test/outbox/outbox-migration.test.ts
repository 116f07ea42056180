import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { signToken } from '../../src/auth/auth.js';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/db.js';
import { loadMigrations, migrate } from '../../src/db/migrate.js';
import { createPgliteDb } from '../../src/db/pglite.js';
import { createPostgresDb } from '../../src/db/postgres.js';
import { assertValidEvent, envelope } from '../../src/outbox/events.js';
import { type Backend, TEST_JWT_SECRET, uniqueOrg } from '../helpers/app.js';
import { uniqueEmail } from '../helpers/customers.js';
import { createTestDatabase } from '../helpers/database.js';
import { AMQP_URL } from '../helpers/events.js';
import { useEventTap } from '../helpers/fixtures.js';
import { markOf, outboxOf } from '../helpers/stored-rows-c.js';

/*
 * Migration 0003 (append-only outbox) on a database an older release populated: migrated to 0002, with customers
 * and outbox rows both sent (sent_at set) and unsent, then the service starts on it and applies the rest. Nothing
 * is lost, nothing sent is sent again, the unsent rows go out in their order with their message ids.
 */

const tap = useEventTap('customer.*');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function open(backend: Backend): Promise<Db> {
  if (backend === 'pglite') {
    const db = await createPgliteDb(undefined);
    cleanups.push(() => db.close());
    return db;
  }
  const database = await createTestDatabase();
  const db = createPostgresDb(database.url, 4);
  cleanups.push(async () => {
    await db.close();
    await database.drop();
  });
  return db;
}

interface OldCustomer {
  id: string;
  email: string;
}
interface OldRow {
  messageId: string;
  customerId: string;
  sent: boolean;
}

/** What a release at migration 0002 stored: customers, and a customer.created row for each (sent or not). */
async function populateAt0002(
  db: Db,
  org: string,
  sent: boolean[],
): Promise<{ customers: OldCustomer[]; rows: OldRow[] }> {
  const customers: OldCustomer[] = [];
  const rows: OldRow[] = [];
  // An hour ago: well inside the outbox retention, so the relay's purge keeps the sent rows.
  const at = new Date(Date.now() - 3_600_000);
  for (const [i, isSent] of sent.entries()) {
    const customer = { id: `cust_old${i}_${randomUUID().slice(0, 8)}`, email: uniqueEmail('old') };
    await db.query(
      `INSERT INTO customers (organization_id, customer_id, customer_type, name, email, created_at, updated_at)
       VALUES ($1, $2, 'b2c', $3, $4, $5, $5)`,
      [org, customer.id, `Cliente antiguo ${i}`, customer.email, at],
    );
    const event = envelope(
      'customer.created',
      org,
      {
        customer_id: customer.id,
        customer_type: 'b2c',
        email: customer.email,
        phone: null,
        loyalty_account_created: false,
      },
      at,
    );
    assertValidEvent(event);
    const row = { messageId: randomUUID(), customerId: customer.id, sent: isSent };
    await db.query(
      `INSERT INTO outbox (message_id, organization_id, customer_id, event_name, payload, created_at, sent_at)
       VALUES ($1, $2, $3, 'customer.created', $4, $5, $6)`,
      [row.messageId, org, customer.id, JSON.stringify(event), at, isSent ? at : null],
    );
    customers.push(customer);
    rows.push(row);
  }
  return { customers, rows };
}

async function startServiceOn(db: Db): Promise<FastifyInstance> {
  const config = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, AMQP_URL, LOG_LEVEL: 'silent', RELAY_POLL_MS: '50' });
  const app = await buildApp({ config, db });
  await app.ready();
  cleanups.push(() => app.close());
  return app;
}

describe.each<Backend>(['postgres', 'pglite'])('migration 0003 on a populated database (%s)', (backend) => {
  it('when a database at 0002 with sent and unsent outbox rows is upgraded, then customers and rows are kept, the sent rows are below the mark, and the relay publishes exactly the unsent ones in order', async () => {
    const db = await open(backend);
    expect(await migrate(db, { through: '0002_lean_indexes' })).toEqual(['0001_init', '0002_lean_indexes']);
    const org = uniqueOrg();
    const { customers, rows } = await populateAt0002(db, org, [true, false, true, false, false, true]);
    const unsent = rows.filter((r) => !r.sent).map((r) => r.messageId);
    const sent = rows.filter((r) => r.sent).map((r) => r.messageId);

    const app = await startServiceOn(db);

    const versions = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.rows.map((r) => r.version)).toEqual(loadMigrations().map((m) => m.version));

    // Every customer is still there, readable through the API.
    const token = await signToken(TEST_JWT_SECRET, { org, sub: 'user_test', roles: [] });
    for (const c of customers) {
      const res = await app.inject({
        method: 'GET',
        url: `/v1/customers/${c.id}`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ customer_id: c.id, email: c.email, customer_type: 'b2c' });
    }

    // Exactly the unsent rows are published, in their order and with their message ids; no sent row again.
    const isOld = (e: { body: { organization_id: string } }) => e.body.organization_id === org;
    const published = await tap.expectExactly(isOld, unsent.length, 500);
    expect(published.map((e) => e.properties.messageId)).toEqual(unsent);
    expect(published.map((e) => e.body.data.customer_id)).toEqual(rows.filter((r) => !r.sent).map((r) => r.customerId));

    // Every row was kept, with its message id; the sent ones at or below the mark, the unsent ones above it, in order.
    const stored = await outboxOf(db, org);
    expect(new Set(stored.map((r) => r.message_id))).toEqual(new Set(rows.map((r) => r.messageId)));
    const ids = new Map(stored.map((r) => [r.message_id, r.id]));
    const lastOld = Math.max(...rows.map((r) => ids.get(r.messageId) ?? Number.NaN));
    const sentIds = sent.map((m) => ids.get(m) ?? Number.NaN);
    const unsentIds = unsent.map((m) => ids.get(m) ?? Number.NaN);
    const firstUnsent = Math.min(...unsentIds);
    for (const id of sentIds) expect(id).toBeLessThan(firstUnsent);
    expect(unsentIds).toEqual([...unsentIds].sort((a, b) => a - b));
    await expect.poll(() => markOf(db), { timeout: 5_000 }).toBe(lastOld);

    // A write after the upgrade is published too, after the moved rows.
    const created = await app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: { authorization: `Bearer ${token}` },
      payload: { customer_type: 'b2c', name: 'Cliente nuevo', email: uniqueEmail('new') },
    });
    expect(created.statusCode, created.body).toBe(201);
    const [fresh] = await tap.expectExactly(
      (e) => isOld(e) && e.body.data.customer_id === created.json().customer_id,
      1,
    );
    const freshRow = (await outboxOf(db, org)).find((r) => r.message_id === fresh?.properties.messageId);
    expect(freshRow?.id).toBeGreaterThan(lastOld);
  }, 120_000); // PGlite opens, migrates and starts the service inside the test: over 20 s on a loaded machine
});
