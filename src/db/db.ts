/**
 * One small query interface over two backends: PostgreSQL (`pg` pool) and embedded PGlite.
 * Both run the same plain SQL; the domain code only sees `Queryable` and `Db`.
 */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

/** A long-lived session: holds advisory locks and receives NOTIFY. Closing it releases both. */
export interface Session extends Queryable {
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  onNotify(channel: string, listener: () => void): Promise<void>;
  onError(listener: (err: Error) => void): void;
  release(): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** A dedicated session (PostgreSQL: its own connection; PGlite: the single in-process connection). */
  session(): Promise<Session>;
  /** Fire-and-forget wake-up of other instances' relays. */
  notify(channel: string): Promise<void>;
  close(): Promise<void>;
}

/** PostgreSQL error codes the service maps to client errors or 503. */
export const PgCode = {
  uniqueViolation: '23505',
  serializationFailure: '40001',
  deadlock: '40P01',
} as const;

export function pgErrorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}

export function pgConstraint(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'constraint' in err && typeof err.constraint === 'string') {
    return err.constraint;
  }
  return undefined;
}

const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
]);

/** True when the error means "the database is not reachable right now" (the client gets 503, not 500). */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = pgErrorCode(err);
  if (code && (unavailableCodes.has(code) || code.startsWith('08'))) return true;
  const message = err instanceof Error ? err.message : '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|terminating connection|the database system is (starting up|shutting down)|Cannot use a pool after calling end/i.test(
    message,
  );
}
