import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const DOCS = join(ROOT, 'docs');
const pages = [
  join(ROOT, 'README.md'),
  ...readdirSync(DOCS)
    .filter((n) => n.endsWith('.md'))
    .map((n) => join(DOCS, n)),
];

/** The relative link targets of a Markdown page (external URLs and same-page anchors need no file). */
function localLinks(page: string): string[] {
  const text = readFileSync(page, 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] as string)
    .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith('#'))
    .map((target) => target.replace(/#.*$/, ''));
}

describe('the README and docs/', () => {
  it('when a page links a file, then the file exists inside the repository', () => {
    const broken = pages.flatMap((page) =>
      localLinks(page)
        .filter((target) => {
          const path = resolve(dirname(page), target);
          return !path.startsWith(`${ROOT}/`) || !existsSync(path);
        })
        .map((target) => `${relative(ROOT, page)} → ${target}`),
    );
    expect(broken).toEqual([]);
  });

  it('when the README is the front page, then it has at most 150 lines and links docs/', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme.trimEnd().split('\n').length).toBeLessThanOrEqual(150);
    expect(localLinks(join(ROOT, 'README.md')).filter((t) => t.startsWith('docs/')).length).toBeGreaterThan(0);
  });
});
