import { randomBytes } from 'node:crypto';
import type { Channel, ConsumeMessage } from 'amqplib';

/** The `type` of a tap's own markers, which it never records as events. */
const BARRIER = 'test.tap.barrier';

/**
 * A tap's barriers: a marker sent to the tap's own queue (through the default exchange, so no other queue gets it)
 * comes back after every message the broker had queued before it, as a queue delivers in order. Once the
 * publishers have stopped (their confirms awaited), counting after a barrier counts everything: no quiet window.
 */
export class Barriers {
  private readonly waiting = new Map<string, () => void>();

  /** Whether `msg` is one of the markers (it then releases its waiter and is not an event). */
  take(msg: ConsumeMessage): boolean {
    if (msg.properties.type !== BARRIER) return false;
    this.waiting.get(String(msg.properties.messageId))?.();
    return true;
  }

  /** Sends a marker to `queue` and resolves when it is back. */
  async pass(channel: Channel, queue: string, timeoutMs: number, persistent = false): Promise<void> {
    const id = `barrier-${randomBytes(6).toString('hex')}`;
    const back = new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`barrier ${id} not back within ${timeoutMs} ms`)), timeoutMs);
      this.waiting.set(id, () => {
        clearTimeout(t);
        this.waiting.delete(id);
        resolve();
      });
    });
    channel.sendToQueue(queue, Buffer.from('{}'), { messageId: id, type: BARRIER, persistent });
    await back;
  }
}
