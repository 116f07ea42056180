import { describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app.js';
import { uniqueEmail } from '../helpers/customers.js';

describe('logs hold no personal data', () => {
  it('when a full scenario runs at LOG_LEVEL=trace, then no email or phone of the test appears in the log stream', async () => {
    const log: Record<string, unknown>[] = [];
    const t = await startTestApp({ log, logLevel: 'trace', relay: false });
    const emails = [uniqueEmail('logs'), uniqueEmail('logs'), uniqueEmail('logs')];
    const phones = ['+507 6123-4567', '+507 6987-6543'];
    const roles = ['credit_manager', 'loyalty_admin', 'privacy_officer'];
    try {
      const a = await t.request({
        method: 'POST',
        url: '/v1/customers',
        roles,
        payload: { customer_type: 'b2c', name: 'Ana Logs', email: emails[0], phone: phones[0] },
      });
      expect(a.statusCode, a.body).toBe(201);
      const id = a.json().customer_id;
      const search = await t.request({
        method: 'GET',
        url: `/v1/customers?email=${encodeURIComponent(emails[0] ?? '')}&phone=${encodeURIComponent(phones[0] ?? '')}&q=${encodeURIComponent(emails[0] ?? '')}`,
        roles,
      });
      expect(search.statusCode, search.body).toBe(200);
      const patch = await t.request({
        method: 'PATCH',
        url: `/v1/customers/${id}`,
        roles,
        payload: { email: emails[1], phone: phones[1] },
      });
      expect(patch.statusCode, patch.body).toBe(200);
      const conflict = await t.request({
        method: 'POST',
        url: '/v1/customers',
        roles,
        payload: { customer_type: 'b2c', name: 'Dup', email: emails[1] },
      });
      expect(conflict.statusCode, conflict.body).toBe(409);
      const bad = await t.request({
        method: 'POST',
        url: '/v1/customers',
        roles,
        payload: { customer_type: 'b2c', name: 'Bad', email: `not an email ${emails[2]}`, phone: phones[1] },
      });
      expect(bad.statusCode, bad.body).toBe(400);
      const exported = await t.request({ method: 'GET', url: `/v1/customers/${id}/export`, roles });
      expect(exported.statusCode, exported.body).toBe(200);
      const anonymized = await t.request({
        method: 'POST',
        url: `/v1/customers/${id}/anonymization`,
        roles,
        payload: { reason: 'test' },
      });
      expect(anonymized.statusCode, anonymized.body).toBeLessThan(300);
    } finally {
      await t.close();
    }
    const text = log.map((l) => JSON.stringify(l)).join('\n');
    expect(log.some((l) => l.msg === 'incoming request')).toBe(true);
    const digitsOf = (s: string) => s.replace(/\D/g, '');
    for (const needle of [...emails, ...phones, ...phones.map(digitsOf), ...emails.map(encodeURIComponent)]) {
      expect(text.includes(needle), needle).toBe(false);
    }
    for (const p of phones) expect(text.replace(/\D/g, ' ').includes(digitsOf(p)), p).toBe(false);
  });
});
