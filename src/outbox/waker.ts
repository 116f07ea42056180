/**
 * Wake-ups of the relay loop: `wake()` after a commit (or a NOTIFY) ends a `wait()` at once, or the next one if
 * none is running; `sleep()` is ended only by `stop()`.
 */
export class Waker {
  private woken = false;
  private stopped = false;
  private end?: () => void;
  private notifyPending = false;

  wake(): void {
    this.woken = true;
    this.end?.();
  }

  /** Waits for a wake-up or `ms`, whichever comes first. */
  wait(ms: number): Promise<void> {
    if (this.woken || this.stopped) {
      this.woken = false;
      return Promise.resolve();
    }
    return this.pause(ms, true);
  }

  /** Waits `ms`; wake-ups are kept for the next `wait()`. */
  sleep(ms: number): Promise<void> {
    return this.stopped ? Promise.resolve() : this.pause(ms, false);
  }

  private pause(ms: number, wakeable: boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (wakeable) {
          this.end = undefined;
          this.woken = false;
        } else this.endSleep = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      if (wakeable) this.end = done;
      else this.endSleep = done;
    });
  }

  private endSleep?: () => void;

  /** Another instance may be the active relay: tell it (through `notify`), coalescing a burst into one. */
  notifyOthers(notify: () => Promise<void>): void {
    if (this.notifyPending) return;
    this.notifyPending = true;
    setImmediate(() => {
      this.notifyPending = false;
      notify().catch(() => {});
    });
  }

  stop(): void {
    this.stopped = true;
    this.end?.();
    this.endSleep?.();
  }
}
