// Time as a dependency: the outbox waits for backoff and rate-limit windows through this, so tests
// drive retries with a manual clock instead of sleeping.
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** A clock that only moves when someone sleeps on it (tests, dry runs). */
export class ManualClock implements Clock {
  constructor(private current = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.current;
  }
  async sleep(ms: number): Promise<void> {
    this.current += Math.max(0, Math.ceil(ms));
    // Yield so other tasks waiting on I/O get a turn, as a real sleep would allow.
    await new Promise((resolve) => setImmediate(resolve));
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
