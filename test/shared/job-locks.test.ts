import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobLock, withJobLock } from '../../src/shared/jobs.js';
import { uniqueOrg } from '../helpers/app.js';
import { useTestApp } from '../helpers/fixtures.js';

const t = useTestApp();

/** The test's own session, holding locks as another instance's run would. */
let holder: pg.Client;
beforeAll(async () => {
  const url = t.config.DATABASE_URL;
  if (!url) throw new Error('the test app runs on PostgreSQL: DATABASE_URL is set');
  holder = new pg.Client({ connectionString: url });
  await holder.connect();
});
afterAll(async () => {
  await holder?.end();
});

const runs = {
  expiry: { url: '/v1/loyalty/expiry-runs', key: JobLock.loyaltyExpiry },
  overdue: { url: '/v1/credit/overdue-runs', key: JobLock.creditOverdue },
} as const;

function manualRun(job: keyof typeof runs, org: string) {
  return t.request({ method: 'POST', url: runs[job].url, org });
}

/** Holds, in the test's session, what a manual run of `job` for `org` holds, until `release`. */
async function holdOrganization(job: keyof typeof runs, org: string): Promise<() => Promise<void>> {
  await holder.query('BEGIN');
  await holder.query('SELECT pg_advisory_xact_lock_shared($1::bigint), pg_advisory_xact_lock($1::int, hashtext($2))', [
    runs[job].key,
    org,
  ]);
  return async () => {
    await holder.query('COMMIT');
  };
}

describe('manual job runs lock per organization and never wait', () => {
  for (const job of ['expiry', 'overdue'] as const) {
    it(`when a ${job} run is in progress for an organization, then another run for it answers 409 job-running at once, and another organization's runs`, async () => {
      const [busy, free] = [uniqueOrg(), uniqueOrg()];
      const release = await holdOrganization(job, busy);
      try {
        const refused = await manualRun(job, busy);
        expect(refused.statusCode, refused.body).toBe(409);
        expect(refused.json().type).toMatch(/\/job-running$/);
        const other = await manualRun(job, free);
        expect(other.statusCode, other.body).toBe(200);
      } finally {
        await release();
      }
      expect((await manualRun(job, busy)).statusCode).toBe(200);
    });

    it(`when a scheduled ${job} run over every organization holds the job, then a manual run answers 409 job-running`, async () => {
      await holder.query('BEGIN');
      try {
        await holder.query('SELECT pg_advisory_xact_lock($1::bigint)', [runs[job].key]);
        const refused = await manualRun(job, uniqueOrg());
        expect(refused.statusCode, refused.body).toBe(409);
        expect(refused.json().type).toMatch(/\/job-running$/);
      } finally {
        await holder.query('COMMIT');
      }
    });
  }

  it('when manual runs hold the job for their organizations, then a scheduled run gives up rather than overlap them', async () => {
    const release = await holdOrganization('expiry', uniqueOrg());
    try {
      expect(await withJobLock(t.db, JobLock.loyaltyExpiry, { wait: false }, async () => 'scheduled')).toBeUndefined();
    } finally {
      await release();
    }
  });
});
