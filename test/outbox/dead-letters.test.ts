import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventExamples } from '../../generated/index.js';
import { storedEvents } from '../../scripts/lib/events/replay.js';
import { retryDeadLetters } from '../../scripts/lib/outbox/dead-letters.js';
import { buildApp } from '../../src/app.js';
import type { Queryable } from '../../src/db/db.js';
import { createMetrics } from '../../src/metrics.js';
import { discardDeadLetter } from '../../src/outbox/dead-letters.repository.js';
import { readStoredEvent } from '../../src/outbox/events.js';
import { BrokerLink } from '../../src/outbox/link.js';
import { loadMark, type OutboxRow } from '../../src/outbox/outbox.repository.js';
import { PublishWindow } from '../../src/outbox/window.js';
import { type Backend, startTestApp, type TestApp } from '../helpers/app.js';
import { AMQP_URL, EventTap } from '../helpers/events.js';
import { createCustomer } from '../helpers/fixtures.js';
import { anonymizeRequest, searchEveryTable } from '../privacy/privacy.fixtures.js';

let tap: EventTap;
beforeAll(async () => {
  tap = await EventTap.open('customer.*');
});
afterAll(async () => {
  await tap?.close();
});

interface DeadLetterRow {
  outbox_id: string;
  message_id: string;
  organization_id: string;
  event_name: string;
  payload: string;
  reason: string;
  detail: string;
}

/** Writes an outbox row directly, as an older or newer build (or a bad hand-made fix) would have; returns its id. */
async function insertRow(db: Queryable, org: string, eventName: string, payload: string): Promise<string> {
  const res = await db.query<{ id: string }>(
    `INSERT INTO outbox (message_id, organization_id, customer_id, event_name, payload)
     VALUES ($1, $2, 'cust_raw', $3, $4) RETURNING id::text AS id`,
    [randomUUID(), org, eventName, payload],
  );
  return String(res.rows[0]?.id);
}

async function deadLetters(db: Queryable): Promise<DeadLetterRow[]> {
  const res = await db.query<DeadLetterRow>(
    `SELECT outbox_id::text AS outbox_id, message_id, organization_id, event_name, payload, reason, detail
       FROM outbox_dead_letters ORDER BY outbox_id`,
  );
  return res.rows;
}

async function lastOutboxId(db: Queryable): Promise<number> {
  const res = await db.query<{ id: string }>('SELECT max(id)::text AS id FROM outbox');
  return Number(res.rows[0]?.id);
}

/** The body of a real customer.created event of `t`'s organization, as the service stored and sent it. */
async function createdBody(t: TestApp): Promise<Record<string, unknown> & { data: Record<string, unknown> }> {
  await createCustomer(t);
  const [first] = await tap.waitForOrg(t.org, 1, 'customer.created');
  return JSON.parse(first?.raw ?? '{}');
}

describe.each<Backend>(['postgres', 'pglite'])('relay dead letters on %s', (backend) => {
  it('when unpublishable rows sit between good rows, then the good rows go out, the bad ones are dead letters with their reason, /metrics and /health/ready show them, and a restart sends nothing again', async () => {
    const t = await startTestApp({ backend });
    try {
      const valid = await createdBody(t);
      const unknown = JSON.stringify({ ...valid, event: 'customer.teleported' });
      const outside = JSON.stringify({ ...valid, data: { ...valid.data, customer_type: 42 } });
      const bad = {
        unknown_event: await insertRow(t.db, t.org, 'customer.teleported', unknown),
        good1: await createCustomer(t),
        not_json: await insertRow(t.db, t.org, 'customer.created', '{"event": "customer.created", '),
        good2: await createCustomer(t),
        schema_invalid: await insertRow(t.db, t.org, 'customer.created', outside),
        good3: await createCustomer(t),
      };

      const events = await tap.waitForOrg(t.org, 4, 'customer.created');
      expect(events.map((e) => e.body.data.customer_id).slice(1)).toEqual([bad.good1, bad.good2, bad.good3]);
      const letters = await deadLetters(t.db);
      expect(letters.map((d) => [d.outbox_id, d.reason])).toEqual([
        [bad.unknown_event, 'unknown_event'],
        [bad.not_json, 'not_json'],
        [bad.schema_invalid, 'schema_invalid'],
      ]);
      expect(letters.every((d) => d.organization_id === t.org)).toBe(true);
      expect(letters[0]?.payload).toBe(unknown);
      expect(letters[2]?.payload).toBe(outside);
      expect(letters[2]?.detail).toMatch(
        /customer_type must be equal to one of the allowed values|customer_type must be string/,
      );
      // The outbox is append-only: the rows themselves are untouched.
      const kept = await t.db.query<{ payload: string }>('SELECT payload FROM outbox WHERE id = $1', [
        bad.unknown_event,
      ]);
      expect(kept.rows[0]?.payload).toBe(unknown);

      // The mark passes the dead letters: everything is published or set aside.
      const last = await lastOutboxId(t.db);
      await expect.poll(() => loadMark(t.db)).toBe(last);
      // A replay sends what was published, never a dead letter.
      const replayable: string[] = [];
      for await (const r of storedEvents(t.db, { org: t.org })) replayable.push(String(r.id));
      expect(replayable).toHaveLength(4);
      expect(replayable).not.toContain(bad.unknown_event);
      expect(replayable).not.toContain(bad.not_json);
      await expect
        .poll(async () => (await t.app.inject({ method: 'GET', url: '/metrics' })).body)
        .toMatch(/^outbox_dead_letters 3$/m);
      const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      for (const reason of ['unknown_event', 'not_json', 'schema_invalid']) {
        expect(metrics).toContain(`outbox_dead_letters_moved_total{reason="${reason}"} 1`);
      }
      const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({
        status: 'ok',
        outbox: { status: 'warning', backlog: 0, dead_letters: 3, warning: expect.stringContaining('dead-letters') },
      });

      // A restart resumes after the mark: nothing is sent again, nothing is moved aside again.
      await t.app.close();
      const again = await buildApp({ config: t.config, db: t.db });
      await again.ready();
      try {
        const res = await again.inject({
          method: 'POST',
          url: '/v1/customers',
          headers: { authorization: `Bearer ${await t.token()}` },
          payload: { customer_type: 'b2c', name: 'after restart', email: `after.${randomUUID()}@example.com` },
        });
        expect(res.statusCode).toBe(201);
        // Published in id order: a resent older row would arrive before the new one.
        const after = await tap.waitForOrg(t.org, 5, 'customer.created');
        expect(after.at(-1)?.body.data.customer_id).toBe(res.json().customer_id);
        expect(new Set(tap.forOrg(t.org).map((e) => e.properties.messageId)).size).toBe(tap.forOrg(t.org).length);
        expect(tap.forOrg(t.org)).toHaveLength(5);
        expect((await again.inject({ method: 'GET', url: '/metrics' })).body).not.toContain(
          'outbox_dead_letters_moved_total{',
        );
        expect(await deadLetters(t.db)).toHaveLength(3);
      } finally {
        await again.close();
      }
    } finally {
      await t.close();
    }
  }, 90_000); // PGlite's start, twice, on a loaded machine
});

describe('which stored rows the relay can publish', () => {
  // The contract's own example: what a build publishes.
  const body = structuredClone(eventExamples['customer.created'][0]) as { data: Record<string, unknown> };

  it('when a newer build added a field to a stored event (an additive change, a rolling upgrade), then it is still published', () => {
    const added = JSON.stringify({ ...body, data: { ...body.data, loyalty_card: 'X1' }, trace: 'abc' });
    expect(readStoredEvent('customer.created', JSON.stringify(body))).toHaveProperty('envelope');
    expect(readStoredEvent('customer.created', added)).toHaveProperty('envelope');
  });

  it('when a stored event misses a required field or mistypes one, then it is a schema_invalid dead letter naming the field', () => {
    const { customer_type: _, ...withoutType } = body.data;
    const missing = readStoredEvent('customer.created', JSON.stringify({ ...body, data: withoutType }));
    expect(missing).toMatchObject({ reason: 'schema_invalid', detail: expect.stringMatching(/customer_type/) });
    const mistyped = readStoredEvent(
      'customer.created',
      JSON.stringify({ ...body, data: { ...body.data, customer_type: 42 } }),
    );
    expect(mistyped).toMatchObject({ reason: 'schema_invalid', detail: expect.stringMatching(/customer_type/) });
  });
});

describe('relay dead letters, storing them', () => {
  it('when storing a dead letter fails, then the relay does not pass over the row: it retries until it is stored', async () => {
    const t = await startTestApp();
    try {
      await t.db.query(`CREATE SEQUENCE dead_letter_attempts;
        CREATE TABLE dead_letter_fault (failing boolean NOT NULL);
        INSERT INTO dead_letter_fault VALUES (true);
        CREATE FUNCTION dead_letter_fault() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM nextval('dead_letter_attempts'); -- a sequence is not rolled back: it counts the attempts
          IF (SELECT failing FROM dead_letter_fault) THEN RAISE EXCEPTION 'dead letters unavailable'; END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER dead_letter_fault BEFORE INSERT ON outbox_dead_letters
          FOR EACH ROW EXECUTE FUNCTION dead_letter_fault();`);
      const badId = await insertRow(t.db, t.org, 'customer.teleported', '{}');
      const good = await createCustomer(t);
      const attempts = async () =>
        Number((await t.db.query<{ n: string }>('SELECT last_value::text AS n FROM dead_letter_attempts')).rows[0]?.n);
      await expect.poll(attempts, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      expect(await deadLetters(t.db)).toEqual([]);

      await t.db.query('UPDATE dead_letter_fault SET failing = false');
      const [event] = await tap.waitForOrg(t.org, 1, 'customer.created');
      expect(event?.body.data.customer_id).toBe(good);
      expect((await deadLetters(t.db)).map((d) => d.outbox_id)).toEqual([badId]);
    } finally {
      await t.close();
    }
  });
});

describe('publish window, passing over a row', () => {
  it('when a row is passed over between published rows, then the confirmed position covers it once the rows before it are confirmed', async () => {
    const link = new BrokerLink(AMQP_URL, pino({ level: 'silent' }), createMetrics(), () => {});
    const advanced: number[] = [];
    const window = new PublishWindow(
      10,
      createMetrics(),
      (id) => advanced.push(id),
      () => {},
    );
    const org = `org_${randomUUID().slice(0, 8)}`;
    try {
      const channel = await link.ensure();
      await window.publish(channel, row(1, org));
      expect(window.skip(2, window.epoch)).toBe(true);
      expect(window.confirmedUpTo).toBe(0); // row 1 is not confirmed yet
      await window.publish(channel, row(3, org));
      expect(window.skip(4, window.epoch)).toBe(true);
      await expect.poll(() => window.confirmedUpTo).toBe(4);
      expect(advanced.at(-1)).toBe(4);
    } finally {
      await link.close();
    }
  });

  it('when nothing is in flight, then a row passed over is confirmed at once; after a reset, an older pass is refused', () => {
    const advanced: number[] = [];
    const window = new PublishWindow(
      10,
      createMetrics(),
      (id) => advanced.push(id),
      () => {},
      7,
    );
    expect(window.skip(8, window.epoch)).toBe(true);
    expect(window.confirmedUpTo).toBe(8);
    const before = window.epoch;
    window.reset();
    expect(window.skip(9, before)).toBe(false);
    expect(window.confirmedUpTo).toBe(8);
    expect(advanced).toEqual([8]);
  });
});

describe('npm run outbox:dead-letters', () => {
  it('when dead letters are listed, retried and discarded, then a publishable one goes out again with its message id, an unpublishable one is refused and kept, and a discarded one is gone', async () => {
    const t = await startTestApp();
    try {
      const valid = await createdBody(t);
      const stillBad = await insertRow(t.db, t.org, 'customer.teleported', '{}');
      await expect.poll(async () => (await deadLetters(t.db)).length).toBe(1);
      // A dead letter an older build moved aside (it did not know the event); this build can publish it.
      const messageId = randomUUID();
      const body = JSON.stringify({ ...valid, data: { ...valid.data, customer_id: 'cust_retried' } });
      await t.db.query(
        `INSERT INTO outbox_dead_letters (outbox_id, message_id, organization_id, customer_id, event_name, payload,
                                          correlation_id, created_at, reason, detail)
         VALUES (0, $1, $2, 'cust_retried', 'customer.created', $3, 'req-1', now(), 'unknown_event', 'older build')`,
        [messageId, t.org, body],
      );

      const list = await cli(t, 'list');
      expect(list.code).toBe(0);
      expect(list.stdout).toContain(`0\t`);
      expect(list.stdout).toContain(`${stillBad}\t`);
      expect(list.stdout).toContain('unknown_event');
      expect(list.stdout).not.toContain('cust_retried'); // never the body
      expect(list.stdout).toContain('2 dead letter(s).');

      const retried = await cli(t, 'retry', '0');
      expect(retried.code, retried.stderr).toBe(0);
      const retriedEvent = (e: { body: { data: Record<string, unknown> } }) =>
        e.body.data.customer_id === 'cust_retried';
      await tap.waitUntil(() => tap.forOrg(t.org).some(retriedEvent));
      const event = tap.forOrg(t.org).find(retriedEvent);
      expect(event?.properties.messageId).toBe(messageId);
      expect(event?.properties.correlationId).toBe('req-1');
      expect(event?.raw).toBe(body);

      const refused = await retryDeadLetters(t.db, stillBad);
      expect(refused).toEqual([{ outboxId: stillBad, refused: expect.stringContaining('unknown_event') }]);
      expect(await retryDeadLetters(t.db, '12345')).toEqual([{ outboxId: '12345', refused: 'no such dead letter' }]);
      const refusedCli = await cli(t, 'retry', '--all');
      expect(refusedCli.code).toBe(1);
      expect(refusedCli.stderr).toContain(`${stillBad}: not retried`);
      expect((await deadLetters(t.db)).map((d) => d.outbox_id)).toEqual([stillBad]);

      const discarded = await cli(t, 'discard', stillBad);
      expect(discarded.code, discarded.stderr).toBe(0);
      expect(await deadLetters(t.db)).toEqual([]);
      expect(await discardDeadLetter(t.db, stillBad)).toBe(false);
      const ready = async () => (await t.app.inject({ method: 'GET', url: '/health/ready' })).json().outbox;
      await expect.poll(async () => (await ready()).dead_letters).toBe(0);
      expect(await ready()).toEqual({ status: 'ok', backlog: 0, oldest_age_seconds: 0, dead_letters: 0 });
    } finally {
      await t.close();
    }
  }, 120_000);
});

describe('dead letters and anonymization', () => {
  it('when a customer with dead letters is anonymized, then their bodies are scrubbed too (a body that is not JSON, whole)', async () => {
    const t = await startTestApp({ relay: false });
    try {
      const email = `dead.letter.${randomUUID()}@example.com`;
      const created = await t.request({
        method: 'POST',
        url: '/v1/customers',
        payload: { customer_type: 'b2c', name: 'Dead Letter', email },
      });
      expect(created.statusCode).toBe(201);
      const id: string = created.json().customer_id;
      await t.db.query(
        `INSERT INTO outbox_dead_letters (outbox_id, message_id, organization_id, customer_id, event_name, payload,
                                          created_at, reason, detail)
         SELECT id, message_id, organization_id, customer_id, event_name, payload, created_at, 'unknown_event', 'test'
           FROM outbox WHERE organization_id = $1 AND customer_id = $2
         UNION ALL
         SELECT -1, 'm-1', $1, $2, 'customer.created', '{"email": "' || $3 || '", ', now(), 'not_json', 'test'`,
        [t.org, id, email],
      );
      expect(await searchEveryTable(t.db, [email])).toEqual(
        expect.arrayContaining([`outbox: ${email}`, `outbox_dead_letters: ${email}`]),
      );

      expect((await anonymizeRequest(t, id)).statusCode).toBe(200);
      expect(await searchEveryTable(t.db, [email])).toEqual([]);
      const letters = await deadLetters(t.db);
      expect(letters.find((d) => d.outbox_id === '-1')?.payload).toBe('');
      const copy = letters.find((d) => d.outbox_id !== '-1');
      expect(JSON.parse(copy?.payload ?? '{}').data).toMatchObject({ customer_id: id, email: null });
    } finally {
      await t.close();
    }
  });
});

function row(id: number, org: string): OutboxRow {
  const body = { event: 'customer.created', version: '1.0', timestamp: '2026-01-01T00:00:00Z', organization_id: org };
  return {
    id,
    message_id: randomUUID(),
    event_name: 'customer.created',
    payload: JSON.stringify({ ...body, data: { customer_id: `cus_${id}`, customer_type: 'b2c', name: 'Ada' } }),
    correlation_id: null,
    traceparent: null,
    tracestate: null,
    created_at: new Date(),
  };
}

/** The command as a process, with the test app's settings: exit status and output. */
function cli(t: TestApp, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/outbox-dead-letters.ts', ...args],
      { env: { ...process.env, DATABASE_URL: String(t.config.DATABASE_URL), JWT_SECRET: t.config.JWT_SECRET } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
