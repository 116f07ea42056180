import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { SentPurge } from '../../src/outbox/sent-purge.js';
import { startTestApp, uniqueOrg } from '../helpers/app.js';
import { createCustomer, useMigratedDatabase } from '../helpers/fixtures.js';
import { ageRow, insertOutboxRow, markOf, outboxOf, setMark } from '../helpers/stored-rows-c.js';

/*
 * Published outbox rows (ids up to the relay's mark) are deleted once older than the retention:
 * OUTBOX_RETENTION_HOURS when set, otherwise OUTBOX_RETENTION_DAYS × 24 (default 30 days). Rows above the mark
 * (not yet published) are never deleted, however old.
 */

const log = pino({ level: 'silent' });
const { db } = useMigratedDatabase();
const HOUR = 1;
const DAY = 24 * HOUR;

/** The purge the relay runs, with the retention `env` configures. */
function purgeWith(env: Record<string, string>): SentPurge {
  return new SentPurge(loadConfig(env).OUTBOX_RETENTION_HOURS, log);
}

/**
 * Rows of a fresh organization: `published` rows of the given ages (then the mark is moved past them), then
 * `unsent` rows of the given ages above the mark. Returns their ids, in the same order.
 */
async function rows(published: number[], unsent: number[]) {
  const org = uniqueOrg();
  const sent: number[] = [];
  for (const hours of published) sent.push(await insertOutboxRow(db, org, hours));
  await setMark(db, Math.max(...sent));
  const pending: number[] = [];
  for (const hours of unsent) pending.push(await insertOutboxRow(db, org, hours));
  const left = async () => (await outboxOf(db, org)).map((r) => r.id);
  return { org, sent, pending, left };
}

describe('outbox retention', () => {
  it('when OUTBOX_RETENTION_DAYS is 2, then published rows older than 48 hours are deleted, younger ones kept, and unsent rows never', async () => {
    const { sent, pending, left } = await rows([49 * HOUR, 47 * HOUR, 0], [1000 * DAY, 0]);

    await purgeWith({ OUTBOX_RETENTION_DAYS: '2' }).maybeRun(db);

    expect(await left()).toEqual([sent[1], sent[2], pending[0], pending[1]]);
  });

  it('when OUTBOX_RETENTION_HOURS is 6, then it overrides OUTBOX_RETENTION_DAYS: rows older than 6 hours are deleted', async () => {
    const { sent, pending, left } = await rows([7 * HOUR, 5 * HOUR], [100 * DAY]);

    await purgeWith({ OUTBOX_RETENTION_DAYS: '30', OUTBOX_RETENTION_HOURS: '6' }).maybeRun(db);

    expect(await left()).toEqual([sent[1], pending[0]]);
  });

  it('when no retention is set, then published rows are kept 30 days', async () => {
    const { sent, pending, left } = await rows([31 * DAY, 29 * DAY], [31 * DAY]);

    await purgeWith({}).maybeRun(db);

    expect(await left()).toEqual([sent[1], pending[0]]);
  });

  it('when OUTBOX_RETENTION_DAYS is 0, then every published row is deleted and every unsent row kept', async () => {
    const { pending, left } = await rows([0, 0, 0], [0, 0]);

    await purgeWith({ OUTBOX_RETENTION_DAYS: '0' }).maybeRun(db);

    expect(await left()).toEqual(pending);
  });

  it('when the relay of a service with OUTBOX_RETENTION_HOURS=36 is caught up, then it deletes the published rows older than 36 hours and keeps the rest', async () => {
    const t = await startTestApp({ relay: false, env: { OUTBOX_RETENTION_HOURS: '36', OUTBOX_RETENTION_DAYS: '1' } });
    try {
      for (let i = 0; i < 3; i++) await createCustomer(t);
      const [old, younger, fresh] = (await outboxOf(t.db, t.org)).map((r) => r.id);
      if (old === undefined || younger === undefined || fresh === undefined) throw new Error('three rows expected');
      await ageRow(t.db, old, 37 * HOUR);
      await ageRow(t.db, younger, 35 * HOUR);
      // Published by an earlier run of the relay: the mark covers all three.
      await setMark(t.db, fresh);

      t.app.relay.start();

      await expect
        .poll(async () => (await outboxOf(t.db, t.org)).map((r) => r.id), { timeout: 10_000 })
        .not.toContain(old);
      expect((await outboxOf(t.db, t.org)).map((r) => r.id)).toEqual([younger, fresh]);
      expect(await markOf(t.db)).toBe(fresh);
    } finally {
      await t.close();
    }
  });
});
