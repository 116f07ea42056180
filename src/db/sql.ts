import type { Queryable } from './db.js';

/**
 * Numbers a statement's parameters: every value goes in through `add`, which answers its placeholder. Values are
 * never spliced into SQL text, and a fragment built by one module (the outbox rows) can join a statement built by
 * another without either knowing the other's parameter count.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds `value` and returns its placeholder (`$1`, `$2`…). */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export interface PageSpec {
  /** The select list; must include `seq`, the cursor column. */
  columns: string;
  table: string;
  /** Conditions joined with AND, their values added to `params`. */
  where: string[];
  params: SqlParams;
  /** `asc`: oldest first, the cursor is the last `seq` seen; `desc`: newest first. */
  order: 'asc' | 'desc';
  /** The cursor's `seq`, undefined for the first page. */
  afterSeq: number | undefined;
  limit: number;
}

/** One page of rows ordered by `seq`, plus one row more than `limit` to tell whether there is a next page. */
export async function selectPage<R>(db: Queryable, s: PageSpec): Promise<R[]> {
  const where = [...s.where];
  if (s.afterSeq !== undefined) where.push(`seq ${s.order === 'asc' ? '>' : '<'} ${s.params.add(s.afterSeq)}`);
  const limit = s.params.add(s.limit + 1);
  const res = await db.query<R>(
    `SELECT ${s.columns} FROM ${s.table} WHERE ${where.join(' AND ')}
      ORDER BY seq ${s.order === 'asc' ? 'ASC' : 'DESC'} LIMIT ${limit}`,
    s.params.values,
  );
  return res.rows;
}

export type GuardedResult<R, L> = { kind: 'updated'; row: R } | { kind: 'missing' } | { kind: 'refused'; locked: L };

/**
 * A guarded UPDATE (one that matches no row when the change is not allowed), retried once under the row lock.
 * The first try takes the lock itself when it succeeds. When it matches nothing, a concurrent change may have
 * committed since, so the row is locked and the update tried again: under the lock the answer is final.
 * `missing`: there is no row; `refused`: the guard says no, with the locked row as it stands.
 */
export async function guardedUpdate<R, L>(
  update: () => Promise<R | undefined>,
  lock: () => Promise<L | undefined>,
): Promise<GuardedResult<R, L>> {
  const first = await update();
  if (first) return { kind: 'updated', row: first };
  const locked = await lock();
  if (!locked) return { kind: 'missing' };
  const second = await update();
  return second ? { kind: 'updated', row: second } : { kind: 'refused', locked };
}

/**
 * The one row a statement that always answers one row returned (an INSERT … RETURNING, an UPDATE of a row held
 * under lock); a statement that answers none is a bug, reported with `what` rather than as `undefined` further on.
 */
export function onlyRow<R>(res: { rows: R[] }, what: string): R {
  const [row] = res.rows;
  if (row === undefined || res.rows.length > 1)
    throw new Error(`expected exactly one ${what} row, got ${res.rows.length}`);
  return row;
}
