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

/** The outcome a "no effect" refusal means; anything else is thrown again. */
function noEffect(error: unknown): InboundOutcome {
  const kind = error instanceof DomainError ? NO_EFFECT[error.code] : undefined;
  if (!kind || !(error instanceof DomainError)) throw error;
  return { kind, why: error.code };
}

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
    const outcome = noEffect(error);
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    return outcome;
  }
}

/**
 * `attempt` without the savepoint, for a use case whose writes are one statement that writes nothing when it
 * refuses (the earn: its refusals are decided inside its statement, and what follows only reads): two round trips
 * fewer per message.
 */
export async function attemptOneStatement(work: () => Promise<unknown>): Promise<InboundOutcome | undefined> {
  try {
    await work();
    return undefined;
  } catch (error) {
    return noEffect(error);
  }
}
