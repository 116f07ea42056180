// Generated from asyncapi.yaml by scripts/generate.ts — DO NOT EDIT.

/**
 * Where the consumer remembers the `messageId`s it handled successfully. Any store works (Redis, a table…);
 * `seen` is asked before a handler runs, `remember` is called after it succeeded and before the message is acked.
 */
export interface DedupeStore {
  seen(messageId: string): Promise<boolean>;
  remember(messageId: string): Promise<void>;
}

/** An in-memory store of the last `max` message ids (default 100,000): the oldest are forgotten first. */
export function memoryDedupe(options: { max?: number } = {}): DedupeStore {
  const max = options.max ?? 100_000;
  if (!Number.isInteger(max) || max < 1) throw new RangeError('memoryDedupe: max must be a positive integer');
  const ids = new Set<string>();
  return {
    async seen(messageId) {
      return ids.has(messageId);
    },
    async remember(messageId) {
      ids.delete(messageId);
      ids.add(messageId);
      while (ids.size > max) {
        const oldest = ids.values().next();
        if (oldest.done) break;
        ids.delete(oldest.value);
      }
    },
  };
}
