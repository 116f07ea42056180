import { existsSync, mkdirSync, statSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_NAMES, inboundTopology, RECEIVED_EVENT_NAMES } from '../../generated/index.js';
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
  // A page built from an older asyncapi.yaml (or changelog, or docs script) would miss events: rebuild it then.
  const sources = ['asyncapi.yaml', 'contract/CHANGELOG.md', 'scripts/docs.ts', 'scripts/lib/docs/events-section.ts'];
  if (!existsSync(page) || sources.some((source) => statSync(page).mtimeMs < statSync(source).mtimeMs)) {
    await buildDocs();
  }
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

  it('when a producer team opens /docs/events, then each consumed event is shown beside the published ones with its exchange, routing key, our queue, what we do and what we publish', async () => {
    const { page, external } = await open('/docs/events');
    // The UI renders twice (hydration, then after parsing) and the page's script then expands every schema: wait
    // for that final state before touching an element.
    // (A string: the page's code runs in the browser, and this project's TypeScript has no DOM types.)
    await page.waitForFunction(
      `(() => {
        const labels = Array.from(document.querySelectorAll('#root button'), (b) => b.textContent.trim());
        return !labels.includes('Expand all') && labels.includes('Collapse all');
      })()`,
      undefined,
      { timeout: 60_000 },
    );
    await page.getByRole('heading', { name: 'Published and consumed events' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-output/docs-events-consumed.png', fullPage: false });
    // The generated table: one row per event, published and consumed in the same table.
    const table = page.locator('table').filter({ hasText: 'event (routing key)' });
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows.filter((row) => row.startsWith('published'))).toHaveLength(EVENT_NAMES.length);
    for (const queue of inboundTopology) {
      for (const name of queue.routingKeys) {
        const row = rows.find((r) => r.startsWith('consumed') && r.includes(name));
        expect(row, name).toBeDefined();
        expect(row).toContain(queue.exchange.name);
        expect(row).toContain(queue.queue);
      }
    }
    // What we do with each, and what we publish as a result, in full.
    // biome-ignore lint/performance/useDomNodeTextContent: the visible text is the point (no hidden sections)
    const text = await page.locator('body').innerText();
    for (const name of RECEIVED_EVENT_NAMES) expect(text).toContain(name);
    expect(text).toContain('We publish as a result: loyalty.points.reversed, credit.usage.cancelled');
    expect(text).toContain('What we do: Reverses every point of the order');
    expect(text).toContain('customer-service.order-events.dlq');
    expect(external).toEqual([]);
    await page.close();
  }, 120_000);

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
