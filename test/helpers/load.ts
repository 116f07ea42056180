/** A bounded load of earn requests against a running service, recording what each request answered. */
export interface LoadResult {
  /** transaction_id of every 201: committed changes whose events must reach the broker. */
  committed: string[];
  statuses: Map<number, number>;
  /** Requests that got no HTTP answer (connection refused or reset: the process was down). */
  noAnswer: number;
  /** Bodies of 5xx answers, to check they are problem details. */
  serverErrors: { status: number; body: string }[];
}

export interface LoadOptions {
  baseUrl: () => string;
  token: string;
  customers: string[];
  until: () => boolean;
  concurrency?: number;
}

export async function earnLoad(opts: LoadOptions): Promise<LoadResult> {
  return startEarnLoad(opts).done;
}

/** Starts the load; `result` fills up while it runs (for waits on conditions), `done` resolves when it stops. */
export function startEarnLoad(opts: LoadOptions): { result: LoadResult; done: Promise<LoadResult> } {
  const result: LoadResult = { committed: [], statuses: new Map(), noAnswer: 0, serverErrors: [] };
  let seq = 0;
  const worker = async () => {
    while (!opts.until()) {
      seq += 1;
      const customer = opts.customers[seq % opts.customers.length];
      try {
        const res = await fetch(`${opts.baseUrl()}/v1/customers/${customer}/loyalty/earn`, {
          method: 'POST',
          headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ points: 1, reference_type: 'load', reference_id: `r${seq}-${Math.random()}` }),
          signal: AbortSignal.timeout(10_000),
        });
        const text = await res.text();
        result.statuses.set(res.status, (result.statuses.get(res.status) ?? 0) + 1);
        if (res.status === 201) result.committed.push(JSON.parse(text).transaction_id);
        else if (res.status >= 500) result.serverErrors.push({ status: res.status, body: text });
      } catch {
        result.noAnswer += 1;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  const done = Promise.all(Array.from({ length: opts.concurrency ?? 8 }, worker)).then(() => result);
  return { result, done };
}

/** Polls `predicate` every 20 ms until it holds; fails with `what` after `timeoutMs`. */
export async function until(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
