import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { TEST_JWT_SECRET } from './app.js';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** The real service as its own process (`src/server.ts` on this Node), for crash and restart tests. */
export class ServiceProcess {
  private child?: ChildProcess;
  output = '';

  private constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  static async start(env: Record<string, string>): Promise<ServiceProcess> {
    const s = new ServiceProcess(await freePort(), env);
    await s.spawn();
    return s;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async spawn(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: {
        ...process.env,
        JWT_SECRET: TEST_JWT_SECRET,
        LOG_LEVEL: 'warn',
        RELAY_POLL_MS: '50',
        ...this.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (d) => {
      this.output += d;
    });
    child.stderr?.on('data', (d) => {
      this.output += d;
    });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`service exited: ${this.output}`);
      try {
        const res = await fetch(`${this.url}/health/live`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`service did not start: ${this.output}`);
  }

  /** SIGKILL: no graceful shutdown, no pending confirm waited for. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 20_000))]);
    if (child.exitCode === null) await this.kill();
  }
}
