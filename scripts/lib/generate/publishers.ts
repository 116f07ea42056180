import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { BANNER } from './banner.js';
import type { ReceivedSpecEvent, SpecEvent } from './spec.js';

/** The part of @asyncapi/generator 3.x used here (the package ships no typings). */
interface AsyncApiGenerator {
  generate(document: AsyncAPIDocumentInterface): Promise<void>;
}
type GeneratorConstructor = new (
  templatePath: string,
  targetDir: string,
  options: { forceWrite: boolean; templateParams?: Record<string, string> },
) => AsyncApiGenerator;

const require = createRequire(import.meta.url);

/** npm's global `node_modules` folder: beside the npm running this script, else `npm root -g`. */
function globalNodeModules(): string | undefined {
  const npmCli = process.env.npm_execpath;
  if (npmCli?.endsWith(path.join('npm', 'bin', 'npm-cli.js'))) return path.resolve(npmCli, '../../..');
  const result = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * @asyncapi/generator resolves a global npm as it loads (`requireg.resolve('npm')`, used only to install
 * templates from a registry, which a local template never needs). Under the Node binary of the `node`
 * devDependency that lookup finds nothing and the require throws, so point requireg's `NODE_MODULES`
 * lookup at npm's global folder while loading it.
 */
export function loadGenerator(): GeneratorConstructor {
  const previous = process.env.NODE_MODULES;
  const global = previous === undefined ? globalNodeModules() : undefined;
  if (global) process.env.NODE_MODULES = global;
  try {
    return require('@asyncapi/generator') as GeneratorConstructor;
  } finally {
    if (previous === undefined) delete process.env.NODE_MODULES;
  }
}

/**
 * Runs our local template (`templates/publishers`, React renderer) with @asyncapi/generator into `outDir`:
 * `index.ts`, `topology.ts` and `publishers/*.ts`. The template is a local path, so nothing is installed; `forceWrite`
 * because `outDir` is a fresh temporary folder inside a git work tree. The generator transpiles the template
 * into `templates/publishers/__transpiled` (git-ignored) on every run, so template edits always apply.
 */
export async function renderPublishers(
  document: AsyncAPIDocumentInterface,
  events: readonly SpecEvent[],
  templateDir: string,
  outDir: string,
  received: readonly ReceivedSpecEvent[] = [],
): Promise<void> {
  const Generator = loadGenerator();
  const generator = new Generator(templateDir, outDir, {
    forceWrite: true,
    templateParams: templateParams(events, received),
  });
  // The parsed document is passed as is: the template asks for the v3 parser API, which it already is.
  await generator.generate(document);
}

/**
 * The template's parameters: the template reads the document through the shared model only (the events and
 * the exchange, as JSON in `model`), never by walking the parsed document itself.
 */
export function templateParams(
  events: readonly SpecEvent[],
  received: readonly ReceivedSpecEvent[] = [],
): { model: string; banner: string } {
  const [first] = events;
  if (!first?.published.exchange) throw new Error('the publishers template needs at least one event with an exchange');
  const model = {
    exchange: first.published.exchange,
    events: events.map(({ published: e }) => ({
      eventName: e.eventName,
      operationId: e.operationId,
      modelName: e.modelName,
      summary: e.summary,
      messageSummary: e.messageSummary,
      consumers: e.consumers,
      wire: e.wire,
    })),
    received: received.map((e) => ({
      eventName: e.eventName,
      operationId: e.operationId,
      modelName: e.modelName,
      summary: e.received.summary,
      exchange: e.exchange,
      queue: e.queue,
    })),
  };
  return { model: JSON.stringify(model), banner: BANNER };
}
