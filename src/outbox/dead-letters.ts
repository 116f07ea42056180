import type { FastifyBaseLogger } from 'fastify';
import type { Queryable } from '../db/db.js';
import type { Metrics } from '../metrics.js';
import { moveAside } from './dead-letters.repository.js';
import type { Unpublishable } from './events.js';
import type { OutboxRow } from './outbox.repository.js';
import type { PublishWindow } from './window.js';

/**
 * The relay's dead letters: a row no retry can publish (see `readStoredEvent`) is copied to `outbox_dead_letters`
 * before the relay passes over it, so the mark, the purge and every later row go on. Counted and logged once per row
 * (a row read again after a rewind, or moved by another instance first, is already there).
 */
export class DeadLetters {
  constructor(
    private readonly metrics: Metrics,
    private readonly log: FastifyBaseLogger,
  ) {}

  /**
   * Stores `row` aside, then lets the window pass over it. A failed insert throws (the relay has not moved past the
   * row: it reads it again); false when the window was reset meanwhile (the relay reads again from where it resumes).
   */
  async passOver(q: Queryable, row: OutboxRow, why: Unpublishable, window: PublishWindow): Promise<boolean> {
    const epoch = window.epoch;
    if (await moveAside(q, row.id, why)) this.moved(row, why);
    return window.skip(row.id, epoch);
  }

  private moved(row: OutboxRow, why: Unpublishable): void {
    this.metrics.deadLettersMoved.inc({ reason: why.reason });
    this.log.error(
      { outbox_id: row.id, message_id: row.message_id, event: row.event_name, reason: why.reason, detail: why.detail },
      'outbox row cannot be published; moved to outbox_dead_letters (npm run outbox:dead-letters)',
    );
  }
}
