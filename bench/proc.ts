import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Resident set size of a process, in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m?.[1] ? Number(m[1]) / 1024 : Number.NaN;
}

/** CPU seconds (user + system) used so far by process `pid` (Linux /proc; clock ticks of 10 ms). */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN; // the process is gone
  }
}

/** CPU seconds of every process named `name` (PostgreSQL: all databases; keep the machine otherwise idle). */
export function cpuSecondsOf(name: string): number {
  const pids = execSync(`pgrep -x ${name} || true`).toString().trim().split('\n').filter(Boolean);
  let sum = 0;
  for (const p of pids) {
    const c = cpuSeconds(Number(p));
    if (Number.isFinite(c)) sum += c; // NaN: exited meanwhile
  }
  return sum;
}

/** Read and write syscalls made so far by process `pid` (Linux /proc/<pid>/io; sockets included). */
export function syscalls(pid: number): { reads: number; writes: number } {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const get = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(io)?.[1]);
    return { reads: get('syscr'), writes: get('syscw') };
  } catch {
    return { reads: Number.NaN, writes: Number.NaN };
  }
}

/** Rejects after `ms` with `what` in the message. */
export async function withTimeout<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts measuring the whole machine's CPU; the function returns the share busy since then (0–1). */
export function machineBusy(): () => number {
  const read = () => {
    const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - (f[3] ?? 0) - (f[4] ?? 0), total };
  };
  const start = read();
  return () => {
    const end = read();
    return (end.busy - start.busy) / (end.total - start.total);
  };
}
