import { afterAll, beforeAll, expect, it } from 'vitest';
import { tracingRequested } from '../../src/telemetry/telemetry.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { customerPayload } from '../helpers/customers.js';
import { EventTap } from '../helpers/events.js';

// Without OTEL_* settings no OpenTelemetry SDK is registered: nothing is traced, stored or sent for tracing.

let t: TestApp;
let tap: EventTap;

beforeAll(async () => {
  tap = await EventTap.open('customer.created');
  t = await startTestApp();
});

afterAll(async () => {
  await t?.close();
  await tap?.close();
});

it('when tracing is not configured, then outbox rows store no trace context and messages carry no traceparent', async () => {
  const res = await t.request({ method: 'POST', url: '/v1/customers', payload: customerPayload() });
  expect(res.statusCode).toBe(201);
  const [event] = await tap.waitForOrg(t.org, 1, 'customer.created');
  expect(event?.properties.headers).toEqual({ organization_id: t.org });
  const rows = await t.db.query<{ traceparent: string | null; tracestate: string | null }>(
    'SELECT traceparent, tracestate FROM outbox WHERE organization_id = $1',
    [t.org],
  );
  expect(rows.rows).toEqual([{ traceparent: null, tracestate: null }]);
});

it('when OTEL_* settings are read, then tracing starts only for an exporter or an OTLP endpoint, never when disabled', () => {
  expect(tracingRequested({})).toBe(false);
  expect(tracingRequested({ OTEL_SERVICE_NAME: 'customer-service' })).toBe(false);
  expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBe(true);
  expect(tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' })).toBe(true);
  expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
  expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:4318' })).toBe(false);
  expect(tracingRequested({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' })).toBe(false);
});
