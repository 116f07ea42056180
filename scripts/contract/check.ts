import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { loadSpec } from '../lib/asyncapi/load.js';
import { extractContract } from '../lib/asyncapi/model.js';
import { PROJECT_ROOT } from '../lib/asyncapi/root.js';
import { type Change, judge, type Mode } from './change.js';
import { compareContracts } from './diff.js';

export const ROOT = PROJECT_ROOT;
export const DEFAULT_SPEC = join(ROOT, 'asyncapi.yaml');
/** One file per released version: `contract/released/<version>.yaml`, a byte-for-byte copy of the document. */
export const DEFAULT_RELEASED_DIR = join(ROOT, 'contract/released');

const VERSION_FILE = /^(\d+)\.(\d+)\.(\d+)\.yaml$/;

export interface Release {
  readonly version: string;
  readonly path: string;
}

/** The released versions in `dir`, oldest first (semantic-version order). */
export async function listReleases(dir = DEFAULT_RELEASED_DIR): Promise<Release[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .map((name) => ({ name, m: VERSION_FILE.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
    .sort((a, b) => compareVersions(a.name.slice(0, -5), b.name.slice(0, -5)))
    .map(({ name }) => ({ version: name.slice(0, -5), path: join(dir, name) }));
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export interface CheckOptions {
  specPath?: string;
  /** Folder of released versions; default `contract/released/`. */
  releasedDir?: string;
  /** Compare with this one file only (instead of every released version). */
  basePath?: string;
  mode?: Mode;
}

export type CheckResult =
  | { status: 'no-baseline'; basePath: string }
  | { status: 'ok' | 'breaking'; changes: Change[]; against: string[] };

/**
 * Compares `specPath` with every released version (or only `basePath`), judging each change in `mode`
 * (default `full`). Each change carries the version it was judged `against`. Throws `SpecError` when a file
 * does not parse.
 */
export async function checkContract(opts: CheckOptions = {}): Promise<CheckResult> {
  const specPath = opts.specPath ?? DEFAULT_SPEC;
  const mode = opts.mode ?? 'full';
  const releasedDir = opts.releasedDir ?? DEFAULT_RELEASED_DIR;
  let releases: Release[];
  if (opts.basePath !== undefined) {
    if (!existsSync(opts.basePath)) return { status: 'no-baseline', basePath: opts.basePath };
    releases = [{ version: basename(opts.basePath).replace(/\.ya?ml$/, ''), path: opts.basePath }];
  } else {
    releases = await listReleases(releasedDir);
    if (releases.length === 0) return { status: 'no-baseline', basePath: releasedDir };
  }
  const head = await loadSpec(specPath);
  const changes: Change[] = [];
  for (const release of releases) {
    changes.push(...judge(compareContracts(await loadSpec(release.path), head), mode, release.version));
  }
  return {
    status: changes.some((c) => c.severity === 'breaking') ? 'breaking' : 'ok',
    changes,
    against: releases.map((r) => r.version),
  };
}

export interface ReleaseOptions {
  specPath?: string;
  releasedDir?: string;
  changelogPath?: string;
  now?: Date;
}

export type ReleaseResult =
  | { status: 'released'; version: string; previous: string | undefined; bump: Bump; path: string; changes: Change[] }
  | { status: 'refused'; reason: 'breaking' | 'unchanged'; changes: Change[] };

export type Bump = 'major' | 'minor' | 'patch';

/** minor when the contract grew (a new event, field, property, example…), patch for documentation only. */
export function bumpFor(changes: readonly Change[]): Bump | undefined {
  const relevant = changes.filter((c) => c.path !== 'info.version');
  if (relevant.length === 0) return undefined;
  return relevant.some((c) => c.severity === 'additive') ? 'minor' : 'patch';
}

export function bumpVersion(version: string, bump: Bump): string {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/**
 * Releases the document: refuses a change that breaks any released version (mode `full`) or a document identical
 * to the last release; otherwise bumps `info.version` in the document (minor for additions, patch for
 * documentation only), writes `contract/released/<version>.yaml` (a byte-for-byte copy, parsed from its new place
 * before it is kept) and adds an entry to the changelog saying per event what changed for consumers.
 */
export async function releaseContract(opts: ReleaseOptions = {}): Promise<ReleaseResult> {
  const specPath = opts.specPath ?? DEFAULT_SPEC;
  const releasedDir = opts.releasedDir ?? DEFAULT_RELEASED_DIR;
  const changelogPath = opts.changelogPath ?? join(dirname(releasedDir), 'CHANGELOG.md');
  const check = await checkContract({ specPath, releasedDir, mode: 'full' });
  if (check.status === 'breaking') return { status: 'refused', reason: 'breaking', changes: check.changes };

  const releases = await listReleases(releasedDir);
  const last = releases.at(-1);
  const changes = last && check.status === 'ok' ? check.changes.filter((c) => c.against === last.version) : [];
  const bump = last ? bumpFor(changes) : undefined;
  if (last && bump === undefined) return { status: 'refused', reason: 'unchanged', changes };
  const text = await readFile(specPath, 'utf8');
  const version = last && bump ? bumpVersion(last.version, bump) : extractContract(await loadSpec(specPath)).version;
  const bumped = setInfoVersion(text, version);

  await mkdir(releasedDir, { recursive: true });
  const target = join(releasedDir, `${version}.yaml`);
  const temp = join(releasedDir, `.release-${process.pid}.yaml`);
  try {
    await writeFile(temp, bumped);
    await loadSpec(temp);
    await rename(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
  await writeFile(specPath, bumped);
  await addChangelogEntry(changelogPath, version, changes, opts.now ?? new Date());
  return { status: 'released', version, previous: last?.version, bump: bump ?? 'major', path: target, changes };
}

/** The document with `info.version` set (the line is edited in place; the rest keeps its bytes). */
export function setInfoVersion(text: string, version: string): string {
  const match = /^info:\n(?:(?: {2}.*|)\n)*? {2}version: *(\S+)/m.exec(text);
  if (!match || match[1] === undefined) throw new Error('no info.version line found in the document');
  const at = match.index + match[0].length - match[1].length;
  return `${text.slice(0, at)}${version}${text.slice(at + match[1].length)}`;
}

/** What the changelog says about one change, for consumers. */
function consumerLine(change: Change): string {
  const where = change.path && change.part !== 'channel' && change.part !== 'operation' ? `\`${change.path}\`: ` : '';
  return `- ${where}${change.text}`;
}

/** The changelog entry of a release: per event, what changed (documentation-only changes summed up). */
export function changelogEntry(version: string, changes: readonly Change[], date: Date): string {
  const lines = [`## ${version} — ${date.toISOString().slice(0, 10)}`, ''];
  const relevant = changes.filter((c) => c.path !== 'info.version');
  const byEvent = new Map<string, Change[]>();
  for (const change of relevant) {
    if (change.rule === 'docs-changed' || change.rule.startsWith('example-')) continue;
    const key = change.event || '(all events)';
    byEvent.set(key, [...(byEvent.get(key) ?? []), change]);
  }
  for (const [event, list] of [...byEvent].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`### ${event}`, '', ...[...new Set(list.map(consumerLine))], '');
  }
  const docs = relevant.filter((c) => c.rule === 'docs-changed' || c.rule.startsWith('example-')).length;
  if (docs > 0) lines.push(`Documentation: ${docs} description or example change(s); nothing on the wire changed.`, '');
  if (relevant.length === 0) lines.push('First release.', '');
  return lines.join('\n');
}

async function addChangelogEntry(path: string, version: string, changes: readonly Change[], date: Date): Promise<void> {
  const existing = existsSync(path) ? await readFile(path, 'utf8') : '# Event contract changelog\n\n';
  const entry = changelogEntry(version, changes, date);
  const firstEntry = existing.search(/^## /m);
  const next =
    firstEntry < 0
      ? `${existing.trimEnd()}\n\n${entry}`
      : `${existing.slice(0, firstEntry)}${entry}\n${existing.slice(firstEntry)}`;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${next.trimEnd()}\n`);
}
