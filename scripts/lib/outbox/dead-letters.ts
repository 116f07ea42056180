import type { Db } from '../../../src/db/db.js';
import { type DeadLetter, listDeadLetters, requeueDeadLetter } from '../../../src/outbox/dead-letters.repository.js';
import { readStoredEvent } from '../../../src/outbox/events.js';
import { OUTBOX_CHANNEL } from '../../../src/outbox/leadership.js';

/** What a retry did: the new outbox row's id, or why it was refused (the dead letter is then kept). */
export type RetryOutcome = { outboxId: string; requeuedAs: string } | { outboxId: string; refused: string };

/** One line per dead letter; the body is not printed (it may hold personal data). */
export function describeDeadLetter(d: DeadLetter): string {
  return [
    d.outbox_id,
    d.moved_at.toISOString(),
    d.organization_id,
    d.event_name,
    d.message_id,
    d.reason,
    d.detail,
  ].join('\t');
}

/**
 * Retries a dead letter: when this build can publish its stored body (after an upgrade that knows the event, say),
 * it goes back into the outbox as a new row with the same message id (consumers de-duplicate by it) and the dead
 * letter is removed, in one statement; the relay publishes it after every row already sent. A body this build still
 * cannot publish is refused and kept.
 */
export async function retryDeadLetter(db: Db, d: DeadLetter): Promise<RetryOutcome> {
  const stored = readStoredEvent(d.event_name, d.payload);
  if ('reason' in stored) {
    return {
      outboxId: d.outbox_id,
      refused: `this build cannot publish it either (${stored.reason}: ${stored.detail})`,
    };
  }
  const requeuedAs = await requeueDeadLetter(db, d.outbox_id);
  if (requeuedAs === undefined) return { outboxId: d.outbox_id, refused: 'it is no longer stored' };
  return { outboxId: d.outbox_id, requeuedAs };
}

/** `retry <id>` or `retry --all`: every outcome, then a wake-up of the relay (it also polls). */
export async function retryDeadLetters(db: Db, which: string | 'all'): Promise<RetryOutcome[]> {
  const letters = (await listDeadLetters(db)).filter((d) => which === 'all' || d.outbox_id === which);
  if (letters.length === 0 && which !== 'all') return [{ outboxId: which, refused: 'no such dead letter' }];
  const outcomes: RetryOutcome[] = [];
  for (const d of letters) outcomes.push(await retryDeadLetter(db, d));
  if (outcomes.some((o) => 'requeuedAs' in o)) await db.notify(OUTBOX_CHANNEL);
  return outcomes;
}
