import type { Queryable } from '../db/db.js';
import { envelope } from '../outbox/events.js';
import { utcDate } from '../shared/clock.js';
import type { UseCaseContext } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { fromCents } from '../shared/money.js';
import type { FromSchema } from '../shared/schema-types.js';
import * as lifecycle from './credit.lifecycle.repository.js';
import type { holdBody } from './credit.lifecycle.schemas.js';
import type * as repo from './credit.repository.js';
import { accountView, type CreditAccountView, onLockedAccount, storeEvent } from './credit.service.js';

/*
 * Holds: an account on hold refuses usages (credit-on-hold) and still takes payments. A hold placed by the overdue
 * run (reason `overdue`) lifts by itself when a payment leaves no overdue usage; a manual hold stays until released.
 */

export function holdPlacedEvent(org: string, a: repo.CreditAccountRow, at: Date) {
  return envelope(
    'credit.hold.placed',
    org,
    {
      customer_id: a.customer_id,
      credit_account_id: a.credit_account_id,
      reason: a.hold_reason ?? 'manual',
      note: a.hold_note,
      outstanding: fromCents(a.outstanding_cents),
    },
    at,
  );
}

export function holdReleasedEvent(org: string, a: repo.CreditAccountRow, at: Date) {
  return envelope(
    'credit.hold.released',
    org,
    {
      customer_id: a.customer_id,
      credit_account_id: a.credit_account_id,
      credit_available: fromCents(a.credit_limit_cents - a.outstanding_cents),
    },
    at,
  );
}

/** The hold body (no body: an empty one). */
export type HoldInput = NonNullable<FromSchema<typeof holdBody>>;

/**
 * Puts the account on hold by hand (publishes credit.hold.placed, reason `manual`). A hold placed for overdue
 * becomes manual (it no longer lifts by itself); an account already held by hand answers as it is.
 */
export const placeManualHold = onLockedAccount(
  async (tx, ctx, current, input: HoldInput): Promise<CreditAccountView> => {
    if (current.hold_reason === 'manual') return accountView(current);
    const org = ctx.principal.org;
    const hold = { reason: 'manual', note: input.note ?? null } as const;
    const held = await lifecycle.placeHold(tx, org, current.customer_id, hold, ctx.now);
    await storeEvent(tx, ctx, current.customer_id, holdPlacedEvent(org, held, ctx.now));
    return accountView(held);
  },
);

/**
 * Releases a hold by hand (publishes credit.hold.released); 409 credit-overdue while an overdue usage is unpaid.
 * An active account answers as it is.
 */
export const releaseManualHold = onLockedAccount(async (tx, ctx, current): Promise<CreditAccountView> => {
  if (current.status === 'active') return accountView(current);
  const org = ctx.principal.org;
  const customerId = current.customer_id;
  const overdue = await lifecycle.overdueCents(tx, org, customerId, utcDate(ctx.now));
  if (overdue > 0) {
    throw new DomainError(
      'credit-overdue',
      `The hold cannot be released while ${fromCents(overdue)} is overdue; a payment of it lifts an overdue hold.`,
      { overdue_amount: fromCents(overdue) },
    );
  }
  const released = await lifecycle.releaseHold(tx, org, customerId, ctx.now);
  await storeEvent(tx, ctx, customerId, holdReleasedEvent(org, released, ctx.now));
  return accountView(released);
});

/**
 * After a payment (the account row locked): lifts a hold placed for overdue when no overdue usage is left, and
 * publishes credit.hold.released. Returns the account as it stands.
 */
export async function liftOverdueHoldIfCleared(
  tx: Queryable,
  ctx: UseCaseContext,
  account: repo.CreditAccountRow,
): Promise<repo.CreditAccountRow> {
  if (account.hold_reason !== 'overdue') return account;
  const org = ctx.principal.org;
  if ((await lifecycle.overdueCents(tx, org, account.customer_id, utcDate(ctx.now))) > 0) return account;
  const released = await lifecycle.releaseHold(tx, org, account.customer_id, ctx.now);
  await storeEvent(tx, ctx, account.customer_id, holdReleasedEvent(org, released, ctx.now));
  return released;
}
