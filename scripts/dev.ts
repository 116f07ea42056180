/**
 * npm run dev — the spec-editing loop.
 *
 * Watches asyncapi.yaml and templates/ (debounced). Each save runs one cycle:
 *   1. generate generated/ (atomic: a broken spec leaves generated/ as it was);
 *   2. then, side by side: restart the service (`tsx src/server.ts`), contract check against the released
 *      baseline (a breaking edit is flagged loudly, the loop goes on), `tsc --noEmit`, and the docs page.
 * Every problem is printed as `file:line:col message`, so terminals and editors can jump to it.
 *
 *   npm run dev                      # watch, and keep the service running
 *   npm run dev -- --once            # one cycle, no service; exit 1 when a step failed (breaking alone is 0)
 *   options: --spec <yaml> --out <dir> --docs-out <dir> --no-docs --no-typecheck --no-server
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { watch } from 'chokidar';
import { checkContract } from './contract/check.js';
import { locateProblems } from './contract/locate.js';
import { formatChange, formatSummary } from './contract/report.js';
import { buildDocs } from './docs.js';
import { GenerateError, generate } from './generate.js';
import { SpecError } from './lib/asyncapi/load.js';
import { PROJECT_ROOT as ROOT } from './lib/asyncapi/root.js';

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

export interface CycleOptions {
  specPath: string;
  outDir?: string;
  docsOutDir?: string;
  docs: boolean;
  typecheck: boolean;
  /** Called once generated/ is fresh; the service restart goes here. */
  onGenerated?: () => Promise<void>;
}

const log = (step: string, message: string) => console.log(`[dev] ${step.padEnd(9)} ${message}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One cycle; true when every step passed (a breaking contract change alone does not fail it). */
export async function runCycle(opts: CycleOptions): Promise<boolean> {
  const specText = await readFile(opts.specPath, 'utf8').catch(() => '');
  const report = (problems: readonly string[]) => {
    for (const line of locateProblems(opts.specPath, specText, problems)) console.error(line);
  };

  try {
    const result = await generate({ specPath: opts.specPath, outDir: opts.outDir, warn: (w) => report([w]) });
    log('generate', `ok: ${result.files.length} files in ${seconds(result.durationMs)}`);
  } catch (error) {
    if (!(error instanceof GenerateError)) throw error;
    report(error.problems);
    log(
      'generate',
      `FAILED (${error.step}); ${relative(process.cwd(), opts.outDir ?? 'generated') || '.'}/ left as it was`,
    );
    return false;
  }

  const steps = await Promise.all([
    opts.onGenerated?.().then(() => true) ?? true,
    contractStep(opts.specPath),
    opts.typecheck ? typecheckStep() : true,
    opts.docs ? docsStep(opts, report) : true,
  ]);
  return steps.every(Boolean);
}

async function contractStep(specPath: string): Promise<boolean> {
  try {
    const result = await checkContract({ specPath });
    if (result.status === 'no-baseline') {
      log('contract', 'skipped: no released contract yet (npm run contract:release)');
      return true;
    }
    if (result.status === 'breaking') {
      const bar = '!'.repeat(72);
      console.error(`\n${bar}\n  BREAKING CHANGE for consumers of the released contract\n${bar}`);
      for (const change of result.changes)
        if (change.severity === 'breaking') console.error(`  ${formatChange(change)}`);
      console.error(`${bar}\n`);
    }
    log('contract', formatSummary(result.changes).replace(/^contract-check: /, ''));
    return true;
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    console.error(error.message);
    log('contract', 'FAILED: the baseline or the spec does not parse');
    return false;
  }
}

function typecheckStep(): Promise<boolean> {
  const started = performance.now();
  return new Promise((done) => {
    execFile(
      process.execPath,
      [TSC, '--noEmit', '--pretty', 'false'],
      { cwd: ROOT, maxBuffer: 16 << 20 },
      (error, stdout) => {
        // `src/x.ts(12,5): error TS2322: …` → `src/x.ts:12:5 error TS2322: …`
        const lines = stdout.split('\n').filter(Boolean);
        for (const line of lines) console.error(line.replace(/^(.+?)\((\d+),(\d+)\): /, '$1:$2:$3 '));
        const errors = lines.filter((l) => /error TS\d+/.test(l)).length;
        log(
          'tsc',
          error
            ? `FAILED: ${errors} error(s) in ${seconds(performance.now() - started)}`
            : `ok in ${seconds(performance.now() - started)}`,
        );
        done(!error);
      },
    );
  });
}

async function docsStep(opts: CycleOptions, report: (problems: readonly string[]) => void): Promise<boolean> {
  try {
    const result = await buildDocs({ specPath: opts.specPath, outDir: opts.docsOutDir });
    log('docs', `ok: ${relative(process.cwd(), result.outFile)} in ${seconds(result.durationMs)}`);
    return true;
  } catch (error) {
    if (error instanceof SpecError) report(error.message.split('\n').slice(1));
    else console.error(error instanceof Error ? error.message : error);
    log('docs', 'FAILED; the previous page was kept');
    return false;
  }
}

/** The service as a child process; restarted after each successful generate. */
function serviceRunner() {
  let child: ChildProcess | undefined;
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  const restart = async () => {
    await stop();
    const started = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, stdio: 'inherit' });
    started.on('exit', (code, signal) => {
      if (child === started) log('server', `exited (${signal ?? `code ${code}`}); fix and save to restart`);
    });
    child = started;
    log('server', `started (pid ${started.pid})`);
  };
  return { restart, stop };
}

async function main(): Promise<number | undefined> {
  const { values } = parseArgs({
    options: {
      once: { type: 'boolean', default: false },
      spec: { type: 'string' },
      out: { type: 'string' },
      'docs-out': { type: 'string' },
      'no-docs': { type: 'boolean', default: false },
      'no-typecheck': { type: 'boolean', default: false },
      'no-server': { type: 'boolean', default: false },
    },
  });
  const specPath = resolve(values.spec ?? join(ROOT, 'asyncapi.yaml'));
  const options: CycleOptions = {
    specPath,
    outDir: values.out && resolve(values.out),
    docsOutDir: values['docs-out'] && resolve(values['docs-out']),
    docs: !values['no-docs'],
    typecheck: !values['no-typecheck'],
  };
  if (values.once) return (await runCycle(options)) ? 0 : 1;

  const service = values['no-server'] ? undefined : serviceRunner();
  options.onGenerated = service?.restart;
  // One cycle at a time; saves during a cycle collapse into one more cycle after it.
  let busy = false;
  let pending: string | undefined;
  const cycle = async (reason: string) => {
    pending = reason;
    if (busy) return;
    busy = true;
    while (pending) {
      console.log(`\n[dev] ${new Date().toLocaleTimeString()} ${pending}`);
      pending = undefined;
      const ok = await runCycle(options);
      log('cycle', ok ? 'done' : 'done, with failures above');
    }
    busy = false;
  };

  let timer: NodeJS.Timeout | undefined;
  const watcher = watch([specPath, join(ROOT, 'templates')], {
    ignoreInitial: true,
    ignored: (path) => path.includes('__transpiled') || path.includes('node_modules'),
  });
  watcher.on('all', (event, path) => {
    clearTimeout(timer);
    timer = setTimeout(() => void cycle(`${relative(process.cwd(), path)}: ${event}`), 250);
  });
  const shutdown = async () => {
    await watcher.close();
    await service?.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  void cycle(`watching ${relative(process.cwd(), specPath)} and templates/ (Ctrl-C to stop)`);
  return undefined;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const code = await main();
  if (code !== undefined) process.exitCode = code;
}
