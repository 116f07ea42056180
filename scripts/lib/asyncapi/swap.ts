import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Builds a folder in a staging folder next to `outDir` and swaps it in only when `build` succeeded, so a failed
 * run leaves `outDir` as it was. The staging folder is in `.tmp/` of `outDir`'s parent (a rename across file
 * systems would fail) and is removed in every case. Returns what `build` returned.
 */
export async function stagedSwap<T>(outDir: string, build: (stagingDir: string) => Promise<T>): Promise<T> {
  const tmp = path.join(path.dirname(outDir), '.tmp');
  const staging = path.join(tmp, `${path.basename(outDir)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { recursive: true });
  try {
    const result = await build(staging);
    await chmod(staging, 0o755);
    await replaceDir(staging, outDir);
    return result;
  } finally {
    await rm(staging, { recursive: true, force: true });
    // Leave no empty `.tmp/` behind (it stays when something else uses it).
    await rmdir(tmp).catch(() => undefined);
  }
}

/** Replaces `outDir` with `stagingDir` (two renames; the old content is removed afterwards). */
async function replaceDir(stagingDir: string, outDir: string): Promise<void> {
  const exists = await stat(outDir).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await mkdir(path.dirname(outDir), { recursive: true });
    await rename(stagingDir, outDir);
    return;
  }
  const old = `${stagingDir}.old`;
  await rename(outDir, old);
  try {
    await rename(stagingDir, outDir);
  } catch (error) {
    await rename(old, outDir);
    throw error;
  }
  await rm(old, { recursive: true, force: true });
}
