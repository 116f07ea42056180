import http from 'node:http';
import autocannon from 'autocannon';
import { cpuSeconds, cpuSecondsOf, syscalls } from './proc.js';

/** One generator for every closed-loop figure (ceiling A and the service alike). */
export const CONNECTIONS = 32;
export const WARMUP_S = 2;
export const DURATION_S = 10;

export interface Target {
  url: string;
  headers: Record<string, string>;
  /** The next request (called once per request: bodies must vary). */
  next(): { path: string; body: string };
}

export interface LoadResult {
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  /** 2xx responses per second. */
  rate: number;
  p50ms: number;
  p99ms: number;
  statusCodes: string;
  /** CPU time of the server process per 2xx answer, in microseconds (when its pid was given). */
  cpuUsPerReq?: number;
  /** CPU time of all PostgreSQL server processes per 2xx answer, in microseconds. */
  dbCpuUsPerReq?: number;
  /** Read and write syscalls of the server process per 2xx answer (sockets included). */
  readsPerReq?: number;
  writesPerReq?: number;
}

/** Autocannon, `CONNECTIONS` connections, either for `duration` seconds or until `amount` requests. */
export async function closedLoop(t: Target, run: { duration?: number; amount?: number }): Promise<LoadResult> {
  const r = await autocannon({
    url: t.url,
    connections: CONNECTIONS,
    ...(run.amount ? { amount: run.amount } : { duration: run.duration ?? DURATION_S }),
    timeout: 10,
    headers: { 'content-type': 'application/json', ...t.headers },
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, ...t.next() }) }],
  });
  const ok = r['2xx'];
  return {
    ok,
    non2xx: r.non2xx,
    errors: r.errors,
    seconds: r.duration,
    rate: ok / r.duration,
    p50ms: r.latency.p50,
    p99ms: r.latency.p99,
    statusCodes: Object.entries(r.statusCodeStats ?? {})
      .map(([code, s]) => `${code}×${s.count}`)
      .join(' '),
  };
}

/** Warm-up (discarded), then the measured run: the same for ceiling A and the service (process `pid`). */
export async function warmAndMeasure(t: Target, pid: number): Promise<LoadResult> {
  await closedLoop(t, { duration: WARMUP_S });
  const cpu = cpuSeconds(pid);
  const db = cpuSecondsOf('postgres');
  const io = syscalls(pid);
  const r = await closedLoop(t, { duration: DURATION_S });
  const io2 = syscalls(pid);
  return {
    ...r,
    cpuUsPerReq: ((cpuSeconds(pid) - cpu) * 1e6) / r.ok,
    dbCpuUsPerReq: ((cpuSecondsOf('postgres') - db) * 1e6) / r.ok,
    readsPerReq: (io2.reads - io.reads) / r.ok,
    writesPerReq: (io2.writes - io.writes) / r.ok,
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface JsonResponse {
  status: number;
  body: Record<string, unknown>;
  /** performance.now() when the whole response had arrived. */
  at: number;
}

export function postJson(url: string, path: string, body: unknown, headers: Record<string, string>) {
  return new Promise<JsonResponse>((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = http.request(
      `${url}${path}`,
      {
        method: 'POST',
        agent,
        timeout: 10_000,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const at = performance.now();
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {}, at });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Open loop: starts `send` at a fixed rate (a 2 ms tick catches up on the schedule), whatever the answers'
 * latency, for `seconds`; then waits for the requests still open.
 */
export async function openLoop(rate: number, seconds: number, send: () => Promise<void>): Promise<number> {
  const pending = new Set<Promise<void>>();
  const start = performance.now();
  let sent = 0;
  let failures = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = (performance.now() - start) / 1000;
      const due = Math.min(Math.floor(elapsed * rate), Math.floor(seconds * rate));
      while (sent < due) {
        sent++;
        const p = send()
          .catch(() => {
            failures++;
          })
          .finally(() => pending.delete(p));
        pending.add(p);
      }
      if (elapsed >= seconds) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  await Promise.all(pending);
  return failures;
}
