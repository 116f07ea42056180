import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One registry per app instance, so tests can build several apps in one process. */
export function createMetrics() {
  const registry = new Registry();
  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    eventsPublished: new Counter({
      name: 'outbox_events_published_total',
      help: 'Events confirmed by the broker, by event name',
      labelNames: ['event'],
      registers: [registry],
    }),
    publishFailures: new Counter({
      name: 'outbox_publish_failures_total',
      help: 'Publishes that were nacked or lost with their channel (they are sent again)',
      registers: [registry],
    }),
    confirmLatency: new Histogram({
      name: 'outbox_confirm_latency_seconds',
      help: 'Time from publish to broker confirm',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
      registers: [registry],
    }),
    reconnects: new Counter({
      name: 'outbox_broker_reconnects_total',
      help: 'Broker connections opened by the relay after the first',
      registers: [registry],
    }),
    backlog: new Gauge({
      name: 'outbox_backlog_events',
      help: 'Events committed but not yet confirmed by the broker',
      registers: [registry],
    }),
    oldestAge: new Gauge({
      name: 'outbox_oldest_unsent_age_seconds',
      help: 'Age of the oldest event not yet confirmed by the broker',
      registers: [registry],
    }),
    deadLettersMoved: new Counter({
      name: 'outbox_dead_letters_moved_total',
      help: 'Outbox rows the relay could not publish and moved to outbox_dead_letters, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    deadLetters: new Gauge({
      name: 'outbox_dead_letters',
      help: 'Dead letters stored (outbox rows never published; npm run outbox:dead-letters lists them)',
      registers: [registry],
    }),
    brokerUp: new Gauge({
      name: 'outbox_broker_up',
      help: '1 when the relay has a broker connection',
      registers: [registry],
    }),
    unroutableUnbounded: new Gauge({
      name: 'outbox_unroutable_queue_unbounded',
      help: '1 when the unroutable queue exists without the bounds of asyncapi.yaml (see docs/deploying.md)',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
