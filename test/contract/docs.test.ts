import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocs, type DocsResult, TOLERANT_READER_NOTE, verifyPage } from '../../scripts/docs.js';
import { loadSpec, SpecError } from '../../scripts/lib/asyncapi/load.js';
import { extractContract, type Json, type JsonObject } from '../../scripts/lib/asyncapi/model.js';

// The real spec when it exists (the page consumers get), else the contract fixture.
const REAL_SPEC = fileURLToPath(new URL('../../asyncapi.yaml', import.meta.url));
const SPEC = existsSync(REAL_SPEC)
  ? REAL_SPEC
  : fileURLToPath(new URL('../fixtures/contract/base.yaml', import.meta.url));

// jsdom comes with @asyncapi/html-template (no @types): only the little used here is typed.
interface DomNode {
  nodeType: number;
  tagName?: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
  getAttribute?(name: string): string | null;
}
interface DomWindow {
  document: { getElementById(id: string): DomNode | null; querySelectorAll(selector: string): ArrayLike<DomNode> };
  close(): void;
}
const { JSDOM, VirtualConsole, requestInterceptor } = createRequire(import.meta.url)('jsdom') as {
  JSDOM: new (html: string, options: object) => { window: DomWindow };
  VirtualConsole: new () => { on(event: string, listener: (error: unknown) => void): void };
  requestInterceptor: (handler: (request: Request) => Response | undefined) => unknown;
};

let outDir: string;
let first: DocsResult;
let second: DocsResult;
let window: DomWindow;
const requests: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  outDir = join(await mkdtemp(join(tmpdir(), 'docs-')), 'events');
  first = await buildDocs({ specPath: SPEC, outDir });
  second = await buildDocs({ specPath: SPEC, outDir });

  const virtualConsole = new VirtualConsole();
  virtualConsole.on('jsdomError', (error) => pageErrors.push(String(error)));
  const dom = new JSDOM(await readFile(second.outFile, 'utf8'), {
    runScripts: 'dangerously',
    pretendToBeVisual: true,
    url: 'file:///docs/events/index.html',
    virtualConsole,
    // Any subresource the page asks for (script, stylesheet, iframe, …) is recorded and refused.
    resources: {
      interceptors: [
        requestInterceptor((request) => {
          requests.push(request.url);
          return new Response('', { status: 404 });
        }),
      ],
    },
    beforeParse(w: Record<string, unknown>) {
      // What jsdom lacks and the page's bundle touches; fetch records and refuses, like the interceptor.
      w.fetch = (url: unknown) => {
        requests.push(String(url));
        return Promise.reject(new Error('no network in docs'));
      };
      Object.assign(w, { Headers, Request, Response });
      w.ResizeObserver = class {
        observe() {}
        unobserve() {}
        disconnect() {}
      };
      dropSelectorEngineListeners(w);
    },
  });
  window = dom.window;
  // The component renders twice (hydration, then after parsing): wait until the expanded state holds.
  await waitFor(() => buttons('Expand all') === 0 && buttons('Collapse all') > 0, 60_000, 3_000);
}, 240_000);

afterAll(async () => {
  window?.close();
  await rm(join(outDir, '..'), { recursive: true, force: true });
});

/**
 * jsdom's selector engine (@asamuzakjp/dom-selector) adds nine capture listeners to the window for every Document
 * it creates and never removes them: the page's bundle makes a document per rendered description (DOMParser), a few
 * thousand per render, and EventTarget scans all listeners of a type on each add, so rendering the page cost
 * quadratic time (~10 s of CPU, most of this file's). Those listeners only note the last input event for
 * :focus-visible matching inside such parsed documents; the page never sees them. The main document registered its
 * own before `beforeParse`, so they stay; later ones are dropped.
 */
function dropSelectorEngineListeners(w: Record<string, unknown>): void {
  const add = w.addEventListener as (this: unknown, type: string, listener: unknown, options?: unknown) => void;
  const handlers = new Set(['_handleFocusEvent', '_handleKeyboardEvent', '_handleMouseEvent']);
  w.addEventListener = function (this: unknown, type: string, listener: unknown, options?: unknown) {
    const engine =
      typeof listener === 'function' &&
      handlers.has(listener.name) &&
      (options as { capture?: boolean; passive?: boolean } | undefined)?.capture === true &&
      (options as { passive?: boolean }).passive === true;
    if (!engine) add.call(this, type, listener, options);
  };
}

function buttons(label: string): number {
  return Array.from(window.document.querySelectorAll('#root button')).filter((b) => b.textContent?.trim() === label)
    .length;
}

/** Resolves once `condition` has held for `holdMs` without a break, or after `ms`. */
async function waitFor(condition: () => boolean, ms: number, holdMs = 0): Promise<void> {
  const until = Date.now() + ms;
  let since: number | undefined;
  while (Date.now() < until) {
    if (!condition()) since = undefined;
    else if (since === undefined) since = Date.now();
    if (since !== undefined && Date.now() - since >= holdMs) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Text a reader sees: skips anything under a Tailwind `hidden` class (collapsed sections). */
function visibleText(node: DomNode): string {
  if (node.nodeType === 3) return node.textContent ?? '';
  if (node.nodeType !== 1 || ` ${node.getAttribute?.('class') ?? ''} `.includes(' hidden ')) return '';
  let text = '';
  for (const child of Array.from(node.childNodes)) text += `${visibleText(child)} `;
  return text.replace(/\s+/g, ' ');
}

function leafStrings(value: Json | undefined): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value !== 'object') return [String(value)];
  return Object.values(value).flatMap((v) => leafStrings(v));
}

function properties(schema: Json | undefined): [string, JsonObject][] {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return [];
  const props = schema.properties;
  if (!props || typeof props !== 'object' || Array.isArray(props)) return [];
  return Object.entries(props).flatMap(([name, s]) =>
    s && typeof s === 'object' && !Array.isArray(s) ? [[name, s] as [string, JsonObject], ...properties(s)] : [],
  );
}

describe('npm run docs', () => {
  it('when built twice, then the second run replaces the page and leaves no temporary folder', async () => {
    expect(first.outFile).toBe(second.outFile);
    expect((await stat(second.outFile)).size).toBe(second.bytes);
    expect(await readdir(join(outDir, '..'))).toEqual(['events']);
    expect(await readdir(outDir)).toEqual(['index.html']);
  }, 120_000);

  it('when the page is opened, then it requests nothing from any host', () => {
    expect(requests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('when the page is opened, then every event shows routing key, exchange, headers, payload fields with descriptions and its example, expanded', async () => {
    const model = extractContract(await loadSpec(SPEC));
    expect(model.publishedChannelIds.size).toBeGreaterThan(0);
    for (const operation of model.operations.values()) {
      if (operation.action !== 'send') continue;
      const section = window.document.getElementById(`operation-send-${operation.id}`);
      expect(section, operation.id).not.toBeNull();
      const text = visibleText(section!);
      const channel = model.channels.get(operation.channelIds[0] ?? '')!;
      const exchange = (channel.bindings.amqp as { exchange: { name: string; type: string } }).exchange;
      expect(text).toContain(`SEND ${channel.address}`);
      expect(text).toContain(`name ${exchange.name}`);
      expect(text).toContain(`type ${exchange.type}`);
      for (const message of channel.messages.values()) {
        expect(text).toContain('Headers');
        for (const [name] of properties(message.headers))
          expect(text, `${channel.address} header ${name}`).toContain(name);
        for (const [name, schema] of properties(message.payload)) {
          expect(text, `${channel.address} field ${name}`).toContain(`${name} `);
          if (typeof schema.description === 'string') {
            // Markdown is rendered: compare the first words without code marks.
            const words = schema.description.replace(/[`*]/g, '').split(/\s+/).slice(0, 4).join(' ');
            expect(text, `${channel.address} ${name} description`).toContain(words);
          }
        }
        const example = message.examples[0];
        expect(example, `${channel.address} has an example`).toBeDefined();
        for (const value of leafStrings(example?.payload)) expect(text, `${channel.address} example`).toContain(value);
      }
    }
  });

  it('when the page is read, then no schema says additional properties are not allowed, open objects say what a tolerant reader does, and the changelog is shown', () => {
    const root = window.document.getElementById('root');
    expect(root).not.toBeNull();
    const text = visibleText(root!);
    expect(text).not.toMatch(/Additional properties are\s+NOT\s+allowed/);
    expect(text).toContain(TOLERANT_READER_NOTE);
    expect(text).toContain('A tolerant reader reads the fields it knows');
    expect(text).toContain('Changelog');
    expect(text).toMatch(/1\.0\.0 — \d{4}-\d{2}-\d{2}/);
  });

  it('when the spec is invalid, then it fails with file:line:col and keeps the previous page', async () => {
    const broken = join(outDir, '..', 'broken.yaml');
    await writeFile(broken, (await readFile(SPEC, 'utf8')).replace(/action: send/, 'action: sned'));
    const before = await stat(second.outFile);
    const error = await buildDocs({ specPath: broken, outDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).message).toMatch(/broken\.yaml:\d+:\d+ /);
    expect((await stat(second.outFile)).mtimeMs).toBe(before.mtimeMs);
    await rm(broken);
  });
});

describe('verifyPage', () => {
  const page = (head: string) =>
    `<html><head>${head}</head><body><div id="root">SEND a.b</div><script></script></body></html>`;

  it.each([
    '<script src="https://cdn.example.com/ui.js"></script>',
    '<link rel="stylesheet" href="//fonts.example.com/css">',
    '<style>@font-face { src: url(https://fonts.example.com/x.woff2) }</style>',
    '<style>@import "https://cdn.example.com/x.css";</style>',
  ])('when the page loads something from another host (%s), then verification fails', (head) => {
    expect(() => verifyPage(page(head), ['a.b'])).toThrow(/docs verification failed/);
  });

  it('when an event is missing from the page, then verification fails', () => {
    expect(() => verifyPage(page(''), ['a.b', 'c.d'])).toThrow(/routing key c\.d/);
  });

  it('when the page only links out, then it passes and lists the links', () => {
    const html = page('').replace('SEND a.b', 'SEND a.b <a href="https://www.iana.org/x">json</a>');
    expect(verifyPage(html, ['a.b'])).toEqual(['https://www.iana.org/x']);
  });
});
