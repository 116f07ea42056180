import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REAL_SPEC = join(ROOT, 'asyncapi.yaml');
const SPEC = existsSync(REAL_SPEC)
  ? REAL_SPEC
  : fileURLToPath(new URL('../fixtures/contract/base.yaml', import.meta.url));

function devOnce(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const argv = ['--import', 'tsx', join(ROOT, 'scripts/dev.ts'), '--once', '--no-docs', '--no-typecheck', ...args];
  return new Promise((resolve) => {
    execFile(process.execPath, argv, { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** path → sha256 of every file under dir. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[relative(dir, path)] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return out;
}

let dir: string;
let outDir: string;
let before: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dev-loop-'));
  outDir = join(dir, 'generated');
  await mkdir(join(outDir, 'models'), { recursive: true });
  await writeFile(join(outDir, 'index.ts'), '// output of an earlier, good cycle\n');
  await writeFile(join(outDir, 'models', 'index.ts'), 'export type Kept = true;\n');
  before = await snapshot(outDir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run dev -- --once', () => {
  it('when the spec does not parse, then it prints file:line:col diagnostics, exits 1 and leaves the output untouched', async () => {
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, (await readFile(SPEC, 'utf8')).replace('action: send', 'action: sned'));
    const { code, stdout, stderr } = await devOnce(['--spec', broken, '--out', outDir]);

    expect(code).toBe(1);
    const diagnostics = stderr.split('\n').filter((line) => line.includes('sned') || line.includes('action'));
    expect(diagnostics.length).toBeGreaterThan(0);
    const file = relative(ROOT, broken);
    for (const line of diagnostics)
      expect(line).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ `));
    // The position is the broken line itself.
    const lineNo = Number(/:(\d+):\d+ /.exec(diagnostics[0] ?? '')?.[1]);
    expect((await readFile(broken, 'utf8')).split('\n')[lineNo - 1]).toContain('action: sned');
    expect(stdout).toContain('left as it was');
    expect(await snapshot(outDir)).toEqual(before);
  });

  it('when the spec parses but breaks a generator rule, then the problem is located at the YAML key it names', async () => {
    const text = await readFile(SPEC, 'utf8');
    const match = /const: ([a-z]+\.[a-z.]+)\n/.exec(text);
    expect(match).not.toBeNull();
    const semantic = join(dir, 'semantic.yaml');
    await writeFile(semantic, text.replace(match![0], `const: ${match![1]}.typo\n`));
    const { code, stderr } = await devOnce(['--spec', semantic, '--out', outDir]);

    expect(code).toBe(1);
    const line = stderr.split('\n').find((l) => l.includes('.typo'));
    const [, lineNo, operationId] = /^\S+semantic\.yaml:(\d+):\d+ operation (\w+):/.exec(line ?? '') ?? [];
    expect(operationId, line).toBeDefined();
    expect((await readFile(semantic, 'utf8')).split('\n')[Number(lineNo) - 1]?.trim()).toBe(`${operationId}:`);
    expect(await snapshot(outDir)).toEqual(before);
  });
});
