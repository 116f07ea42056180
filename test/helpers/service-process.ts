import { type Child, freePort, spawnNode, waitHttp } from './process.js';
import { TEST_JWT_SECRET } from './settings.js';

export interface ServiceOptions {
  /** The service's settings (PORT and HOST are set here). */
  env: Record<string, string>;
  /** Node arguments that run the service; default `--import tsx src/server.ts` (the sources, on this Node). */
  node?: string[];
  /** The checkout to run it in (default: this one). */
  cwd?: string;
  /** Polled until it answers 2xx after each spawn (default `/health/live`). */
  readyPath?: string;
}

/** The real service as its own process, for crash and restart tests and for the bench. */
export class ServiceProcess {
  private child?: Child;
  private earlier = '';

  private constructor(
    readonly port: number,
    private readonly opts: ServiceOptions,
  ) {}

  /** The service from its sources with the tests' settings (JWT secret, warnings only, a 50 ms relay poll, no inbound). */
  static start(env: Record<string, string>): Promise<ServiceProcess> {
    return ServiceProcess.launch({
      env: { JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'warn', RELAY_POLL_MS: '50', INBOUND: 'off', ...env },
    });
  }

  /** The service as `opts` say, on a free port; resolves once it answers `readyPath`. */
  static async launch(opts: ServiceOptions): Promise<ServiceProcess> {
    const s = new ServiceProcess(await freePort(), opts);
    await s.spawn();
    return s;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The running process's id. */
  get pid(): number {
    return this.child?.pid ?? -1;
  }

  /** What every process of this service wrote to stdout and stderr (the last 20,000 characters of each). */
  get output(): string {
    return this.earlier + (this.child?.output() ?? '');
  }

  /** Starts the process (again, after `kill` or `stop`) and waits until it answers. */
  async spawn(): Promise<void> {
    if (this.child) this.earlier += this.child.output();
    const { env, node = ['--import', 'tsx', 'src/server.ts'], cwd, readyPath = '/health/live' } = this.opts;
    const child = spawnNode(node, { ...env, PORT: String(this.port), HOST: '127.0.0.1' }, cwd);
    this.child = child;
    try {
      await waitHttp(`${this.url}${readyPath}`, child);
    } catch (err) {
      await child.kill();
      throw new Error(`service did not start: ${(err as Error).message}`);
    }
  }

  /** SIGKILL: no graceful shutdown, no pending confirm waited for. */
  async kill(): Promise<void> {
    await this.child?.kill();
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 20_000): Promise<void> {
    await this.child?.stop(graceMs);
  }
}
