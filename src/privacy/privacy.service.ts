import { randomBytes } from 'node:crypto';
import * as creditRepo from '../credit/credit.repository.js';
import type { creditAccountSchema } from '../credit/credit.schemas.js';
import { findCreditAccount, listMovements, paymentView, usageView } from '../credit/credit.service.js';
import { anonymizeCustomer, findCustomer, writableCustomer } from '../customers/customers.repository.js';
import type { customerSchema } from '../customers/customers.schemas.js';
import { type CustomerView, customerView } from '../customers/customers.service.js';
import type { Db, Queryable } from '../db/db.js';
import { forfeitPoints } from '../loyalty/loyalty.forfeiture.service.js';
import { listLedger, loyaltySummary } from '../loyalty/loyalty.queries.service.js';
import type { loyaltyAccountSchema } from '../loyalty/loyalty.schemas.js';
import { envelope, eventTimestamp } from '../outbox/events.js';
import { utcDate } from '../shared/clock.js';
import type { UseCaseContext } from '../shared/context.js';
import type { CustomerPageReader } from '../shared/customer-rows.js';
import { customerNotFound, DomainError } from '../shared/domain-error.js';
import { fromCents } from '../shared/money.js';
import { storeEvents } from '../shared/outbox-writer.js';
import type { Page } from '../shared/pagination.js';
import type { FromSchema } from '../shared/schema-types.js';
import * as repo from './privacy.repository.js';
import type { anonymizationBody, customerExportSchema, refusalSchema } from './privacy.schemas.js';
import { scrubDeadLetter, scrubEventPayload, scrubStoredResponse } from './privacy.scrub.service.js';

/*
 * Personal data rights (Panama, Law 81 of 2019): access and portability (the export) and cancellation (the
 * anonymization). They span customers, loyalty and credit, so they sit above the three features.
 */

export type CustomerExport = FromSchema<
  typeof customerExportSchema,
  [typeof customerSchema, typeof loyaltyAccountSchema, typeof creditAccountSchema]
>;

export type RefusalView = FromSchema<typeof refusalSchema>;

function refusalView(r: creditRepo.RefusalRow): RefusalView {
  return {
    order_id: r.order_id,
    attempted_amount: fromCents(r.attempted_cents),
    credit_available: fromCents(r.available_cents),
    actor: r.actor,
    created_at: r.created_at.toISOString(),
  };
}

/** Every item of a cursor-paginated list, page after page. */
async function everything<V>(list: (cursor: string | undefined) => Promise<Page<V>>): Promise<V[]> {
  const items: V[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    items.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}

// The export pages through the lists itself; its cursors never leave the process, so any key will do.
const PAGE = { limit: 100, signingKey: randomBytes(32).toString('base64url') } as const;

/** Everything stored about the customer, as one document, read from one snapshot of the database. */
export async function exportCustomer(db: Db, org: string, customerId: string, now: Date): Promise<CustomerExport> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const customer = await findCustomer(tx, org, customerId);
    if (!customer) throw customerNotFound();
    const loyaltyAccount = await loyaltySummary(tx, org, customerId);
    const creditAccount = await findCreditAccount(tx, org, customerId);
    const anonymization = await repo.findAnonymization(tx, org, customerId);
    const movements = <R extends { seq: number }, V>(name: string, list: CustomerPageReader<R>, view: (row: R) => V) =>
      everything((cursor) => listMovements(tx, org, customerId, { ...PAGE, cursor }, name, list, view));
    return {
      customer: customerView(customer),
      loyalty: loyaltyAccount && {
        account: loyaltyAccount,
        transactions: await everything((cursor) => listLedger(tx, org, customerId, { ...PAGE, cursor })),
      },
      credit: creditAccount && {
        account: creditAccount,
        usages: await movements('usages', creditRepo.listUsages, (u) => usageView(u, utcDate(now))),
        payments: await movements('payments', creditRepo.listPayments, paymentView),
        refusals: await movements('refusals', creditRepo.listRefusals, refusalView),
      },
      anonymization: anonymization
        ? {
            anonymized_at: anonymization.anonymized_at.toISOString(),
            reason: anonymization.reason,
            points_forfeited: anonymization.points_forfeited,
          }
        : null,
      exported_at: now.toISOString(),
    };
  });
}

export type AnonymizationInput = FromSchema<typeof anonymizationBody>;

/**
 * Anonymizes the customer, irreversibly, in the caller's transaction: refused while credit is outstanding; the
 * points left are forfeited; name, email, phone and tax id are erased (the email and phone become free); every
 * stored event and remembered response of the customer loses its personal data; customer.anonymized is stored.
 */
export async function anonymize(
  tx: Queryable,
  ctx: UseCaseContext,
  customerId: string,
  input: AnonymizationInput,
): Promise<CustomerView> {
  const org = ctx.principal.org;
  // Lock order as every write: the customer, then its credit account, then its loyalty account.
  await writableCustomer(tx, org, customerId, 'update');
  const credit = await creditRepo.findAccount(tx, org, customerId, true);
  if (credit && credit.outstanding_cents > 0) {
    const outstanding = fromCents(credit.outstanding_cents);
    throw new DomainError(
      'customer-has-outstanding-credit',
      `The customer owes ${outstanding} of store credit; it must be paid before the customer can be anonymized.`,
      { outstanding },
    );
  }
  const pointsForfeited = await forfeitPoints(tx, ctx, customerId);
  const anonymized = await anonymizeCustomer(tx, org, customerId, ctx.now);
  await repo.insertAnonymization(tx, org, customerId, {
    reason: input.reason ?? null,
    actor: ctx.principal.sub,
    points_forfeited: pointsForfeited,
    anonymized_at: ctx.now,
  });
  await scrubStoredData(tx, org, customerId);
  await storeEvents(tx, {
    customerId,
    correlationId: ctx.requestId,
    events: [
      envelope(
        'customer.anonymized',
        org,
        { customer_id: customerId, anonymized_at: eventTimestamp(ctx.now), points_forfeited: pointsForfeited },
        ctx.now,
      ),
    ],
  });
  return customerView(anonymized);
}

/** Erases the customer's personal data from its stored events (sent or not, or dead letters) and remembered responses. */
async function scrubStoredData(tx: Queryable, org: string, customerId: string): Promise<void> {
  const stores: [repo.EventStore, (text: string) => string | undefined][] = [
    ['outbox', scrubEventPayload],
    ['outbox_dead_letters', scrubDeadLetter],
  ];
  for (const [store, scrub] of stores) {
    await repo.rewriteEvents(tx, store, org, scrubbed(await repo.customerEvents(tx, store, org, customerId), scrub));
  }
  const responses = await repo.responsesMentioning(tx, org, customerId);
  await repo.rewriteResponses(
    tx,
    org,
    scrubbed(responses, (text) => scrubStoredResponse(text, customerId)),
  );
}

function scrubbed(rows: readonly repo.StoredText[], scrub: (text: string) => string | undefined): repo.StoredText[] {
  return rows.flatMap((row) => {
    const text = scrub(row.text);
    return text === undefined ? [] : [{ id: row.id, text }];
  });
}
