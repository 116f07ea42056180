import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../generated/index.js';
import { createPostgresDb } from '../../src/db/postgres.js';
import { createMetrics } from '../../src/metrics.js';
import { Leadership } from '../../src/outbox/leadership.js';
import { BrokerLink } from '../../src/outbox/link.js';
import type { OutboxRow } from '../../src/outbox/outbox.repository.js';
import { PublishWindow } from '../../src/outbox/window.js';
import { AMQP_URL, EventTap } from '../helpers/events.js';
import { useMigratedDatabase } from '../helpers/fixtures.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

const log = pino({ level: 'silent' });
const { database, db } = useMigratedDatabase();

function row(id: number, org: string): OutboxRow {
  const envelope = {
    event: 'customer.created',
    version: '1.0',
    timestamp: '2025-11-24T10:00:00Z',
    organization_id: org,
    data: { customer_id: `cus_${id}`, customer_type: 'b2c', name: 'Ada', email: 'ada@example.com' },
  } as unknown as EventEnvelope;
  return {
    id,
    message_id: randomUUID(),
    event_name: 'customer.created',
    payload: JSON.stringify(envelope),
    correlation_id: null,
    traceparent: null,
    tracestate: null,
    created_at: new Date(),
  };
}

describe('leadership', () => {
  it('when two relays compete, then one leads, and the other takes over once the leader session is gone', async () => {
    const proxy = await TcpProxy.start(Number(new URL(database.url).port || 5432));
    const viaProxy = createPostgresDb(proxy.url(database.url), 2);
    let lost = 0;
    const a = new Leadership(
      viaProxy,
      log,
      () => {},
      () => (lost += 1),
    );
    const b = new Leadership(
      db,
      log,
      () => {},
      () => {},
    );
    try {
      expect(await a.acquire()).toBe(true);
      expect(await b.acquire()).toBe(false);
      proxy.reset();
      await expect.poll(() => lost, { timeout: 5_000 }).toBe(1);
      expect(a.leader).toBe(false);
      await expect.poll(() => b.acquire(), { timeout: 5_000 }).toBe(true);
    } finally {
      await Promise.all([a.release(), b.release()]);
      await viaProxy.close();
      await proxy.close();
    }
  });
});

describe('broker link and publish window', () => {
  it('when rows are published, then they arrive in order and the confirmed position follows them', async () => {
    const tap = await EventTap.open('customer.created');
    const link = new BrokerLink(AMQP_URL, log, createMetrics(), () => {});
    const org = `org_${randomUUID().slice(0, 8)}`;
    const advanced: number[] = [];
    const window = new PublishWindow(
      4,
      createMetrics(),
      (id) => advanced.push(id),
      () => {},
    );
    try {
      const channel = await link.ensure();
      for (let id = 1; id <= 20; id++) {
        expect(await window.slot()).toBe(true);
        await window.publish(channel, row(id, org));
        expect(window.size).toBeLessThanOrEqual(4);
      }
      const events = await tap.waitForOrg(org, 20);
      expect(events.map((e) => e.body.data.customer_id)).toEqual(Array.from({ length: 20 }, (_, i) => `cus_${i + 1}`));
      await expect.poll(() => window.confirmedUpTo).toBe(20);
      expect(advanced).toEqual([...advanced].sort((x, y) => x - y));
    } finally {
      await link.close();
      await tap.close();
    }
  });

  it('when the broker connection is reset, then the link reports it once and reconnects with the topology', async () => {
    const proxy = await TcpProxy.start(Number(new URL(AMQP_URL).port || 5672));
    let gone = 0;
    const link = new BrokerLink(proxy.url(AMQP_URL), log, createMetrics(), () => (gone += 1));
    try {
      await link.ensure();
      proxy.reset();
      await expect.poll(() => gone, { timeout: 5_000 }).toBe(1);
      expect(link.channel).toBeUndefined();
      const again = await link.ensure();
      expect(again).toBe(link.channel);
      expect(gone).toBe(1);
    } finally {
      await link.close();
      await proxy.close();
    }
  });

  it('when the window is reset with rows in flight, then they are forgotten, a waiting slot is refused, their late confirms move nothing and it resumes after the confirmed position', async () => {
    const proxy = await TcpProxy.start(Number(new URL(AMQP_URL).port || 5672));
    const link = new BrokerLink(proxy.url(AMQP_URL), log, createMetrics(), () => {});
    const tap = await EventTap.open('customer.created');
    const metrics = createMetrics();
    const failures = async () => (await metrics.publishFailures.get()).values[0]?.value ?? 0;
    const published = async () => (await metrics.eventsPublished.get()).values[0]?.value ?? 0;
    const org = `org_${randomUUID().slice(0, 8)}`;
    const advanced: number[] = [];
    let failed = 0;
    const window = new PublishWindow(
      4,
      metrics,
      (id) => advanced.push(id),
      () => (failed += 1),
    );
    let release = () => {};
    try {
      const channel = await link.ensure();
      for (const id of [1, 2]) {
        expect(await window.slot()).toBe(true);
        await window.publish(channel, row(id, org));
      }
      await expect.poll(() => window.confirmedUpTo).toBe(2);

      // The broker's confirms of rows 3 to 6 are held at the proxy: the window is full of rows really in flight.
      release = proxy.holdReplies();
      for (const id of [3, 4, 5, 6]) {
        expect(await window.slot()).toBe(true);
        await window.publish(channel, row(id, org));
      }
      // The broker has them (a consumer not behind the proxy got them); their confirms wait at the proxy.
      await tap.waitForOrg(org, 6);
      expect(window.size).toBe(4);
      const advancedBefore = [...advanced];
      expect(advancedBefore.at(-1)).toBe(2);
      const waiting = window.slot();
      expect(window.reset()).toBe(2);
      expect(await waiting).toBe(false);
      expect(window.size).toBe(0);
      expect(await failures()).toBe(4);

      // The confirms of the forgotten rows arrive after the reset: they advance nothing.
      release();
      await channel.waitForConfirms();
      expect(window.confirmedUpTo).toBe(2);
      expect(advanced).toEqual(advancedBefore);
      expect(await published()).toBe(2);
      expect(failed).toBe(0);

      // Resumed after the confirmed position: row 3 is sent again and confirmed.
      expect(await window.slot()).toBe(true);
      await window.publish(channel, row(3, org));
      await expect.poll(() => window.confirmedUpTo).toBe(3);
      expect(advanced.at(-1)).toBe(3);
      expect(window.size).toBe(0);
      expect(await published()).toBe(3);
    } finally {
      release();
      await link.close();
      await tap.close();
      await proxy.close();
    }
  });
});

describe('broker link, failing while it opens', () => {
  it('when the connection is reset while the topology is declared, then ensure() rejects, nothing throws from an event handler, and the next ensure() connects', async () => {
    const proxy = await TcpProxy.start(Number(new URL(AMQP_URL).port || 5672));
    let onUncaught = (_err: Error) => {};
    const uncaught = new Promise<string>((resolve) => {
      onUncaught = (err) => resolve(`uncaught ${err.name}: ${err.message}`);
    });
    process.on('uncaughtException', onUncaught);
    let gone = 0;
    const link = new BrokerLink(proxy.url(AMQP_URL), log, createMetrics(), () => (gone += 1));
    try {
      // After the AMQP handshake (amqp.connect has resolved): the first declaration names the exchange.
      proxy.resetWhenClientSends('customer_events');
      const opened = link.ensure().then(
        () => 'connected',
        () => 'rejected',
      );
      // (Before the fix, the callback threw a ReferenceError from the connection's 'error' event and ensure() hung.)
      expect(await Promise.race([opened, uncaught])).toBe('rejected');
      await new Promise((resolve) => setImmediate(resolve)); // the connection's 'error' and 'close' have fired
      expect(await Promise.race([uncaught, 'none'])).toBe('none');
      expect(link.channel).toBeUndefined();
      expect(gone).toBe(0); // it never had a channel to lose

      proxy.restore();
      expect(await link.ensure()).toBe(link.channel);
    } finally {
      process.off('uncaughtException', onUncaught);
      await link.close();
      await proxy.close();
    }
  });
});
