import type { FastifyBaseLogger } from 'fastify';
import type { Db, Session } from '../db/db.js';

/** NOTIFY channel that wakes the active relay when another instance commits events. */
export const OUTBOX_CHANNEL = 'customer_outbox';
/** pg advisory lock held by the one active relay (ordering per customer across instances). */
export const RELAY_LOCK_KEY = 727274002;

/**
 * Leadership: one relay per database is active. It holds a session-level advisory lock on a dedicated session
 * and LISTENs there for other instances' commits. Losing the session loses the lock (and the leadership) at once.
 */
export class Leadership {
  private session?: Session;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
    private readonly onNotify: () => void,
    private readonly onLost: () => void,
  ) {}

  get leader(): boolean {
    return this.session !== undefined;
  }

  /** The leader's session, where the relay reads and writes its mark (undefined when standing by). */
  get current(): Session | undefined {
    return this.session;
  }

  /** Takes the lock if it is free; true when this instance leads (already or now). */
  async acquire(): Promise<boolean> {
    if (this.session) return true;
    const s = await this.db.session();
    try {
      const res = await s.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RELAY_LOCK_KEY]);
      if (!res.rows[0]?.locked) {
        await s.release();
        return false;
      }
      await s.onNotify(OUTBOX_CHANNEL, this.onNotify);
    } catch (err) {
      await s.release();
      throw err;
    }
    s.onError((err) => {
      if (this.session !== s) return;
      this.log.warn({ err: err.message }, 'relay lost its database session; leadership released');
      this.session = undefined;
      void s.release();
      this.onLost();
    });
    this.session = s;
    this.log.info('this instance is the active outbox relay');
    return true;
  }

  async release(): Promise<void> {
    const s = this.session;
    if (!s) return;
    this.session = undefined;
    await s.query('SELECT pg_advisory_unlock($1)', [RELAY_LOCK_KEY]).catch(() => {});
    await s.release();
  }
}
