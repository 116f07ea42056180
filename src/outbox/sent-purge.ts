import type { FastifyBaseLogger } from 'fastify';
import type { Queryable } from '../db/db.js';
import { purgeSent } from './outbox.repository.js';

const BATCH = 1000;
/** Batches per call: the relay calls it when caught up, so a large backlog of old rows never stalls publishing. */
const BATCHES_PER_CALL = 10;

/**
 * The sent-row purge: deletes published rows past retention, in batches of 1000 (short transactions, no table scan),
 * once per `everyMs`, or again at once while old rows remain. Rows above the mark are never deleted.
 */
export class SentPurge {
  private last = 0;

  constructor(
    private readonly retentionHours: number,
    private readonly log: FastifyBaseLogger,
    private readonly everyMs = 60_000,
  ) {}

  async maybeRun(q: Queryable): Promise<void> {
    if (Date.now() - this.last < this.everyMs) return;
    let deleted = 0;
    for (let i = 0; i < BATCHES_PER_CALL; i++) {
      const n = await purgeSent(q, this.retentionHours, BATCH);
      deleted += n;
      if (n < BATCH) {
        this.last = Date.now();
        break;
      }
    }
    if (deleted > 0) this.log.info({ deleted }, 'purged published outbox rows past retention');
  }
}
