import { describe, expect, it } from 'vitest';
import { uniqueEmail } from '../helpers/customers.js';
import { useEventTap, useTestApp } from '../helpers/fixtures.js';

describe('the per-IP limit runs before authentication', () => {
  const t = useTestApp({ env: { RATE_LIMIT_IP_PER_MINUTE: '5' }, relay: false });

  it('when one address floods 401s, then its 6th request is 429 whatever it sends, /metrics included; /health/live is not limited', async () => {
    for (let i = 1; i <= 5; i += 1) {
      const res = await t.app.inject({ method: 'GET', url: '/v1/customers', headers: { authorization: 'Bearer x' } });
      expect(res.statusCode, `request ${i}`).toBe(401);
    }
    const limited = await t.app.inject({ method: 'GET', url: '/v1/customers' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().type).toBe('https://customer-service.dev/problems/rate-limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await t.request({ method: 'GET', url: '/v1/customers' })).statusCode).toBe(429);
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(429);
    expect((await t.app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(429);
    expect((await t.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    // Another address has its own budget.
    const other = await t.request({ method: 'GET', url: '/v1/customers', remoteAddress: '127.0.0.9' });
    expect(other.statusCode).toBe(200);
  });
});

describe('backlog figures and /metrics', () => {
  const t = useTestApp({ env: { METRICS_TOKEN: 'metrics-token-0123456789' }, relay: false });

  it('when /metrics and /health/ready are called many times, then the backlog is counted at most once a second', async () => {
    const auth = { authorization: 'Bearer metrics-token-0123456789' };
    const before = t.app.backlog.computations;
    const started = performance.now();
    const calls = Array.from({ length: 100 }, (_, i) =>
      i % 2 === 0
        ? t.app.inject({ method: 'GET', url: '/metrics', headers: auth })
        : t.app.inject({ method: 'GET', url: '/health/ready' }),
    );
    for (const res of await Promise.all(calls)) expect(res.statusCode).toBe(200);
    for (let i = 0; i < 50; i += 1) await t.app.inject({ method: 'GET', url: '/health/ready' });
    const seconds = (performance.now() - started) / 1000;
    const counted = t.app.backlog.computations - before;
    expect(counted).toBeGreaterThanOrEqual(1);
    expect(counted).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
  });

  it('when METRICS_TOKEN is set, then /metrics without it or with another token is 401 problem details', async () => {
    for (const authorization of [undefined, 'Bearer wrong', 'Basic bWV0cmljcw==', 'Bearer metrics-token-012345678']) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: authorization ? { authorization } : {},
      });
      expect(res.statusCode, String(authorization)).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).not.toContain('outbox_backlog_events');
    }
    const ok = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer metrics-token-0123456789' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('outbox_backlog_events');
  });
});

describe('x-request-id', () => {
  const t = useTestApp();
  const tap = useEventTap('customer.created');

  it('when a client sends a long or unprintable x-request-id, then a fresh id is the correlationId; a short one is kept', async () => {
    const hostile = ['a'.repeat(65), 'r'.repeat(200), 'ana@example.com', 'id with spaces', 'ñandú'];
    const ids: string[] = [];
    for (const requestId of [...hostile, 'req-ok_1.2:3']) {
      const res = await t.request({
        method: 'POST',
        url: '/v1/customers',
        payload: { customer_type: 'b2c', name: 'Req', email: uniqueEmail() },
        headers: { 'x-request-id': requestId },
      });
      expect(res.statusCode).toBe(201);
      ids.push(res.json().customer_id);
    }
    const mine = await tap.waitForOrg(t.org, ids.length);
    for (const [i, requestId] of hostile.entries()) {
      const e = mine.find((x) => x.body.data.customer_id === ids[i]);
      expect(e?.properties.correlationId, requestId).not.toBe(requestId);
      expect(e?.properties.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    }
    const kept = mine.find((x) => x.body.data.customer_id === ids[hostile.length]);
    expect(kept?.properties.correlationId).toBe('req-ok_1.2:3');
  });
});
