import type { Queryable } from '../db/db.js';
import { invalid } from '../shared/domain-error.js';
import { fromCents } from '../shared/money.js';
import { cursorSeq, type PageRequest, toPage } from '../shared/pagination.js';
import type { FromSchema } from '../shared/schema-types.js';
import type { agingSchema, statementSchema } from './credit.lifecycle.schemas.js';
import * as reports from './credit.reports.repository.js';
import * as repo from './credit.repository.js';
import { missingAccount } from './credit.service.js';

/** The UTC midnight that starts `date` (`YYYY-MM-DD`) plus `days`. */
function dayStart(date: string, days = 0): Date {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d;
}

export type StatementLine = Statement['lines'][number];

export type Statement = FromSchema<typeof statementSchema>;

/**
 * The customer's usages and payments from `from` to `to` (UTC dates, both included), each with the outstanding
 * amount after it; the closing balance is the opening balance plus usages less payments. 400 when `to` < `from`.
 */
export async function statement(
  db: Queryable,
  org: string,
  customerId: string,
  range: { from: string; to: string },
): Promise<Statement> {
  if (range.to < range.from) {
    throw invalid([{ field: 'querystring.to', message: 'must not be before from' }], '`to` is before `from`.');
  }
  if (!(await repo.findAccount(db, org, customerId))) return missingAccount(db, org, customerId);
  const start = dayStart(range.from);
  const end = dayStart(range.to, 1);
  const openingCents = await reports.balanceBefore(db, org, customerId, start);
  let balanceCents = openingCents;
  const lines = (await reports.statementLines(db, org, customerId, start, end)).map((row): StatementLine => {
    balanceCents += row.kind === 'usage' ? row.amount_cents : -row.amount_cents;
    return {
      date: row.created_at.toISOString().slice(0, 10),
      type: row.kind,
      id: row.id,
      reference: row.reference,
      amount: fromCents(row.amount_cents),
      balance: fromCents(balanceCents),
    };
  });
  return {
    from: range.from,
    to: range.to,
    opening_balance: fromCents(openingCents),
    closing_balance: fromCents(balanceCents),
    lines,
  };
}

type Buckets = reports.AgingBuckets;

function bucketsView(b: Buckets): Buckets {
  return {
    outstanding: fromCents(b.outstanding),
    current: fromCents(b.current),
    days_1_30: fromCents(b.days_1_30),
    days_31_60: fromCents(b.days_31_60),
    days_61_90: fromCents(b.days_61_90),
    days_over_90: fromCents(b.days_over_90),
  };
}

export type Aging = FromSchema<typeof agingSchema>;

/**
 * The organization's outstanding credit as of the end of `asOf` (a UTC date), per account with something
 * outstanding, bucketed by days past due; `totals` over all those accounts.
 */
export async function aging(db: Queryable, org: string, asOf: string, query: PageRequest): Promise<Aging> {
  const scope = { key: query.signingKey, org, list: `credit/aging/${asOf}` };
  const after = cursorSeq(query.cursor, scope);
  const end = dayStart(asOf, 1);
  const rows = await reports.agingPage(db, org, asOf, end, after, query.limit);
  const page = toPage(
    rows,
    query.limit,
    (r) => ({
      customer_id: r.customer_id,
      credit_account_id: r.credit_account_id,
      ...bucketsView(r),
    }),
    scope,
  );
  return { as_of: asOf, ...page, totals: bucketsView(await reports.agingTotals(db, org, asOf, end)) };
}
