import { createSecretKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { TEST_JWT_SECRET } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/database.js';
import { useTestApp } from '../helpers/fixtures.js';
import { freePort, spawnNode, waitHttp } from '../helpers/process.js';

const secret = createSecretKey(Buffer.from(TEST_JWT_SECRET));
const now = () => Math.floor(Date.now() / 1000);

describe('development auth and CLOCK_OFFSET', () => {
  it('when NODE_ENV is anything but unset, development or test, then development auth refuses to start, saying what to set', () => {
    for (const NODE_ENV of ['production', 'Production', 'prod', 'staging', 'DEVELOPMENT']) {
      expect(() => loadConfig({ NODE_ENV }), NODE_ENV).toThrow(ConfigError);
      expect(() => loadConfig({ NODE_ENV }), NODE_ENV).toThrow(/set JWT_SECRET .* or JWT_PUBLIC_KEY/);
    }
    for (const NODE_ENV of [undefined, '', 'development', 'test']) {
      expect(loadConfig({ NODE_ENV }).JWT_SECRET, String(NODE_ENV)).toBeUndefined();
    }
  });

  it('when HOST is not loopback, then development auth refuses to start; loopback addresses are allowed', () => {
    for (const HOST of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.1', 'example.com', '::ffff:10.0.0.1']) {
      expect(() => loadConfig({ HOST }), HOST).toThrow(/HOST=.* is not a loopback address/);
      expect(loadConfig({ HOST, JWT_SECRET: TEST_JWT_SECRET }).HOST).toBe(HOST);
    }
    for (const HOST of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) {
      expect(loadConfig({ HOST }).HOST, HOST).toBe(HOST);
    }
  });

  it('when JWT_SECRET is shorter than 32 bytes, then the service refuses to start', () => {
    expect(() => loadConfig({ JWT_SECRET: 'x'.repeat(31) })).toThrow(/at least 32 bytes/);
    expect(loadConfig({ JWT_SECRET: 'x'.repeat(32) }).JWT_SECRET).toHaveLength(32);
  });

  it('when CLOCK_OFFSET is set outside development/test or off loopback, then it is refused even with a secret', () => {
    const s = { JWT_SECRET: TEST_JWT_SECRET, CLOCK_OFFSET: 'P1D' };
    expect(() => loadConfig({ ...s, NODE_ENV: 'staging' })).toThrow(/CLOCK_OFFSET is refused/);
    expect(() => loadConfig({ ...s, HOST: '0.0.0.0' })).toThrow(/CLOCK_OFFSET is refused/);
    expect(loadConfig({ ...s, NODE_ENV: 'test' }).CLOCK_OFFSET).toBe('P1D');
  });

  it('when the real service starts with NODE_ENV=staging and no secret, then it exits with the message', async () => {
    const child = spawnNode(['--import', 'tsx', 'src/server.ts'], { NODE_ENV: 'staging', JWT_SECRET: '' });
    await new Promise<void>((resolve) => child.proc.once('exit', () => resolve()));
    expect(child.proc.exitCode).toBe(1);
    expect(child.output()).toMatch(/development auth .* refused because NODE_ENV=staging .* set JWT_SECRET/);
  });

  it('when the service starts with no security settings, then it prints a development token that expires and works', async () => {
    const db = await createTestDatabase();
    const port = await freePort();
    const child = spawnNode(['--import', 'tsx', 'src/server.ts'], {
      DATABASE_URL: db.url,
      PORT: String(port),
      NODE_ENV: '',
      HOST: '',
      JWT_SECRET: '',
      LOG_FORMAT: 'json',
    });
    try {
      await waitHttp(`http://127.0.0.1:${port}/health/live`, child);
      await expect.poll(() => child.output(), { timeout: 10_000 }).toMatch(/Development token/);
      const token = /\n {2}(ey[\w-]+\.[\w-]+\.[\w-]+)\n/.exec(child.output())?.[1] ?? '';
      const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
      expect(claims.exp - claims.iat).toBe(86_400);
      const res = await fetch(`http://127.0.0.1:${port}/v1/customers`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
    } finally {
      await child.stop();
      await db.drop();
    }
  });
});

describe('token checks', () => {
  const t = useTestApp({ env: { JWT_ISSUER: 'https://id.example', JWT_AUDIENCE: 'customer-service' }, relay: false });
  const base = () => ({ org: t.org, roles: [] as string[], iss: 'https://id.example', aud: 'customer-service' });
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('u').sign(secret);
  const call = async (token: string) =>
    t.app.inject({ method: 'GET', url: '/v1/customers', headers: { authorization: `Bearer ${token}` } });

  it('when a token has the right iss, aud, iat and exp, then it is accepted', async () => {
    expect((await call(await sign({ ...base(), iat: now(), exp: now() + 600 }))).statusCode).toBe(200);
    // A few seconds of clock drift are tolerated (JWT_CLOCK_TOLERANCE_SECONDS, 30).
    expect((await call(await sign({ ...base(), iat: now() + 10, exp: now() + 600 }))).statusCode).toBe(200);
  });

  it('when exp is missing, iat is in the future or too old, or iss/aud differ, then 401 problem details', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base(), iat: now() }, 'no exp'],
      [{ ...base(), iat: now() + 3600, exp: now() + 7200 }, 'iat an hour ahead'],
      [{ ...base(), iat: now() + 315_360_000, exp: now() + 315_400_000 }, 'iat ten years ahead'],
      [{ ...base(), iat: now() - 90_000, exp: now() + 600 }, 'issued over 24 h ago'],
      [{ ...base(), exp: now() + 30 * 86_400 }, 'no iat and a 30-day exp'],
      [{ ...base(), iat: now(), exp: now() + 600, iss: 'https://evil.example' }, 'foreign issuer'],
      [{ ...base(), iat: now(), exp: now() + 600, iss: undefined }, 'no issuer'],
      [{ ...base(), iat: now(), exp: now() + 600, aud: 'another-service' }, 'foreign audience'],
      [{ ...base(), iat: now(), exp: now() + 600, aud: undefined }, 'no audience'],
    ];
    for (const [claims, why] of cases) {
      const res = await call(await sign(claims));
      expect(res.statusCode, `${why}: ${res.body}`).toBe(401);
      expect(res.headers['content-type'], why).toContain('application/problem+json');
      expect(res.json().type, why).toBe('https://customer-service.dev/problems/unauthorized');
    }
  });
});
