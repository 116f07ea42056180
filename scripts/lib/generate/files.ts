import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const require = createRequire(import.meta.url);

/** Every file under `dir`, as sorted `/`-separated relative paths; none when `dir` does not exist. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

export async function writeFiles(dir: string, files: ReadonlyMap<string, string>): Promise<void> {
  for (const [relative, content] of files) {
    const target = path.join(dir, relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

/**
 * Formats the generated TypeScript and JSON with the project's Biome configuration, so that the output
 * has one style whatever wrote it (Modelina, the template, this script).
 */
export async function formatDir(dir: string, projectRoot: string): Promise<void> {
  const biome = require.resolve('@biomejs/biome/bin/biome');
  try {
    await execFileAsync(process.execPath, [biome, 'format', '--vcs-enabled=false', '--write', dir], {
      cwd: projectRoot,
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`biome format failed on the generated code:\n${stdout}${stderr}`);
  }
}

export interface DirDifference {
  readonly stale: readonly string[];
  readonly missing: readonly string[];
  readonly extra: readonly string[];
}

/**
 * How `actualDir` differs from `expectedDir`: files whose content differs (stale), files only in
 * `expectedDir` (missing) and files only in `actualDir` (extra).
 */
export async function compareDirs(expectedDir: string, actualDir: string): Promise<DirDifference> {
  const expected = await listFiles(expectedDir);
  const actual = new Set(await listFiles(actualDir));
  const stale: string[] = [];
  const missing: string[] = [];
  for (const file of expected) {
    if (!actual.has(file)) {
      missing.push(file);
      continue;
    }
    actual.delete(file);
    const [a, b] = await Promise.all([readFile(path.join(expectedDir, file)), readFile(path.join(actualDir, file))]);
    if (!a.equals(b)) stale.push(file);
  }
  return { stale, missing, extra: [...actual].sort() };
}
