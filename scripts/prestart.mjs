/**
 * `npm start` runs this first. Plain JavaScript on purpose: it must run where only production dependencies are
 * installed (`npm prune --omit=dev`), so it may use nothing but Node itself.
 *
 * - In a development checkout (TypeScript installed) it compiles the service when `dist/` is missing or older than
 *   the sources, and builds the event docs site when it is missing: a fresh clone needs only `npm install && npm start`.
 * - In a production install it changes nothing: `npm run build` made `dist/` and the docs site before the prune.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ENTRY = 'dist/src/server.js';
const DOCS = 'build/docs/events/index.html';
const bin = (name) => join('node_modules', '.bin', name);

function newest(dir) {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function run(command, args) {
  return spawnSync(command, args, { stdio: 'inherit' }).status === 0;
}

const built = existsSync(ENTRY) ? statSync(ENTRY).mtimeMs : 0;
const sources = Math.max(newest('src'), newest('generated'), statSync('tsconfig.json').mtimeMs);
const canCompile = existsSync(bin('tsc'));

if (built < sources) {
  if (canCompile) {
    console.log('Compiling the service (tsc)…');
    if (!run(bin('tsc'), ['-p', 'tsconfig.build.json'])) process.exit(1);
  } else if (built === 0) {
    console.error(
      `${ENTRY} is missing and TypeScript is not installed: run \`npm run build\` before pruning dev dependencies.`,
    );
    process.exit(1);
  } else {
    console.warn(`${ENTRY} is older than the sources and TypeScript is not installed: starting the existing build.`);
  }
}

if (!existsSync(DOCS)) {
  if (existsSync(bin('tsx'))) {
    console.log('Building the event docs site (first start only)…');
    if (!run(bin('tsx'), ['scripts/docs.ts'])) {
      console.warn('The event docs site could not be built; /docs/events answers 503 until `npm run docs` succeeds.');
    }
  } else {
    console.warn('The event docs site is not built (`npm run build` builds it); /docs/events answers 503.');
  }
}
