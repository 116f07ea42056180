import { randomBytes } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { assertTopology, EXCHANGE } from '../../generated/index.js';
import { Barriers } from './barriers.js';
import { AMQP_URL } from './settings.js';

export { AMQP_URL };

export interface ReceivedEvent {
  routingKey: string;
  body: Record<string, unknown> & { event: string; organization_id: string; data: Record<string, unknown> };
  properties: ConsumeMessage['properties'];
  raw: string;
  /** performance.now() when the tap got it. */
  at: number;
}

/** A test over received events. */
export type EventMatch = (e: ReceivedEvent) => boolean;

/**
 * This test's organization only. Every test file publishes to the one shared `customer_events` exchange at the same
 * time, so every count of events is of the test's own organization: `ofOrg(org)` matches its events, `ofOrg(org,
 * ...names)` those of the given names.
 */
export function ofOrg(org: string, ...names: string[]): EventMatch {
  return (e) => e.body.organization_id === org && (names.length === 0 || names.includes(e.body.event));
}

/** `ofOrg` narrowed to the events about one customer of the organization. */
export function ofCustomer(org: string, customerId: string, ...names: string[]): EventMatch {
  const inOrg = ofOrg(org, ...names);
  return (e) => inOrg(e) && e.body.data.customer_id === customerId;
}

/**
 * An SDK handler that only sees `org`'s events: a consumer's queue bound on the shared exchange also gets every
 * other test file's, which the wrapped handler ignores (and so never counts).
 */
export function onlyOrg<E extends { organization_id: string }, Rest extends unknown[], R>(
  org: string,
  handler: (event: E, ...rest: Rest) => R,
): (event: E, ...rest: Rest) => R | undefined {
  return (event, ...rest) => (event.organization_id === org ? handler(event, ...rest) : undefined);
}

export interface TapOptions {
  /** The exchange to bind to (default `customer_events`), declared by `declare` (default: the service's topology). */
  exchange?: string;
  declare?: (channel: Channel) => Promise<unknown>;
  /**
   * A durable queue, as consumers keep them (removed by the broker 60 s after the tap is gone), instead of an
   * exclusive, auto-delete one: the service's persistent messages are then written as in production (the bench).
   */
  durable?: boolean;
  /** The broker (default AMQP_URL), e.g. a test's own vhost. */
  url?: string;
}

/**
 * A consumer bound on the real `customer_events` exchange (exclusive, auto-delete queue unless told otherwise),
 * recording every event. Tests filter by their own organization id, so files can share the broker.
 */
export class EventTap {
  readonly received: ReceivedEvent[] = [];
  /** Messages that were not JSON (never the service's: its events are validated before they are stored). */
  readonly malformed: string[] = [];
  /** Called on each arrival (the bench matches latencies with it). */
  onEvent?: (e: ReceivedEvent) => void;
  private waiters: (() => void)[] = [];
  /** Markers sent to the tap's own queue (`barrier()`). */
  private readonly barriers = new Barriers();

  /** Why the tap's connection or channel ended, if it did (said in a timeout's message). */
  private lost: string[] = [];

  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: Channel,
    private readonly queue: string,
    private readonly durableQueue?: string,
  ) {
    const note = (what: string) => (err?: Error) => this.lost.push(`${what}${err ? `: ${err.message}` : ''}`);
    connection.on('close', note('connection closed'));
    connection.on('error', note('connection error'));
    channel.on('close', note('channel closed'));
    channel.on('error', note('channel error'));
  }

  static async open(pattern = '#', opts: TapOptions = {}): Promise<EventTap> {
    const { exchange = EXCHANGE, declare = assertTopology, durable = false, url = AMQP_URL } = opts;
    const connection = await amqp.connect(url);
    const channel = await connection.createChannel();
    await declare(channel);
    const { queue } = durable
      ? await channel.assertQueue(`tap.${exchange}.${randomBytes(4).toString('hex')}`, {
          durable: true,
          arguments: { 'x-expires': 60_000 },
        })
      : await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, exchange, pattern);
    const tap = new EventTap(connection, channel, queue, durable ? queue : undefined);
    await channel.consume(
      queue,
      (msg) => {
        if (!msg) return;
        if (tap.barriers.take(msg)) return;
        const at = performance.now();
        const raw = msg.content.toString('utf8');
        let body: ReceivedEvent['body'];
        try {
          body = JSON.parse(raw);
        } catch {
          // Other test files publish malformed messages on purpose (the SDK's poison tests); a throw here would
          // close the tap's channel. Kept aside: no organization's events include them.
          tap.malformed.push(raw);
          return;
        }
        const e: ReceivedEvent = { routingKey: msg.fields.routingKey, body, properties: msg.properties, raw, at };
        tap.received.push(e);
        tap.onEvent?.(e);
        for (const w of tap.waiters.splice(0)) w();
      },
      { noAck: true },
    );
    return tap;
  }

  /** The events of `org` received so far (of the given names, if any), in arrival order. */
  forOrg(org: string, ...names: string[]): ReceivedEvent[] {
    return this.received.filter(ofOrg(org, ...names));
  }

  /** Waits until `predicate` holds over the received events, or fails after `timeoutMs`. */
  async waitUntil(predicate: (events: ReceivedEvent[]) => boolean, timeoutMs = 10_000): Promise<ReceivedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.received)) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for events; received ${this.received.length}${await this.health()}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.received;
  }

  /** Waits for `count` events of `org` (optionally of one event name) and returns them in arrival order. */
  async waitForOrg(org: string, count: number, event?: string, timeoutMs = 10_000): Promise<ReceivedEvent[]> {
    const match = event === undefined ? ofOrg(org) : ofOrg(org, event);
    const pick = () => this.received.filter(match);
    await this.waitUntil(() => pick().length >= count, timeoutMs);
    return pick();
  }

  /**
   * Waits until `count` received events match `match` and returns them; looks at each event once, every `pollMs`
   * (for long runs: tens of thousands of events, where re-filtering on each arrival would cost the consumer).
   */
  async waitForMatching(
    match: (e: ReceivedEvent) => boolean,
    count: number,
    timeoutMs = 10_000,
    pollMs = 50,
  ): Promise<ReceivedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    const got: ReceivedEvent[] = [];
    let seen = 0;
    for (;;) {
      for (; seen < this.received.length; seen++) {
        const e = this.received[seen] as ReceivedEvent;
        if (match(e)) got.push(e);
      }
      if (got.length >= count) return got;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} events; ${got.length} arrived`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /**
   * Waits until the events `match` accepts carry `count` distinct `key`s and returns every matching event, repeats
   * included: across a crash or a cut the relay is at-least-once, so a count of deliveries can be reached with
   * repeats while some keys have not arrived yet.
   */
  async waitForDistinct(
    match: (e: ReceivedEvent) => boolean,
    key: (e: ReceivedEvent) => unknown,
    count: number,
    timeoutMs = 10_000,
  ): Promise<ReceivedEvent[]> {
    const keys = new Set<unknown>();
    const got: ReceivedEvent[] = [];
    let seen = 0;
    await this.waitUntil((received) => {
      for (; seen < received.length; seen++) {
        const e = received[seen] as ReceivedEvent;
        if (!match(e)) continue;
        got.push(e);
        keys.add(key(e));
      }
      return keys.size >= count;
    }, timeoutMs);
    return got;
  }

  /**
   * Resolves once every message the broker had put in the tap's queue before this call has been received: it sends
   * a marker to the queue itself (through the default exchange, so no other queue gets it) and waits for it, and a
   * queue delivers in order. After the publishers have stopped (their confirms awaited), "nothing more arrives" is
   * then a fact, not a wait: count after `barrier()`.
   */
  async barrier(timeoutMs = 10_000): Promise<void> {
    await this.barriers.pass(this.channel, this.queue, timeoutMs);
  }

  /** What the broker says of the tap's queue, for a timeout's message. */
  private async health(): Promise<string> {
    const lost = this.lost.length > 0 ? `; tap ${this.lost.join(', ')}` : '';
    try {
      const q = await this.channel.checkQueue(this.queue);
      return `${lost}; queue ${this.queue}: ${q.messageCount} ready, ${q.consumerCount} consumer(s)`;
    } catch (err) {
      return `${lost}; queue ${this.queue}: ${(err as Error).message}`;
    }
  }

  async close(): Promise<void> {
    if (this.durableQueue) await this.channel.deleteQueue(this.durableQueue).catch(() => {});
    await this.channel.close().catch(() => {});
    await this.connection.close().catch(() => {});
  }
}
