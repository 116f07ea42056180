import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_FIXTURE, baseYaml, EARNED_FIELDS } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'scripts/contract-check.ts');

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

let dir: string;
let breakingSpec: string;
let additiveSpec: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'contract-cli-'));
  const broken = baseYaml();
  broken.setIn([...EARNED_FIELDS, 'tier', 'type'], 'integer');
  broken.deleteIn([...EARNED_FIELDS, 'tier', 'enum']);
  breakingSpec = join(dir, 'breaking.yaml');
  await writeFile(breakingSpec, broken.toString());
  const grown = baseYaml();
  grown.setIn([...EARNED_FIELDS, 'channel'], { type: 'string' });
  additiveSpec = join(dir, 'additive.yaml');
  await writeFile(additiveSpec, grown.toString());
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const base = fileURLToPath(BASE_FIXTURE);

describe('npm run contract:check', () => {
  it('when the spec only grew, then it exits 0 and lists the additive change', async () => {
    const { code, stdout } = await run(['--base', base, '--spec', additiveSpec]);
    expect(code).toBe(0);
    expect(stdout).toContain('ADDITIVE loyalty.points.earned data.channel: new optional field');
    expect(stdout).toMatch(/0 breaking, 1 additive, 0 info — OK/);
  });

  it('when the spec breaks the baseline, then it exits 1 with one line per breaking change', async () => {
    const { code, stdout } = await run(['--base', base, '--spec', breakingSpec]);
    expect(code).toBe(1);
    expect(stdout).toContain('BREAKING (1)\n  BREAKING loyalty.points.earned data.tier: type changed string → integer');
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^contract-check: 1 breaking, .* FAIL/);
  });

  it('when --json is given, then the output is machine-readable', async () => {
    const { code, stdout } = await run(['--base', base, '--spec', breakingSpec, '--json']);
    expect(code).toBe(1);
    const output = JSON.parse(stdout);
    expect(output.ok).toBe(false);
    expect(output.summary).toEqual({ breaking: 1, additive: 0, info: 0 });
    expect(output.changes[0]).toMatchObject({
      severity: 'breaking',
      rule: 'type-changed',
      event: 'loyalty.points.earned',
      part: 'payload',
      path: 'data.tier',
    });
  });

  it('when there is no baseline, then it exits 2 and says how to create one', async () => {
    const { code, stderr } = await run(['--base', join(dir, 'missing.yaml'), '--spec', base]);
    expect(code).toBe(2);
    expect(stderr).toContain('npm run contract:release');
  });

  it('when the spec does not parse, then it exits 2 with file:line:col diagnostics', async () => {
    const invalid = join(dir, 'invalid.yaml');
    await writeFile(invalid, (await readFile(base, 'utf8')).replace('action: send', 'action: sned'));
    const { code, stderr } = await run(['--base', base, '--spec', invalid]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/invalid\.yaml:\d+:\d+ .*action/);
  });

  it('when --help is given, then it explains the baseline', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('contract/released/asyncapi.yaml');
  });
});

describe('npm run contract:release', () => {
  it('when released, then the baseline is a copy with a note; a breaking spec is refused unless --allow-breaking', async () => {
    const baseline = join(dir, 'released', 'asyncapi.yaml');
    const first = await run(['--release', '--spec', base, '--base', baseline]);
    expect(first.code).toBe(0);
    expect(await readFile(baseline, 'utf8')).toBe(await readFile(base, 'utf8'));
    expect(await readFile(join(dir, 'released', 'RELEASE.md'), 'utf8')).toContain('First release.');

    const refused = await run(['--release', '--spec', breakingSpec, '--base', baseline]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Refusing to release');
    expect(await readFile(baseline, 'utf8')).toBe(await readFile(base, 'utf8'));

    const forced = await run(['--release', '--allow-breaking', '--spec', breakingSpec, '--base', baseline]);
    expect(forced.code).toBe(0);
    expect(await readFile(baseline, 'utf8')).toBe(await readFile(breakingSpec, 'utf8'));
    const note = await readFile(join(dir, 'released', 'RELEASE.md'), 'utf8');
    expect(note).toContain('- BREAKING loyalty.points.earned data.tier: type changed string → integer');
    expect(note).toContain('--allow-breaking');
    expect((await readdir(join(dir, 'released'))).sort()).toEqual(['RELEASE.md', 'asyncapi.yaml']);
  });
});
