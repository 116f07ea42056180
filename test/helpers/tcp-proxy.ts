import net from 'node:net';

/**
 * A TCP proxy on loopback in front of a real server (RabbitMQ or PostgreSQL), for fault injection that never
 * touches the shared server:
 * - `cut()` drops every connection and refuses new ones until `restore()` (a network outage);
 * - `reset()` drops every open connection but keeps accepting new ones (a server or middlebox reset);
 * - `delay(ms)` holds every chunk `ms` milliseconds in each direction, in order (a slow link); `delay(0)` ends it;
 * - `holdReplies()` keeps what the server sends (e.g. RabbitMQ's publisher confirms) until the returned release is
 *   called, then forwards it in order; what the client sends still goes through.
 * - `resetWhenClientSends(text)` resets a connection as soon as its client sends `text` (a protocol step that fails
 *   midway, e.g. an AMQP connection lost while it declares its topology, after the handshake); `restore()` ends it.
 */
export class TcpProxy {
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  private open = true;
  private delayMs = 0;
  /** While set, chunks from the server wait for it. */
  private replies?: Promise<void>;
  private trigger?: Buffer;
  private readonly server: net.Server;
  /** Connections accepted since the proxy started (refused ones not counted). */
  accepted = 0;
  /** Connections refused while cut: proof that a client really tried, and failed, to get through. */
  refused = 0;
  /** Open connections `cut()` and `reset()` dropped since the proxy started. */
  dropped = 0;
  port = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {
    this.server = net.createServer((client) => this.accept(client));
  }

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetHost, targetPort);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.server.address() as net.AddressInfo).port;
    return proxy;
  }

  /** `url` with its host and port replaced by this proxy's. */
  url(url: string): string {
    const u = new URL(url);
    u.host = `127.0.0.1:${this.port}`;
    return u.toString();
  }

  /** Open client connections. */
  get connections(): number {
    return this.pairs.size;
  }

  private accept(client: net.Socket): void {
    if (!this.open) {
      this.refused += 1;
      client.resetAndDestroy();
      return;
    }
    this.accepted += 1;
    const upstream = net.connect(this.targetPort, this.targetHost);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.on('data', (chunk: Buffer) => {
      if (!this.trigger || !chunk.includes(this.trigger)) return;
      client.resetAndDestroy(); // before the chunk is forwarded (this listener runs first)
      upstream.destroy();
    });
    this.forward(client, upstream, false);
    this.forward(upstream, client, true);
  }

  /**
   * Copies `from` to `to` with back-pressure. While a delay is set, each chunk waits that long; chunks keep
   * their order (a chunk never overtakes a delayed one). Chunks `fromServer` also wait while replies are held.
   */
  private forward(from: net.Socket, to: net.Socket, fromServer: boolean): void {
    let queue = Promise.resolve();
    let pending = 0;
    const write = (chunk: Buffer) => {
      if (to.destroyed) return;
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    };
    from.on('data', (chunk: Buffer) => {
      const ms = this.delayMs;
      const held = fromServer ? this.replies : undefined;
      if (ms === 0 && pending === 0 && !held) {
        write(chunk);
        return;
      }
      const due = Date.now() + ms;
      pending += 1;
      queue = queue.then(async () => {
        await held;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        pending -= 1;
        write(chunk);
      });
    });
  }

  /** Drops every connection (TCP reset) and refuses new ones until `restore()`. */
  cut(): void {
    this.open = false;
    this.reset();
  }

  /** Drops every open connection with a TCP reset; new connections are accepted (unless cut). */
  reset(): void {
    for (const { client, upstream } of this.pairs) {
      this.dropped += 1;
      client.resetAndDestroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  /** Holds every chunk `ms` milliseconds from now on (0: forward at once again). */
  delay(ms: number): void {
    this.delayMs = ms;
  }

  /** Holds what the server sends from now on until the returned function is called (see the class comment). */
  holdReplies(): () => void {
    let release = () => {};
    const replies = new Promise<void>((r) => (release = r));
    this.replies = replies;
    return () => {
      if (this.replies === replies) this.replies = undefined;
      release();
    };
  }

  /** Resets each connection whose client sends `text` (the chunk holding it is not forwarded). */
  resetWhenClientSends(text: string): void {
    this.trigger = Buffer.from(text);
  }

  restore(): void {
    this.open = true;
    this.delayMs = 0;
    this.trigger = undefined;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
