import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../asyncapi/root.js';
import { stagedSwap } from '../asyncapi/swap.js';
import { BANNER } from './banner.js';
import { validateExamples, validateReceivedExamples } from './examples.js';
import { compareDirs, type DirDifference, formatDir, listFiles, writeFiles } from './files.js';
import { renderModels } from './models.js';
import { renderPublishers } from './publishers.js';
import { renderSchemaFiles } from './schemas.js';
import { renderSdk } from './sdk.js';
import { parseSpec } from './spec.js';

export { GenerateError } from './errors.js';
export { BANNER, PROJECT_ROOT };
export const TEMPLATE_DIR = path.join(PROJECT_ROOT, 'templates/publishers');
/** The event-independent runtime shared by the service (`generated/runtime/`) and the SDK (`sdk/src/`). */
export const RUNTIME_DIR = path.join(PROJECT_ROOT, 'templates/runtime');

/** The shared runtime's files, each with the banner, by file name. */
export async function runtimeFiles(banner: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of (await readdir(RUNTIME_DIR)).filter((file) => file.endsWith('.ts')).sort()) {
    files.set(name, `${banner}\n\n${await readFile(path.join(RUNTIME_DIR, name), 'utf8')}`);
  }
  return files;
}

export interface GenerateOptions {
  /** The AsyncAPI document; default `asyncapi.yaml` of the project. */
  readonly specPath?: string;
  /** Where the generated code goes; default `generated/` of the project. */
  readonly outDir?: string;
  /** Where warnings go; default `console.warn`. */
  readonly warn?: (line: string) => void;
}

export interface GenerateResult {
  /** The generated files, relative to `outDir`. */
  readonly files: readonly string[];
  readonly warnings: readonly string[];
  readonly durationMs: number;
}

function resolveOptions(options: GenerateOptions) {
  return {
    specPath: path.resolve(options.specPath ?? path.join(PROJECT_ROOT, 'asyncapi.yaml')),
    outDir: path.resolve(options.outDir ?? path.join(PROJECT_ROOT, 'generated')),
    warn: options.warn ?? ((line: string) => console.warn(line)),
  };
}

/** Every step, written into `dir` (which must be empty). */
async function generateInto(specPath: string, dir: string, warn: (line: string) => void): Promise<string[]> {
  const spec = await parseSpec(specPath);
  for (const warning of spec.warnings) warn(`warning: ${warning}`);
  validateExamples(spec.events);
  validateReceivedExamples(spec.received);
  const models = await renderModels(spec.document, [...spec.events, ...spec.received], BANNER);
  await writeFiles(
    dir,
    new Map([
      ['models/index.ts', models],
      ...renderSchemaFiles(spec.events, BANNER, spec.received),
      ...[...(await runtimeFiles(BANNER))].map(([name, text]): [string, string] => [`runtime/${name}`, text]),
    ]),
  );
  await renderPublishers(spec.document, spec.events, TEMPLATE_DIR, dir, spec.received);
  await renderSdk(spec, models, BANNER, path.join(dir, 'sdk'));
  await formatDir(dir, PROJECT_ROOT);
  return spec.warnings.slice();
}

/**
 * Generates models, publishers, schemas and `index.ts` from the AsyncAPI document. Everything is written to
 * a temporary folder first; `outDir` is replaced only when every step succeeded, so a broken document leaves
 * it untouched. Throws `GenerateError` (with one line per problem) when the document is invalid.
 */
export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const started = performance.now();
  const { specPath, outDir, warn } = resolveOptions(options);
  return stagedSwap(outDir, async (staging) => {
    const warnings = await generateInto(specPath, staging, warn);
    const files = await listFiles(staging);
    return { files, warnings, durationMs: Math.round(performance.now() - started) };
  });
}

export interface CheckResult extends DirDifference {
  readonly upToDate: boolean;
  readonly durationMs: number;
}

/** Generates into a temporary folder and compares it with `outDir`, which is left as it is. */
export async function checkGenerated(options: GenerateOptions = {}): Promise<CheckResult> {
  const started = performance.now();
  const { specPath, outDir, warn } = resolveOptions(options);
  const temp = await mkdtemp(path.join(os.tmpdir(), 'generate-check-'));
  try {
    await generateInto(specPath, temp, warn);
    const difference = await compareDirs(temp, outDir);
    const upToDate = difference.stale.length + difference.missing.length + difference.extra.length === 0;
    return { ...difference, upToDate, durationMs: Math.round(performance.now() - started) };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
