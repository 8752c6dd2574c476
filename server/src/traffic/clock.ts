/**
 * Time source for traffic control. Everything that depends on "now" takes a Clock so
 * tests can drive time explicitly instead of sleeping (the CI machines are noisy).
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, as an integer. */
  now(): number;
}

/** Wall-clock time from the operating system. */
export const systemClock: Clock = {
  now: () => Date.now(),
};

function assertSafeInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${what} must be a safe integer number of milliseconds, got ${value}`);
  }
}

/** 2025-01-01T00:00:00Z: a realistic default so unix-second values in tests look like real ones. */
export const MANUAL_CLOCK_DEFAULT_START_MS = Date.UTC(2025, 0, 1);

/**
 * A clock that only moves when told to. Integer milliseconds only: the limiter's exact
 * arithmetic relies on integer time, and a fractional test clock would hide rounding bugs.
 */
export class ManualClock implements Clock {
  #nowMs: number;

  constructor(startMs: number = MANUAL_CLOCK_DEFAULT_START_MS) {
    assertSafeInteger(startMs, 'startMs');
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  /** Moves time forward. Use `set` to simulate the wall clock stepping backwards. */
  advance(ms: number): void {
    assertSafeInteger(ms, 'advance(ms)');
    if (ms < 0) throw new RangeError(`advance(ms) cannot go backwards (got ${ms}); use set()`);
    this.#nowMs += ms;
  }

  /** Jumps to an absolute time, backwards included (NTP corrections happen in production). */
  set(ms: number): void {
    assertSafeInteger(ms, 'set(ms)');
    this.#nowMs = ms;
  }
}
