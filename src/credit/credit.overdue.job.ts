import type { EventEnvelope } from '../../generated/index.js';
import type { Queryable } from '../db/db.js';
import { envelope } from '../outbox/events.js';
import { utcDate } from '../shared/clock.js';
import { fromCents } from '../shared/money.js';
import { storeEvents } from '../shared/outbox-writer.js';
import type { FromSchema } from '../shared/schema-types.js';
import { holdPlacedEvent } from './credit.holds.service.js';
import * as lifecycle from './credit.lifecycle.repository.js';
import type { overdueRunResponse } from './credit.lifecycle.schemas.js';
import * as repo from './credit.repository.js';

/** Who runs: one organization (a manual run) or all of them (`org` null, the scheduled run). */
export interface OverdueRunScope {
  org: string | null;
  /** The HTTP request id of a manual run; null for a scheduled one. */
  correlationId: string | null;
}

export type OverdueRunResult = FromSchema<typeof overdueRunResponse>;

const DAY_MS = 86_400_000;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * Announces every unpaid usage past its due date once (credit.overdue) and puts active accounts with one on hold
 * (credit.hold.placed, reason `overdue`). The caller holds the job lock (one run at a time across instances); each
 * account is handled under its row lock, so a racing payment or usage is either seen in full or waits.
 */
export async function runOverdue(tx: Queryable, scope: OverdueRunScope, now: Date): Promise<OverdueRunResult> {
  const asOf = utcDate(now);
  const result: OverdueRunResult = { as_of: asOf, usages_overdue: 0, accounts_held: 0 };
  for (const { organization_id: org, customer_id: customerId } of await lifecycle.overdueCandidates(
    tx,
    scope.org,
    asOf,
  )) {
    const account = await repo.findAccount(tx, org, customerId, true);
    if (!account) continue;
    const newlyOverdue = await lifecycle.markOverdue(tx, org, customerId, asOf, now);
    const events: EventEnvelope[] = newlyOverdue.map((u) =>
      envelope(
        'credit.overdue',
        org,
        {
          customer_id: customerId,
          credit_account_id: account.credit_account_id,
          usage_id: u.usage_id,
          order_id: u.order_id,
          amount_due: fromCents(u.amount_due_cents),
          due_date: u.due_date,
          days_overdue: daysBetween(u.due_date, asOf),
        },
        now,
      ),
    );
    result.usages_overdue += newlyOverdue.length;
    if (account.status === 'active' && (await lifecycle.overdueCents(tx, org, customerId, asOf)) > 0) {
      const held = await lifecycle.placeHold(tx, org, customerId, { reason: 'overdue', note: null }, now);
      events.push(holdPlacedEvent(org, held, now));
      result.accounts_held += 1;
    }
    await storeEvents(tx, { customerId, correlationId: scope.correlationId, events });
  }
  return result;
}
