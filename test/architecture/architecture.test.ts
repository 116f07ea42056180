import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** The top-level unit of a file: its folder under src/, or the file itself for src/*.ts. */
function unitOf(path: string): string {
  const [first, second] = relative(SRC, path).split('/');
  return second === undefined ? (first as string) : `${first}/`;
}

/**
 * Every folder under src/ has one kind. A feature folder holds only `<feature>[.<topic>].<role>.ts` files; the
 * plugins folder only `<name>.plugin.ts` (every Fastify plugin that wires infrastructure); the other folders are
 * infrastructure that features call and name their files freely. A new folder must be classified here.
 */
const FEATURES = ['customers', 'loyalty', 'credit', 'privacy', 'profile', 'operations', 'inbound'];
const INFRASTRUCTURE = ['auth', 'db', 'docs', 'http', 'outbox', 'shared', 'telemetry'];
const PLUGINS = 'plugins';
/** The roles of a feature file: HTTP routes, use cases, SQL, HTTP schemas, and the runs the scheduler starts. */
const ROLES = ['routes', 'service', 'repository', 'schemas', 'job'] as const;
type Role = (typeof ROLES)[number] | 'plugin' | 'infrastructure';

/** A file's role, from its folder and its suffix; undefined when a feature or plugin file has no valid suffix. */
function roleOf(path: string): Role | undefined {
  const [folder, name] = relative(SRC, path).split('/');
  if (name === undefined) return 'infrastructure';
  if (folder === PLUGINS) return name.endsWith('.plugin.ts') ? 'plugin' : undefined;
  if (INFRASTRUCTURE.includes(folder as string)) return 'infrastructure';
  const match = new RegExp(`^${folder}(?:\\.[a-z][a-z-]*)*\\.(${ROLES.join('|')})\\.ts$`).exec(name);
  return match ? (match[1] as Role) : undefined;
}

const files = sourceFiles(SRC);
/** file → the src files it imports. */
const imports = new Map(
  files.map((file) => {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/^(?:import|export)[^;]*?from '(\.{1,2}\/[^']+)'/gms)]
      .map((m) => resolve(file, '..', (m[1] as string).replace(/\.js$/, '.ts')))
      .filter((target) => target.startsWith(SRC));
    return [file, targets];
  }),
);

function edges(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const [file, targets] of imports) {
    for (const target of targets) {
      const [from, to] = [unitOf(file), unitOf(target)];
      if (from === to) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)?.add(to);
    }
  }
  return graph;
}

function importersOf(folder: string, imported: string): string[] {
  return [...imports]
    .filter(([file, targets]) => unitOf(file) === folder && targets.some((t) => unitOf(t) === imported))
    .map(([file]) => relative(SRC, file));
}

describe('the architecture of src/', () => {
  it('when a folder is under src/, then it is a feature, infrastructure or the plugins folder', () => {
    const folders = new Set(
      files
        .map((f) => relative(SRC, f).split('/'))
        .filter((p) => p.length > 1)
        .map((p) => p[0]),
    );
    const known = new Set([...FEATURES, ...INFRASTRUCTURE, PLUGINS]);
    expect([...folders].filter((f) => !known.has(f as string))).toEqual([]);
  });

  it('when a file is in a feature folder or src/plugins, then its name carries its folder and a role', () => {
    expect(files.filter((f) => roleOf(f) === undefined).map((f) => relative(SRC, f))).toEqual([]);
  });

  it('when a file is named like a plugin or routes, then it sits in src/plugins or a feature folder', () => {
    const misplaced = files
      .filter((f) => roleOf(f) === 'infrastructure')
      .filter((f) => /\.(plugin|routes)\.ts$/.test(f))
      .map((f) => relative(SRC, f));
    expect(misplaced).toEqual([]);
  });

  it('when folders import each other, then the imports form no cycle', () => {
    const graph = edges();
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (unit: string, path: string[]) => {
      if (state.get(unit) === 'done') return;
      if (state.get(unit) === 'open') {
        cycles.push([...path.slice(path.indexOf(unit)), unit].join(' → '));
        return;
      }
      state.set(unit, 'open');
      for (const next of graph.get(unit) ?? []) visit(next, [...path, unit]);
      state.set(unit, 'done');
    };
    for (const unit of graph.keys()) visit(unit, []);
    expect(cycles).toEqual([]);
  });

  it('when files import each other, then no two files import each other, directly or around a loop', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of imports.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of imports.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('when a feature is customers, then it imports no other feature', () => {
    expect([...importersOf('customers/', 'loyalty/'), ...importersOf('customers/', 'credit/')]).toEqual([]);
    expect(importersOf('customers/', 'profile/')).toEqual([]);
  });

  it('when a feature is loyalty or credit, then it never imports the other, nor profile', () => {
    expect(importersOf('loyalty/', 'credit/')).toEqual([]);
    expect(importersOf('credit/', 'loyalty/')).toEqual([]);
    expect([...importersOf('loyalty/', 'profile/'), ...importersOf('credit/', 'profile/')]).toEqual([]);
  });

  it('when a feature imports another feature, then never its routes (only app.ts registers routes)', () => {
    const offenders = [...imports].flatMap(([file, targets]) =>
      targets
        .filter((t) => roleOf(t) === 'routes' && unitOf(t) !== unitOf(file) && unitOf(file) !== 'app.ts')
        .map((t) => `${relative(SRC, file)} → ${relative(SRC, t)}`),
    );
    expect(offenders).toEqual([]);
  });

  it('when a file is a service, a repository or a job, then it imports nothing from src/http/', () => {
    const offenders = [...imports]
      .filter(([file]) => ['service', 'repository', 'job'].includes(roleOf(file) ?? ''))
      .filter(([, targets]) => targets.some((t) => unitOf(t) === 'http/'))
      .map(([file]) => relative(SRC, file));
    expect(offenders).toEqual([]);
  });

  /** Each hand-written file's length in lines, as `wc -l` counts them. */
  const lengths = () =>
    files.map((file) => ({
      file: relative(SRC, file),
      lines: readFileSync(file, 'utf8').trimEnd().split('\n').length,
    }));

  it('when a file is hand-written, then it has at most 300 lines', () => {
    expect(lengths().filter((f) => f.lines > 300)).toEqual([]);
  });

  it('when a file is part of the relay (src/outbox), then it has at most 150 lines', () => {
    expect(lengths().filter((f) => f.file.startsWith('outbox/') && f.lines > 150)).toEqual([]);
  });
});
