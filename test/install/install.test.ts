import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const readJson = (file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8'));

interface LockPackage {
  name?: string;
  version?: string;
  hasInstallScript?: boolean;
}

const lock = readJson('package-lock.json') as { packages: Record<string, LockPackage> };
const pkg = readJson('package.json') as { allowScripts?: Record<string, boolean>; overrides?: Record<string, string> };
const packageName = (key: string) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);

// Packages whose install step fetches a browser (or another binary) from outside the npm registry.
const DOWNLOADERS = /^(puppeteer|playwright|playwright-chromium|chromedriver|geckodriver|electron|cypress)$/;

describe('install from a clean clone', () => {
  it('when the lock file is installed, then every install script is one the project approved by name', () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([key, p]) => key !== '' && p.hasInstallScript)
      .map(([key]) => packageName(key));
    expect(withScripts.length).toBeGreaterThan(0);
    const unreviewed = withScripts.filter((name) => !(name in (pkg.allowScripts ?? {})));
    expect(unreviewed).toEqual([]);
  });

  it('when puppeteer is required by the docs template, then it resolves to puppeteer-core, which downloads nothing', () => {
    expect(pkg.overrides?.puppeteer).toMatch(/^npm:puppeteer-core@/);
    const downloaders = Object.entries(lock.packages)
      .filter(([key, p]) => key !== '' && p.hasInstallScript && DOWNLOADERS.test(p.name ?? packageName(key)))
      .map(([key]) => key);
    expect(downloaders).toEqual([]);
    const resolved = lock.packages['node_modules/puppeteer'];
    if (resolved) expect(resolved.name).toBe('puppeteer-core');
  });

  it('when the repository is read alone, then no tracked file reads or links a path outside it', () => {
    const files = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f && !f.endsWith('package-lock.json'));
    // Built from parts so that this file does not match itself.
    const briefing = new RegExp([['shared', 'product'].join('/'), ['/work', 'shared'].join('/')].join('|'));
    const offenders: string[] = [];
    for (const file of files) {
      const text = readFileSync(path.join(root, file), 'utf8');
      if (briefing.test(text)) offenders.push(file);
      // A relative path that climbs out of the repository from where the file stands.
      for (const [relative] of text.matchAll(/(?:\.\.\/)+[\w.-]+/g)) {
        const target = path.resolve(root, path.dirname(file), relative);
        if (path.relative(root, target).startsWith('..')) offenders.push(`${file}: ${relative}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
