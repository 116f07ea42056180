/**
 * npm run docs — the consumers' documentation of our events, built from asyncapi.yaml:
 * one self-contained build/docs/events/index.html (scripts and styles inlined, no request to another host).
 *
 * - @asyncapi/html-template is given by its installed *path*: a bare package name makes @asyncapi/generator
 *   install it from the registry first. Nothing touches the network at generation time.
 * - Template params are strings (`singleFile: 'true'`); `config` is the React component's config as JSON:
 *   examples expanded, sidebar listing routing keys.
 * - The page is written into a temporary folder next to the output and swapped in only when generation and
 *   verification succeeded, so a failed run leaves the previous docs in place and a second run just replaces them.
 * - Post-processing: the template renders every payload schema and binding collapsed behind "Expand all" and has
 *   no option for it, so a small inline script (EXPAND_SCRIPT) clicks those buttons once the page has rendered.
 * - The description gains a section written from the operations: every published event beside every consumed one
 *   (exchange, routing key, our queue, what the service does with it, what it publishes as a result), then the
 *   changelog.
 * - Verification: no `<script src>`, `<link href>`, `<img src>`, CSS `url()` or `@import` pointing at another
 *   host, and every routing key (published or consumed) and each of our queues is on the page. Outbound `<a href>` links (e.g. the IANA media-type
 *   link the template puts next to `application/json`) are navigation, not requests, and are allowed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseDocument } from 'yaml';
import { receivedEvents } from './lib/asyncapi/events.js';
import { loadSpec, SpecError } from './lib/asyncapi/load.js';
import { extractContract } from './lib/asyncapi/model.js';
import { PROJECT_ROOT as ROOT } from './lib/asyncapi/root.js';
import { stagedSwap } from './lib/asyncapi/swap.js';
import { eventsSection } from './lib/docs/events-section.js';

const require = createRequire(import.meta.url);
const TEMPLATE = dirname(require.resolve('@asyncapi/html-template/package.json'));

/** React component config (@asyncapi/react-component ConfigInterface), merged by the template into its defaults. */
const COMPONENT_CONFIG = {
  show: { sidebar: true },
  expand: { messageExamples: true },
  sidebar: { showOperations: 'byDefault', useChannelAddressAsIdentifier: true },
};

/**
 * Injected before the last `</body>`. Clicks each "Expand all" button (payload, headers, bindings) once, when
 * React owns it (it carries React's `__reactProps$…` key) and it has existed for 300 ms: the component renders
 * twice (hydration, then again after parsing the document), and a click on a freshly mounted schema is undone
 * by its own mount effect. A button is clicked at most once, so a reader's "Collapse all" sticks. Polling stops
 * 10 s after the last new button appeared (or after 60 s without any: slow machines render late).
 */
/** The template's typography styles wrap inline code in visible backticks (`customer_events` shows its quotes). */
const STYLE_FIXES = `<style>/* added by scripts/docs.ts */ .aui-root .prose code::before, .aui-root .prose code::after { content: none; }</style>`;

const EXPAND_SCRIPT = `<script>/* added by scripts/docs.ts: show schemas and bindings expanded */
(function () {
  if (typeof WeakMap !== 'function') return;
  var seen = new WeakMap();
  var started = Date.now();
  var lastNew = 0;
  var owned = function (el) {
    return Object.keys(el).some(function (k) { return k.indexOf('__reactProps$') === 0; });
  };
  (function expand() {
    var now = Date.now();
    var buttons = document.querySelectorAll('#root button');
    for (var i = 0; i < buttons.length; i++) {
      var b = buttons[i];
      if (b.textContent.trim() !== 'Expand all' || !owned(b)) continue;
      var first = seen.get(b);
      if (first === undefined) {
        seen.set(b, now);
        lastNew = now;
      } else if (first >= 0 && now - first >= 300) {
        seen.set(b, -1);
        b.click();
      }
    }
    var waiting = lastNew === 0 ? now - started < 60000 : now - lastNew < 10000;
    if (waiting) setTimeout(expand, 100);
  })();
})();
</script>`;

export interface DocsOptions {
  /** Default: the project's asyncapi.yaml. */
  specPath?: string;
  /** Default: build/docs/events/ of the project. */
  outDir?: string;
}

export interface DocsResult {
  outFile: string;
  bytes: number;
  durationMs: number;
  /** Outbound links on the page (navigation only; nothing is loaded from them). */
  outboundLinks: string[];
}

/**
 * Generates `outDir/index.html` from the spec. Throws `SpecError` (file:line:col diagnostics) on an invalid spec
 * and `Error` when the page fails verification; in both cases `outDir` keeps its previous content.
 */
export async function buildDocs(options: DocsOptions = {}): Promise<DocsResult> {
  const started = performance.now();
  const specPath = resolve(options.specPath ?? join(ROOT, 'asyncapi.yaml'));
  const outDir = resolve(options.outDir ?? join(ROOT, 'build/docs/events'));
  // The generator parses too, but its errors carry no positions: fail first with the parser's diagnostics.
  const model = extractContract(await loadSpec(specPath));
  // Every event's routing key, published or consumed, and each of our queues must reach the page.
  const routingKeys = [...model.channels.values()].map((channel) => channel.address ?? channel.id);
  const queues = receivedEvents(model).events.flatMap((event) => (event.queue ? [event.queue.name] : []));

  const html = await stagedSwap(outDir, async (staging) => {
    const Generator = loadGenerator();
    const generator = new Generator(TEMPLATE, staging, {
      forceWrite: true,
      compile: !transpiledTemplateIsUsable(),
      templateParams: { singleFile: 'true', outFilename: 'index.html', config: JSON.stringify(COMPONENT_CONFIG) },
    });
    await generator.generateFromFile(await docsSpec(specPath, staging, eventsSection(model)));

    const file = join(staging, 'index.html');
    const generated = await readFile(file, 'utf8');
    // The last `</body>`: the inlined UI bundle contains the string too.
    const end = generated.lastIndexOf('</body>');
    const page = tolerantReaderNote(
      `${generated.slice(0, end)}${STYLE_FIXES}\n${EXPAND_SCRIPT}\n${generated.slice(end)}`,
    );
    await writeFile(file, page);
    await rm(join(staging, '.spec.yaml'), { force: true });
    return page;
  });
  const outboundLinks = verifyPage(html, routingKeys, queues);
  const outFile = join(outDir, 'index.html');
  return {
    outFile,
    bytes: (await stat(outFile)).size,
    durationMs: Math.round(performance.now() - started),
    outboundLinks,
  };
}

/** What the page says under an open object, in the pre-rendered HTML and in the UI bundle that re-renders it. */
export const TOLERANT_READER_NOTE =
  'Open object: new optional fields may be added; a tolerant reader ignores fields it does not know.';

/** The template says "Additional properties are allowed." under every open object: say what a tolerant reader does. */
function tolerantReaderNote(html: string): string {
  return html.replaceAll('Additional properties are allowed.', TOLERANT_READER_NOTE);
}

/**
 * A copy of the spec (in `dir`, as `.spec.yaml`) whose `info.description` ends with `section` (the published and
 * consumed events side by side) and the changelog, so the page shows what changed in each release. The
 * changelog's headings are moved two levels down to sit under the description's own. Only internal `$ref`s
 * survive the move, which is all the project's document uses.
 */
async function docsSpec(specPath: string, dir: string, section: string): Promise<string> {
  const changelogPath = join(dirname(specPath), 'contract/CHANGELOG.md');
  const changelog = existsSync(changelogPath)
    ? (await readFile(changelogPath, 'utf8'))
        .replace(/^# .*\n+/, '')
        .replace(/^(#+) /gm, (_, hashes: string) => `${hashes}## `)
    : undefined;
  const document = parseDocument(await readFile(specPath, 'utf8'));
  const description = String(document.getIn(['info', 'description']) ?? '');
  const history = changelog === undefined ? '' : `\n\n## Changelog\n\n${changelog.trim()}\n`;
  document.setIn(['info', 'description'], `${description.trimEnd()}\n\n${section.trim()}${history}`);
  const copy = join(dir, '.spec.yaml');
  await writeFile(copy, document.toString({ lineWidth: 0 }));
  return copy;
}

/**
 * Throws when the page would load anything from another host or misses an event (its routing key) or one of our
 * queues; returns outbound links.
 */
export function verifyPage(html: string, routingKeys: readonly string[], queues: readonly string[] = []): string[] {
  const external = /^(?:https?:)?\/\//i;
  const problems: string[] = [];
  for (const match of html.matchAll(/<(script|link|img|iframe|source|video|audio|embed|object)\b[^>]*>/gi)) {
    const tag = match[0];
    for (const attr of tag.matchAll(/\b(src|href|data|srcset)\s*=\s*["']?([^"'\s>]+)/gi)) {
      if (external.test(attr[2] ?? '')) problems.push(`${tag.slice(0, 120)}`);
    }
  }
  for (const match of html.matchAll(/url\(\s*["']?((?:https?:)?\/\/[^"')]+)/gi)) problems.push(`url(${match[1]})`);
  for (const match of html.matchAll(/@import\s+(?:url\()?\s*["']?((?:https?:)?\/\/[^"')\s;]+)/gi)) {
    problems.push(`@import ${match[1]}`);
  }
  const rootStart = html.indexOf('<div id="root">');
  const rendered = rootStart >= 0 ? html.slice(rootStart, html.indexOf('<script', rootStart)) : '';
  for (const key of routingKeys) if (!rendered.includes(key)) problems.push(`routing key ${key} is not on the page`);
  for (const queue of queues) if (!rendered.includes(queue)) problems.push(`queue ${queue} is not on the page`);
  if (problems.length > 0) throw new Error(`docs verification failed:\n  ${problems.join('\n  ')}`);
  const links = [...rendered.matchAll(/<a\b[^>]*\bhref="(https?:\/\/[^"]+)"/gi)].map((m) => m[1] ?? '');
  return [...new Set(links)].sort();
}

/**
 * The generator transpiles the template (Babel, ~10 s: it also runs over the 2.5 MB UI bundle) into
 * `<template>/__transpiled/` unless `compile: false`. The copy shipped in the package requires files by absolute
 * paths of the machine that published it, so it is unusable until the first compile here; after that, reusing it
 * makes a build take ~2 s instead of ~12 s. Reuse it when every absolute `require` in it exists and it is newer
 * than the template's sources (a reinstall or upgrade brings the shipped copy back, which fails that check).
 */
function transpiledTemplateIsUsable(): boolean {
  const entry = join(TEMPLATE, '__transpiled', 'index.html.js');
  if (!existsSync(entry)) return false;
  const built = statSync(entry).mtimeMs;
  const sources = ['template/index.html.js', 'components/index.js', 'helpers/all.js'].map((f) => join(TEMPLATE, f));
  if (sources.some((f) => existsSync(f) && statSync(f).mtimeMs > built)) return false;
  const text = readFileSync(entry, 'utf8');
  const absolute = [...text.matchAll(/require\((['"])((?:\/|[A-Za-z]:\\)[^'"]+)\1\)/g)].map((m) => m[2] ?? '');
  return absolute.length > 0 && absolute.every((path) => existsSync(path));
}

interface GeneratorInstance {
  generateFromFile(path: string): Promise<void>;
}
type GeneratorClass = new (
  template: string,
  targetDir: string,
  options: { forceWrite?: boolean; compile?: boolean; templateParams?: Record<string, string> },
) => GeneratorInstance;

/**
 * @asyncapi/generator resolves the *global* npm when it is first required (`requireg.resolve('npm')`, used only to
 * install templates) and crashes when that fails, which it does when Node comes from node_modules/.bin (the `node`
 * package) instead of the system install. Point requireg at the global npm's folder for that one require.
 */
function loadGenerator(): GeneratorClass {
  const previous = process.env.NODE_MODULES;
  const prefix = process.env.npm_config_global_prefix ?? globalNpmPrefix();
  process.env.NODE_MODULES = [join(prefix, 'lib', 'node_modules'), join(prefix, 'lib'), previous]
    .filter(Boolean)
    .join(process.platform === 'win32' ? ';' : ':');
  try {
    return require('@asyncapi/generator') as GeneratorClass;
  } finally {
    if (previous === undefined) delete process.env.NODE_MODULES;
    else process.env.NODE_MODULES = previous;
  }
}

/** `npm prefix -g`, for runs outside `npm run`/`npx` (which export it as npm_config_global_prefix). */
function globalNpmPrefix(): string {
  try {
    return execFileSync('npm', ['prefix', '-g'], { encoding: 'utf8' }).trim();
  } catch {
    return '/usr';
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { spec: { type: 'string' }, out: { type: 'string' } } });
  try {
    const result = await buildDocs({ specPath: values.spec, outDir: values.out });
    const mb = (result.bytes / 1024 / 1024).toFixed(1);
    console.log(
      `docs: ${relative(process.cwd(), result.outFile)} (${mb} MB, self-contained) in ${(result.durationMs / 1000).toFixed(1)} s`,
    );
    if (result.outboundLinks.length > 0)
      console.log(`docs: outbound links (not loaded): ${result.outboundLinks.join(', ')}`);
    return 0;
  } catch (error) {
    if (error instanceof SpecError) {
      console.error(error.message);
      return 1;
    }
    console.error(error instanceof Error ? error.message : error);
    return 1;
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
