/**
 * Timers behind an interface, so retries and periodic scans run on a manual clock in tests
 * (no sleeping: a test advances time and the due callbacks run).
 */
import type { ManualClock } from '../traffic/clock.js';

export interface Scheduler {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real timers, unref'd: a pending retry never keeps the process alive. */
export const systemScheduler: Scheduler = {
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, Math.max(0, ms));
    timer.unref();
    return timer;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

interface ManualTimer {
  id: number;
  at: number;
  callback: () => void;
}

/** Timers driven by a {@link ManualClock}: `advance(ms)` moves the clock and runs what fell due, in time order. */
export class ManualScheduler implements Scheduler {
  readonly clock: ManualClock;
  #timers: ManualTimer[] = [];
  #nextId = 1;

  constructor(clock: ManualClock) {
    this.clock = clock;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { id: this.#nextId++, at: this.clock.now() + Math.max(0, Math.round(ms)), callback };
    this.#timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  }

  /** Timers not yet run. */
  get pending(): number {
    return this.#timers.length;
  }

  /** When the next timer is due (clock ms), or undefined. */
  get nextAt(): number | undefined {
    return this.#timers.reduce<number | undefined>((min, timer) => (min === undefined || timer.at < min ? timer.at : min), undefined);
  }

  /** Move the clock forward by `ms`, running each timer due on the way at its own time. Returns how many ran. */
  advance(ms: number): number {
    const until = this.clock.now() + ms;
    let ran = 0;
    for (let guard = 0; guard < 100_000; guard += 1) {
      const next = this.#timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!next) break;
      this.#timers = this.#timers.filter((timer) => timer !== next);
      if (next.at > this.clock.now()) this.clock.set(next.at);
      next.callback();
      ran += 1;
    }
    if (until > this.clock.now()) this.clock.set(until);
    return ran;
  }

  /** Advance to the next due timer and run it (and any due at the same time). */
  runNext(): number {
    const at = this.nextAt;
    return at === undefined ? 0 : this.advance(Math.max(0, at - this.clock.now()));
  }
}
