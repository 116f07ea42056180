import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec } from '../lib/asyncapi/load.js';
import { extractContract } from '../lib/asyncapi/model.js';
import { type Change, compareContracts } from './diff.js';
import { formatChange, summarise } from './report.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_SPEC = join(ROOT, 'asyncapi.yaml');
export const DEFAULT_BASELINE = join(ROOT, 'contract/released/asyncapi.yaml');

export type CheckResult =
  | { status: 'no-baseline'; basePath: string }
  | { status: 'ok' | 'breaking'; changes: Change[] };

/**
 * Compares `specPath` with the released baseline. Throws `SpecError` when either file does not parse.
 */
export async function checkContract(opts: { specPath?: string; basePath?: string } = {}): Promise<CheckResult> {
  const specPath = opts.specPath ?? DEFAULT_SPEC;
  const basePath = opts.basePath ?? DEFAULT_BASELINE;
  if (!existsSync(basePath)) return { status: 'no-baseline', basePath };
  const [base, head] = await Promise.all([loadSpec(basePath), loadSpec(specPath)]);
  const changes = compareContracts(base, head);
  return { status: changes.some((c) => c.severity === 'breaking') ? 'breaking' : 'ok', changes };
}

export type ReleaseResult =
  | { status: 'released'; basePath: string; changes: Change[] | undefined }
  | { status: 'refused'; changes: Change[] };

/**
 * Writes `specPath` as the new baseline (a byte-for-byte copy) plus a RELEASE.md note next to it.
 * Refuses when the spec breaks the current baseline, unless `allowBreaking` (a deliberate, reviewed break).
 * The copy is parsed from its new location before it replaces the old baseline, so a spec whose relative
 * `$ref`s would not resolve from `contract/released/` is never released.
 */
export async function releaseContract(
  opts: { specPath?: string; basePath?: string; allowBreaking?: boolean; now?: Date } = {},
): Promise<ReleaseResult> {
  const specPath = opts.specPath ?? DEFAULT_SPEC;
  const basePath = opts.basePath ?? DEFAULT_BASELINE;
  const head = await loadSpec(specPath);
  let changes: Change[] | undefined;
  if (existsSync(basePath)) {
    changes = compareContracts(await loadSpec(basePath), head);
    if (!opts.allowBreaking && changes.some((c) => c.severity === 'breaking')) return { status: 'refused', changes };
  }

  const text = await readFile(specPath);
  await mkdir(dirname(basePath), { recursive: true });
  const temp = join(dirname(basePath), `.release-${process.pid}.yaml`);
  try {
    await writeFile(temp, text);
    await loadSpec(temp);
    await rename(temp, basePath);
  } finally {
    await rm(temp, { force: true });
  }

  const model = extractContract(head);
  const events = [...model.publishedChannelIds].map((id) => model.channels.get(id)?.address ?? id).sort();
  const note = [
    '# Released event contract',
    '',
    '`asyncapi.yaml` in this folder is the event contract as last released to consumers: a byte-for-byte copy of the',
    "repository's `asyncapi.yaml`, written by `npm run contract:release`. `npm run contract:check` compares the working",
    '`asyncapi.yaml` with it and fails on changes that would break consumers. Do not edit these files by hand.',
    '',
    `- Released: ${(opts.now ?? new Date()).toISOString().slice(0, 10)}`,
    `- Spec: ${model.title} ${model.version} (from \`${relative(ROOT, specPath) || specPath}\`)`,
    `- sha256: ${createHash('sha256').update(text).digest('hex')}`,
    `- Events (${events.length}): ${events.map((e) => `\`${e}\``).join(', ')}`,
    '',
    '## Changes against the previous baseline',
    '',
    ...(changes === undefined
      ? ['First release.']
      : changes.length === 0
        ? ['None.']
        : changes.map((c) => `- ${formatChange(c)}`)),
    '',
  ];
  if (changes && summarise(changes).breaking > 0) {
    note.push('Released with `--allow-breaking`: the breaking changes above were accepted deliberately.', '');
  }
  await writeFile(join(dirname(basePath), 'RELEASE.md'), note.join('\n'));
  return { status: 'released', basePath, changes };
}
