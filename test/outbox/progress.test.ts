import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { createPgliteDb } from '../../src/db/pglite.js';
import { backlog, loadMark, probeXid, purgeSent, readAfter, saveMark } from '../../src/outbox/outbox.repository.js';
import { GAP_PROBE_AFTER_MS, Horizon } from '../../src/outbox/progress.js';
import { useMigratedDatabase } from '../helpers/fixtures.js';

const insert = `INSERT INTO outbox (message_id, organization_id, customer_id, event_name, payload)
                VALUES ($1, 'org_p', 'c1', 'customer.created', '{}') RETURNING id`;

const { database, db } = useMigratedDatabase();

async function client(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: database.url });
  await c.connect();
  return c;
}

/**
 * Reads after `cursor` as the relay does (probing when a gap stays open), `times` times, `GAP_PROBE_AFTER_MS`
 * apart, and returns the ids the horizon lets out.
 */
async function publishable(horizon: Horizon, cursor: number, times = 3): Promise<number[]> {
  let ids: number[] = [];
  for (let i = 0; i < times; i++) {
    const { rows, horizon: sample } = await readAfter(db, cursor, 100);
    horizon.observe(sample);
    ids = horizon.publishable(cursor, rows).map((r) => r.id);
    if (horizon.probeDue) horizon.probed(await probeXid(db));
    await new Promise((r) => setTimeout(r, GAP_PROBE_AFTER_MS + 1));
  }
  return ids;
}

describe('progress on PostgreSQL', () => {
  it('when a transaction commits late, after later ids committed, then its row is never skipped and goes out first', async () => {
    const cursor = (await db.query<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM outbox')).rows[0]?.id ?? 0;
    const [late, early] = [await client(), await client()];
    try {
      // `early` takes its xid first; `late` takes the lower outbox id; `early` commits while `late` is in flight.
      await early.query('BEGIN');
      await early.query('SELECT pg_current_xact_id()');
      await late.query('BEGIN');
      const lateId = (await late.query(insert, [randomUUID()])).rows[0].id;
      const earlyId = (await early.query(insert, [randomUUID()])).rows[0].id;
      await early.query('COMMIT');
      expect(Number(earlyId)).toBeGreaterThan(Number(lateId));

      const horizon = new Horizon(false);
      expect(await publishable(horizon, cursor, 5)).toEqual([]);
      await late.query('COMMIT');
      expect(await publishable(horizon, cursor, 1)).toEqual([Number(lateId), Number(earlyId)]);
    } finally {
      await Promise.all([late.end(), early.end()]);
    }
  });

  it('when a transaction that took an id rolls back, then the ids after it go out once older transactions end', async () => {
    const cursor = (await db.query<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM outbox')).rows[0]?.id ?? 0;
    const [gone, kept] = [await client(), await client()];
    try {
      await gone.query('BEGIN');
      await gone.query(insert, [randomUUID()]);
      const keptId = Number((await kept.query(insert, [randomUUID()])).rows[0].id);
      const horizon = new Horizon(false);
      expect(await publishable(horizon, cursor, 3)).toEqual([]);
      await gone.query('ROLLBACK');
      // xmin is the cluster's: other databases' transactions on the shared server can hold it back a little.
      await expect.poll(() => publishable(horizon, cursor, 1), { timeout: 5_000, interval: 1 }).toEqual([keptId]);
    } finally {
      await Promise.all([gone.end(), kept.end()]);
    }
  });

  it('when the mark is saved, then it only moves forward, the backlog counts the rows above it and purge keeps them', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push(Number((await db.query<{ id: number }>(insert, [randomUUID()])).rows[0]?.id));
    const [a, b, c] = ids as [number, number, number];
    await saveMark(db, b);
    await saveMark(db, a);
    expect(await loadMark(db)).toBe(b);
    expect((await backlog(db)).count).toBe(1);
    // Retention 0: every published row is old enough; the row above the mark stays.
    while ((await purgeSent(db, 0, 2)) > 0);
    const left = await db.query<{ id: number }>('SELECT id FROM outbox ORDER BY id');
    expect(left.rows.map((r) => r.id)).toEqual([c]);
  });
});

it('when PGlite serialises transactions, then every id read is final at once (no gap waits)', async () => {
  const lite = await createPgliteDb(undefined);
  try {
    await migrate(lite);
    await lite
      .transaction(async (tx) => {
        await tx.query(insert, [randomUUID()]);
        throw new Error('roll back');
      })
      .catch(() => {});
    const id = Number((await lite.query<{ id: number }>(insert, [randomUUID()])).rows[0]?.id);
    const horizon = new Horizon(true);
    const { rows, horizon: sample } = await readAfter(lite, 0, 10);
    horizon.observe(sample);
    expect(horizon.publishable(0, rows).map((r) => r.id)).toEqual([id]);
  } finally {
    await lite.close();
  }
});
