import type { FastifyBaseLogger } from 'fastify';
import {
  type InboundQueueTopology,
  inboundTopology,
  isReceivedEventName,
  type ReceivedEnvelope,
  validateReceived,
} from '../../generated/index.js';
import {
  ConsumerRuntime,
  type ConsumerState,
  type Decoded,
  type Handled,
  type HandlerOutcome,
  type MessageMeta,
} from '../../generated/runtime/consumer-runtime.js';
import type { Db } from '../db/db.js';
import type { Metrics } from '../metrics.js';
import type { Clock } from '../shared/clock.js';
import { applyMessage } from './inbound.handlers.service.js';

/** Back-off of a message whose transaction failed (the database is down): then every 60 s, never dead-lettered. */
const RETRY_DELAYS_MS = [1000, 5000, 15_000, 60_000] as const;

export interface InboundOptions {
  readonly db: Db;
  readonly url: string;
  readonly prefetch: number;
  /** Declare the producers' exchanges (topic, durable) instead of waiting for them to exist. */
  readonly declareExchanges: boolean;
  readonly clock: Clock;
  readonly log: FastifyBaseLogger;
  readonly metrics: Metrics;
}

export interface InboundQueueStatus {
  readonly queue: string;
  readonly exchange: string;
  readonly consumer: ConsumerState;
  /** Set while the exchange does not exist: the service retries until it does. */
  readonly waiting_for_exchange?: string;
  readonly error?: string;
}

export interface InboundConsumers {
  start(): void;
  status(): InboundQueueStatus[];
  close(): Promise<void>;
}

/** The body's event (else the routing key), validated against its consumer schema (tolerant reader). */
function decode(body: unknown, routingKey: string): Decoded<ReceivedEnvelope> {
  const declared = typeof body === 'object' && body !== null && 'event' in body ? body.event : undefined;
  const name = typeof declared === 'string' ? declared : routingKey;
  if (!isReceivedEventName(name)) return { ok: false, reason: `event: not a consumed event ('${name}')` };
  const result = validateReceived(name, body);
  if (!result.ok) {
    return { ok: false, reason: result.errors.map((error) => `${error.field}: ${error.message}`).join('; ') };
  }
  return { ok: true, name, event: result.event };
}

function consumerOf(topology: InboundQueueTopology, o: InboundOptions): ConsumerRuntime<ReceivedEnvelope> {
  const exchange = topology.exchange.name;
  const count = (event: string, outcome: string) => o.metrics.inboundMessages.inc({ event, outcome });
  const handle = async (event: ReceivedEnvelope, meta: MessageMeta): Promise<HandlerOutcome> => {
    if (meta.messageId === undefined || meta.messageId === '') {
      return { kind: 'refused', reason: 'messageId: required (the AMQP property the producer sets)' };
    }
    const result = await applyMessage(o.db, {
      sourceExchange: exchange,
      messageId: meta.messageId,
      correlationId: meta.correlationId,
      event,
      now: o.clock.now(),
    });
    if (result.kind === 'refused') return { kind: 'refused', reason: result.reason };
    count(event.event, result.kind);
    const why = 'why' in result ? result.why : undefined;
    o.log.debug({ event: event.event, messageId: meta.messageId, outcome: result.kind, why }, 'inbound message');
    return { kind: 'done', outcome: result.kind };
  };
  const onHandled = (h: Handled) => {
    const event = h.name ?? 'unknown';
    o.metrics.inboundLatency.observe({ event }, h.seconds);
    if (h.result === 'acked') return;
    count(event, h.result);
    const level = h.result === 'dead_lettered' ? 'warn' : 'info';
    o.log[level]({ event, queue: topology.queue, reason: h.reason }, `inbound message ${h.result.replace('_', '-')}`);
  };
  return new ConsumerRuntime<ReceivedEnvelope>({
    url: o.url,
    connectionName: `customer-service inbound ${topology.queue}`,
    exchange,
    tracerName: 'customer-service',
    declareExchange: o.declareExchanges ? topology.exchange.type : undefined,
    queue: topology.queue,
    queueType: topology.queueType,
    bindings: topology.routingKeys,
    prefetch: o.prefetch,
    retry: { delaysMs: RETRY_DELAYS_MS, exhausted: 'keep-retrying' },
    decode,
    handle,
    onError: (error) => o.log.warn({ err: error.message, queue: topology.queue }, 'inbound consumer'),
    onHandled,
  });
}

/** One competing consumer per inbound queue of asyncapi.yaml; each connects (and reconnects) by itself. */
export function createInboundConsumers(o: InboundOptions): InboundConsumers {
  const consumers = inboundTopology.map((topology) => ({ topology, runtime: consumerOf(topology, o) }));
  return {
    start() {
      for (const { runtime } of consumers) runtime.start();
    },
    status() {
      return consumers.map(({ topology, runtime }) => ({
        queue: topology.queue,
        exchange: topology.exchange.name,
        consumer: runtime.state,
        ...(runtime.state === 'waiting-for-exchange' ? { waiting_for_exchange: topology.exchange.name } : {}),
        ...(runtime.state !== 'consuming' && runtime.lastError ? { error: runtime.lastError } : {}),
      }));
    },
    async close() {
      await Promise.all(consumers.map(({ runtime }) => runtime.close()));
    },
  };
}
