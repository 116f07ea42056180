import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { main } from '../../scripts/contract-check.js';
import { BASE_FIXTURE, baseYaml, EARNED_FIELDS } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'scripts/contract-check.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI as a process (`node --import tsx scripts/contract-check.ts …`): exit status and output as a shell sees them. */
function spawnCli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/**
 * The CLI's main function in this process, its output captured line by line as console.log and console.error
 * would write it: the same code path without starting node, tsx and the AsyncAPI parser again for every case.
 * One test runs the real process ({@link spawnCli}) to prove the wiring of exit status and output.
 */
async function run(args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    log: (text) => {
      stdout += `${text}\n`;
    },
    error: (text) => {
      stderr += `${text}\n`;
    },
  });
  return { code, stdout, stderr };
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

  it('when the spec breaks the baseline, then the process exits 1 with one line per breaking change', async () => {
    const { code, stdout, stderr } = await spawnCli(['--base', base, '--spec', breakingSpec]);
    expect(stderr).toBe('');
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

  it('when --help is given, then it explains the modes and where the released versions are', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('contract/released/<version>.yaml');
    expect(stdout).toMatch(/--mode <mode>\s+full \(default\), forward or backward/);
  });

  it('when a bound is tightened, then full and backward fail naming event, path and rule, and forward passes', async () => {
    const tightened = baseYaml();
    tightened.setIn([...EARNED_FIELDS, 'reference_id', 'maxLength'], 32);
    const spec = join(dir, 'tightened.yaml');
    await writeFile(spec, tightened.toString());
    const full = await run(['--base', base, '--spec', spec]);
    expect(full.code).toBe(1);
    expect(full.stdout).toContain(
      'BREAKING loyalty.points.earned data.reference_id: maxLength tightened 64 → 32 (constraint-tightened, breaks backward)',
    );
    expect((await run(['--base', base, '--spec', spec, '--mode', 'backward'])).code).toBe(1);
    expect((await run(['--base', base, '--spec', spec, '--mode', 'forward'])).code).toBe(0);
    expect((await run(['--base', base, '--spec', spec, '--mode', 'sideways'])).code).toBe(2);
  }, 120_000);
});

describe("npm run contract:release (on a temporary copy of the project's contract)", () => {
  it('when an optional field is added, then the minor version is bumped, archived and described in the changelog; a breaking change is refused', async () => {
    const project = join(dir, 'project');
    await cp(join(ROOT, 'contract'), join(project, 'contract'), { recursive: true });
    const doc = parseDocument(await readFile(join(ROOT, 'asyncapi.yaml'), 'utf8'));
    doc.setIn(['components', 'schemas', 'CreditUsedData', 'properties', 'channel'], {
      type: 'string',
      description: 'Sales channel of the order.',
    });
    const spec = join(project, 'asyncapi.yaml');
    await writeFile(spec, doc.toString({ lineWidth: 0 }));
    const released = join(project, 'contract', 'released');
    const before = (await readdir(released)).sort();
    const current = String(doc.getIn(['info', 'version']));
    const [major, minor] = current.split('.').map(Number);
    const next = `${major}.${(minor ?? 0) + 1}.0`;

    const result = await run(['--release', '--spec', spec, '--released', released]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${current} → ${next} (minor)`);
    expect((await readdir(released)).sort()).toEqual([...before, `${next}.yaml`].sort());
    const archived = await readFile(join(released, `${next}.yaml`), 'utf8');
    expect(archived).toBe(await readFile(spec, 'utf8'));
    expect(parseDocument(archived).getIn(['info', 'version'])).toBe(next);
    const changelog = await readFile(join(project, 'contract', 'CHANGELOG.md'), 'utf8');
    expect(changelog.indexOf(`## ${next}`)).toBeLessThan(changelog.indexOf(`## ${current}`));
    expect(changelog).toMatch(/### credit\.used\n\n(?:- .*\n)*- `data\.channel`: new optional field\n/);

    const again = await run(['--release', '--spec', spec, '--released', released]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('nothing to release');

    doc.deleteIn(['components', 'schemas', 'CreditUsedData', 'properties', 'order_id']);
    doc.setIn(['info', 'version'], next);
    await writeFile(spec, doc.toString({ lineWidth: 0 }));
    const refused = await run(['--release', '--spec', spec, '--released', released]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Refusing to release');
    expect(refused.stderr).toContain('credit.used data.order_id: required field removed');
    expect((await readdir(released)).sort()).toEqual([...before, `${next}.yaml`].sort());
  }, 120_000);
});
