/**
 * `npm start` runs this first: compile when dist/ is missing or older than the sources, and build the event
 * docs site when it is missing. A fresh clone thus needs only `npm install && npm start`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function run(command: string, args: string[]): boolean {
  const res = spawnSync(command, args, { stdio: 'inherit' });
  return res.status === 0;
}

const entry = 'dist/src/server.js';
const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
if (built < Math.max(newest('src'), newest('generated'), statSync('tsconfig.json').mtimeMs)) {
  console.log('Compiling the service (tsc)…');
  if (!run('tsc', ['-p', 'tsconfig.build.json'])) process.exit(1);
}

if (!existsSync('build/docs/events/index.html')) {
  console.log('Building the event docs site (first start only)…');
  if (!run('tsx', ['scripts/docs.ts'])) {
    console.warn('The event docs site could not be built; /docs/events will answer 503 until `npm run docs` succeeds.');
  }
}
