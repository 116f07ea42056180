import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { appWith } from '../helpers/app.js';
import { useEventTap, useTestApp } from '../helpers/fixtures.js';
import {
  arrived,
  clockPlus,
  creditAccount,
  creditCustomer,
  newOrg,
  type OrgClient,
  stored,
  use,
} from './lifecycle.fixtures.js';

const tap = useEventTap('credit.#');
const t = useTestApp();
const apps: FastifyInstance[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

/** A manual overdue run of `c.org`, tried again while a scheduled run holds the job's lock (409 job-running). */
async function manualRun(c: OrgClient, app: FastifyInstance) {
  for (let attempt = 1; ; attempt++) {
    const res = await c.call('POST', '/v1/credit/overdue-runs', undefined, { app });
    if (res.statusCode !== 409 || attempt >= 100) {
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the scheduled overdue run', () => {
  it('when two instances run the job every second with a clock past the due dates, then every organization is covered and each usage is announced once', async () => {
    const a = newOrg(t);
    const b = newOrg(t);
    const ida = await creditCustomer(t, a);
    const idb = await creditCustomer(t, b);
    await use(a, ida, 10);
    await use(b, idb, 20);
    await use(b, idb, 30);
    for (let i = 0; i < 2; i++) {
      apps.push(await appWith(t, { clock: clockPlus(31), config: { CREDIT_OVERDUE_INTERVAL_SECONDS: 1 } }));
    }
    await arrived(tap, a, ida, 1, 'credit.hold.placed');
    const [overdue] = await arrived(tap, b, idb, 1, 'credit.hold.placed').then(() =>
      arrived(tap, b, idb, 2, 'credit.overdue'),
    );
    expect(overdue?.body.data).toMatchObject({ days_overdue: 1 });
    // One more run after the scheduled ones: it finds nothing left to announce, and each usage was stored as overdue
    // once, whichever instance ran first.
    const [instance] = apps;
    if (!instance) throw new Error('no instance');
    expect(await manualRun(a, instance)).toMatchObject({ usages_overdue: 0, accounts_held: 0 });
    expect(await manualRun(b, instance)).toMatchObject({ usages_overdue: 0, accounts_held: 0 });
    expect(await stored(t, a, ida, 'credit.overdue', 'credit.hold.placed')).toEqual([
      'credit.overdue',
      'credit.hold.placed',
    ]);
    expect(await stored(t, b, idb, 'credit.overdue', 'credit.hold.placed')).toEqual([
      'credit.overdue',
      'credit.overdue',
      'credit.hold.placed',
    ]);
    expect(await creditAccount(a, ida)).toMatchObject({ status: 'on_hold', hold_reason: 'overdue' });
    expect(await creditAccount(b, idb)).toMatchObject({ status: 'on_hold', hold_reason: 'overdue' });
  });
});
