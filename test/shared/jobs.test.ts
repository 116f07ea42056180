import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { createPostgresDb } from '../../src/db/postgres.js';
import { withJobLock } from '../../src/shared/jobs.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const KEY = 424_242;

describe('background jobs run on one instance at a time', () => {
  let database: TestDatabase;
  let a: Db;
  let b: Db;

  beforeAll(async () => {
    database = await createTestDatabase();
    // Two pools: two instances of the service sharing one database.
    a = createPostgresDb(database.url, 2);
    b = createPostgresDb(database.url, 2);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('when another instance holds the job, then a scheduled run gives up and a manual run waits its turn', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const holding = new Promise<void>((resolve) => {
      started = resolve;
    });
    const first = withJobLock(a, KEY, { wait: true }, async () => {
      started();
      await held;
      return 'first';
    });
    await holding;

    expect(await withJobLock(b, KEY, { wait: false }, async () => 'scheduled')).toBeUndefined();

    const order: string[] = [];
    const manual = withJobLock(b, KEY, { wait: true }, async () => {
      order.push('manual');
      return 'manual';
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(order, 'the manual run must wait while the first run holds the lock').toEqual([]);
    order.push('first done');
    release();
    expect(await first).toBe('first');
    expect(await manual).toBe('manual');
    expect(order).toEqual(['first done', 'manual']);
  });

  it('when a run throws, then its lock is released with its transaction', async () => {
    await expect(withJobLock(a, KEY, { wait: true }, async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(await withJobLock(b, KEY, { wait: false }, async () => 'ran')).toBe('ran');
  });
});
