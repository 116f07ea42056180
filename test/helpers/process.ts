import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';

/*
 * Child processes for the tests and the bench (no vitest here: bench/ runs these outside a test runner).
 */

/** Every child started here: killed when this process exits, however it exits. */
const children = new Set<ChildProcess>();

export function killChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
}
process.on('exit', killChildren);

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** The child's stdout and stderr so far (the last 20,000 characters, kept for error messages). */
  output(): string;
  /** Whether it exited (or was killed). */
  exited(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL: no graceful shutdown. */
  kill(): Promise<void>;
}

/**
 * Starts `node <args>` with this process's Node (under an npm script, the one first on PATH), its environment
 * plus `env`, in `cwd` (default: the current directory).
 */
export function spawnNode(args: string[], env: Record<string, string>, cwd?: string): Child {
  const proc = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exit = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const exited = () => proc.exitCode !== null || proc.signalCode !== null;
  return {
    proc,
    pid: proc.pid ?? -1,
    output: () => out,
    exited,
    async stop(graceMs = 10_000) {
      if (!exited()) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        await exit;
        clearTimeout(t);
      }
      children.delete(proc);
    },
    async kill() {
      if (!exited()) {
        proc.kill('SIGKILL');
        await exit;
      }
      children.delete(proc);
    },
  };
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** Polls `url` until it answers 2xx, or fails (with the child's output) when the child exits or after `timeoutMs`. */
export async function waitHttp(url: string, child: Child, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exited()) throw new Error(`child exited (${child.proc.exitCode}):\n${child.output()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${child.output()}`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
