import { existsSync, mkdirSync, statSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_NAMES } from '../../generated/index.js';
import { buildDocs } from '../../scripts/docs.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/**
 * A consumer's view: the running service's docs pages in a real headless Chromium (Debian's package, driven by
 * playwright-core). Screenshots go to test-output/.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let t: TestApp;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (.ci/run does).`);
  }
  const page = 'build/docs/events/index.html';
  // A page built from an older asyncapi.yaml would miss events: rebuild it then.
  if (!existsSync(page) || statSync(page).mtimeMs < statSync('asyncapi.yaml').mtimeMs) await buildDocs();
  t = await startTestApp({ backend: 'pglite', relay: false });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync('test-output', { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function open(path: string) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const external: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && !['data:', 'blob:', 'about:'].includes(url.protocol)) {
      external.push(req.url());
    }
  });
  await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
  return { page, external };
}

describe('docs in a real browser', () => {
  it('when a consumer opens /docs/events, then every event is there with its routing key, exchange, schema, example and consumers, with no request to another host', async () => {
    const { page, external } = await open('/docs/events');
    await page.screenshot({ path: 'test-output/docs-events.png', fullPage: false });
    // biome-ignore lint/performance/useDomNodeTextContent: the visible text is the point (no hidden sections)
    const text = await page.locator('body').innerText();
    for (const name of EVENT_NAMES) expect(text).toContain(name);
    expect(text).toContain('customer_events');
    expect(text).toContain('organization_id');
    expect(text).toMatch(/Consumers?:?\s/i);
    // The seed example values are visible without a click.
    expect(text).toContain('loy_txn_001');
    expect(text).toContain('juan@example.com');
    expect(external).toEqual([]);
    await page.close();
  }, 60_000);

  it('when a consumer opens /docs, then the HTTP API is rendered with its paths', async () => {
    const { page, external } = await open('/docs');
    await page.waitForSelector('.opblock', { timeout: 20_000 });
    await page.screenshot({ path: 'test-output/docs-http.png', fullPage: false });
    // biome-ignore lint/performance/useDomNodeTextContent: the visible text is the point (no hidden sections)
    const text = await page.locator('body').innerText();
    for (const path of [
      '/v1/customers',
      '/v1/customers/{customer_id}',
      '/v1/customers/{customer_id}/loyalty/earn',
      '/v1/customers/{customer_id}/loyalty/redeem',
      '/v1/loyalty/program',
      '/v1/customers/{customer_id}/credit',
      '/v1/customers/{customer_id}/credit/usages',
      '/v1/customers/{customer_id}/credit/payments',
    ]) {
      expect(text).toContain(path);
    }
    expect(external).toEqual([]);
    await page.close();
  }, 60_000);
});
