import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { appWith } from '../helpers/app.js';
import { useEventTap, useTestApp } from '../helpers/fixtures.js';
import { about, clockPlus, creditAccount, creditCustomer, newOrg, use } from './lifecycle.fixtures.js';

const tap = useEventTap('credit.#');
const t = useTestApp();
const apps: FastifyInstance[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

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
    await tap.expectExactly(about(ida, 'credit.overdue'), 1, 2500);
    await tap.expectExactly(about(idb, 'credit.overdue'), 2, 2500);
    await tap.expectExactly(about(ida, 'credit.hold.placed'), 1);
    await tap.expectExactly(about(idb, 'credit.hold.placed'), 1);
    expect(tap.received.find(about(idb, 'credit.overdue'))?.body.data).toMatchObject({ days_overdue: 1 });
    expect(await creditAccount(a, ida)).toMatchObject({ status: 'on_hold', hold_reason: 'overdue' });
    expect(await creditAccount(b, idb)).toMatchObject({ status: 'on_hold', hold_reason: 'overdue' });
  });
});
