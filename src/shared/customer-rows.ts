import type { Queryable } from '../db/db.js';
import { SqlParams, selectPage } from '../db/sql.js';

/** Reads the one row a customer has in a table keyed by organization and customer. */
export type CustomerRowReader<R> = (
  db: Queryable,
  org: string,
  customerId: string,
  forUpdate?: boolean,
) => Promise<R | undefined>;

/**
 * The reader of a table that holds at most one row per customer (an account, an anonymization): `columns` of the
 * customer's row, undefined when there is none; `forUpdate` locks the row until commit.
 */
export function customerRowReader<R>(table: string, columns: string): CustomerRowReader<R> {
  return async (db, org, customerId, forUpdate = false) => {
    const res = await db.query<R>(
      `SELECT ${columns} FROM ${table}
        WHERE organization_id = $1 AND customer_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
      [org, customerId],
    );
    return res.rows[0];
  };
}

/** Reads one page of a customer's rows, newest first, before the cursor's `seq` (undefined: the first page). */
export type CustomerPageReader<R> = (
  db: Queryable,
  org: string,
  customerId: string,
  beforeSeq: number | undefined,
  limit: number,
) => Promise<R[]>;

/**
 * The reader of a customer's rows of `table` (a ledger, usages, payments), newest first by `seq`; one more row than
 * `limit` tells whether there is a next page.
 */
export function customerPageReader<R>(table: string, columns: string): CustomerPageReader<R> {
  return (db, org, customerId, beforeSeq, limit) => {
    const params = new SqlParams();
    return selectPage<R>(db, {
      columns,
      table,
      where: [`organization_id = ${params.add(org)}`, `customer_id = ${params.add(customerId)}`],
      params,
      order: 'desc',
      afterSeq: beforeSeq,
      limit,
    });
  };
}
