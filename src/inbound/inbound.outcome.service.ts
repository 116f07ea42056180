import type { Queryable } from '../db/db.js';
import type { UseCaseContext } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';

/** What a handler gets: the message's transaction and the use-case context (the event's organization). */
export interface InboundContext {
  readonly tx: Queryable;
  readonly use: UseCaseContext;
}

/**
 * What a handler did: `applied` (effects committed with the inbox row), `skipped` (acknowledged with no effect: a
 * guest order, no loyalty account, an anonymized customer, another `applies_to`), `duplicate` (the business key was
 * applied before). A refusal is thrown as a DomainError (dead-lettered, nothing applied); any other error is
 * transient (retried).
 */
export interface InboundOutcome {
  readonly kind: 'applied' | 'skipped' | 'duplicate';
  /** Why, without personal data (logged). */
  readonly why?: string;
}

export const applied: InboundOutcome = { kind: 'applied' };
export const skipped = (why: string): InboundOutcome => ({ kind: 'skipped', why });
export const duplicate = (why: string): InboundOutcome => ({ kind: 'duplicate', why });

/** Domain refusals that mean "acknowledge, no effect" for a consumed fact. */
const NO_EFFECT: Readonly<Record<string, InboundOutcome['kind']>> = {
  'customer-anonymized': 'skipped',
  'loyalty-account-not-found': 'skipped',
  'no-points': 'skipped',
  'duplicate-reference': 'duplicate',
};

let savepoints = 0;

/**
 * Runs `work` under a savepoint. A refusal that means "no effect" rolls back to it and is returned as the outcome;
 * anything else is thrown (a refusal dead-letters the whole message; another error rolls it back and retries).
 */
export async function attempt(tx: Queryable, work: () => Promise<unknown>): Promise<InboundOutcome | undefined> {
  savepoints = (savepoints + 1) % 1_000_000;
  const name = `inbound_${savepoints}`;
  await tx.query(`SAVEPOINT ${name}`);
  try {
    await work();
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    return undefined;
  } catch (error) {
    const kind = error instanceof DomainError ? NO_EFFECT[error.code] : undefined;
    if (!kind || !(error instanceof DomainError)) throw error;
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    return { kind, why: error.code };
  }
}
