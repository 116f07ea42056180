import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { signToken } from '../src/auth/auth.js';
import { createCustomersOver } from '../test/helpers/customers.js';
import { ServiceProcess } from '../test/helpers/service-process.js';
import { rssMb } from './proc.js';

const JWT_SECRET = `bench-secret-${randomBytes(16).toString('hex')}`;

/** The node options of `npm start` (e.g. `--max-semi-space-size=8`), so the bench runs the service as it ships. */
function startNodeOptions(): string[] {
  const start: string = JSON.parse(readFileSync('package.json', 'utf8')).scripts.start;
  const m = /^node\s+(.*?)\s*dist\/src\/server\.js$/.exec(start.trim());
  return m?.[1] ? m[1].split(/\s+/) : [];
}

/** `npm run build`: the service is measured as it runs in production, from dist/. */
export function build(): void {
  const r = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`npm run build failed (${r.status ?? r.signal})`);
}

export interface Service {
  url: string;
  pid: number;
  org: string;
  headers: Record<string, string>;
  customers: string[];
  rssMb(): number;
  ready(): Promise<{ broker: string; outbox: { backlog: number } }>;
  stop(): Promise<void>;
}

/**
 * `node dist/src/server.js` as a child process with LOG_LEVEL=warn and a JWT secret, plus `env`
 * (DATABASE_URL or PGLITE_DIR, AMQP_URL), run in `dir` (default: this checkout). Creates `customerCount`
 * customers of a fresh organization. BENCH_CPU_PROF=<dir> runs it under --cpu-prof (profile written on exit);
 * BENCH_NODE_OPTIONS replaces the node options of `npm start`.
 */
export async function startService(env: Record<string, string>, dir?: string, customerCount = 100): Promise<Service> {
  const prof = process.env.BENCH_CPU_PROF;
  // BENCH_NODE_OPTIONS replaces the options of `npm start` (to try V8 flags, e.g. for memory).
  const nodeOptions = process.env.BENCH_NODE_OPTIONS?.split(/\s+/).filter(Boolean) ?? startNodeOptions();
  const service = await ServiceProcess.launch({
    node: [...nodeOptions, ...(prof ? ['--cpu-prof', '--cpu-prof-dir', prof] : []), 'dist/src/server.js'],
    env: {
      JWT_SECRET,
      SIGNING_KEY: JWT_SECRET,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      // The default (60,000 per minute and organization) would throttle one organization's load test.
      RATE_LIMIT_PER_MINUTE: '100000000',
      RATE_LIMIT_IP_PER_MINUTE: '100000000',
      ...env,
    },
    cwd: dir,
    readyPath: '/health/ready',
  });
  const { url, pid } = service;
  const org = `org_bench_${randomBytes(5).toString('hex')}`;
  const token = await signToken(JWT_SECRET, { org, sub: 'bench', roles: [] }, '2h');
  const customers = await createCustomersOver(url, token, customerCount, 'Bench');
  return {
    url,
    pid,
    org,
    headers: { authorization: `Bearer ${token}` },
    customers,
    rssMb: () => rssMb(pid),
    async ready() {
      const res = await fetch(`${url}/health/ready`);
      return (await res.json()) as { broker: string; outbox: { backlog: number } };
    },
    stop: () => service.stop(20_000),
  };
}
