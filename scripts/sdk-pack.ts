/**
 * Builds and packs the consumer SDK `@customer-service/events` (generated into `generated/sdk/` by
 * `npm run generate`): compiles it to ESM with declarations in `build/sdk/`, then `npm pack`s it into `build/`.
 * The tarball's path is the last line printed.
 *
 *   npm run sdk:pack
 *   tsx scripts/sdk-pack.ts --sdk <generated sdk folder> --out <folder>
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from './lib/asyncapi/root.js';

const require = createRequire(import.meta.url);

/**
 * Compiles `sdkDir` in a scratch folder under the project's `build/` (so that it resolves the project's
 * `node_modules`: amqplib, ajv, @types/node), packs it into `outDir` and returns the tarball's path.
 */
export async function packSdk(sdkDir: string, outDir: string): Promise<string> {
  const buildDir = path.join(PROJECT_ROOT, 'build');
  await mkdir(buildDir, { recursive: true });
  await mkdir(outDir, { recursive: true });
  const work = await mkdtemp(path.join(buildDir, 'sdk-'));
  try {
    await cp(sdkDir, work, { recursive: true });
    const tsc = require.resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', path.join(work, 'tsconfig.json')], { stdio: 'inherit' });
    const manifest = JSON.parse(await readFile(path.join(work, 'package.json'), 'utf8')) as { version: string };
    const output = execFileSync('npm', ['pack', '--silent', '--pack-destination', outDir], {
      cwd: work,
      encoding: 'utf8',
    });
    const name = output.trim().split('\n').at(-1);
    if (!name?.endsWith(`-${manifest.version}.tgz`)) throw new Error(`npm pack printed ${output}`);
    return path.join(outDir, name);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename;
if (invokedDirectly) {
  const { values } = parseArgs({ options: { sdk: { type: 'string' }, out: { type: 'string' } } });
  const sdkDir = path.resolve(values.sdk ?? path.join(PROJECT_ROOT, 'generated/sdk'));
  const outDir = path.resolve(values.out ?? path.join(PROJECT_ROOT, 'build'));
  console.log(`Building ${path.relative(process.cwd(), sdkDir) || '.'} …`);
  console.log(await packSdk(sdkDir, outDir));
}
