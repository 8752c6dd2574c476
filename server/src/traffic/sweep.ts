/**
 * Periodic sweeps of the in-memory stores (idempotency entries, rate-limit buckets), piggybacked
 * on calls instead of a timer: a store asks `due(now)` on each call and sweeps when it says so.
 */
export class SweepSchedule {
  readonly #intervalMs: number;
  #lastMs: number | undefined;

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /**
   * Is a sweep due at `nowMs`? When `intervalMs` has passed since the last sweep, and also after
   * the clock stepped backwards, so a clock correction cannot postpone sweeping for ages. The
   * first call only starts the interval.
   */
  due(nowMs: number): boolean {
    if (this.#lastMs === undefined) {
      this.#lastMs = nowMs;
      return false;
    }
    return nowMs - this.#lastMs >= this.#intervalMs || nowMs < this.#lastMs;
  }

  /** A sweep ran at `nowMs` (called by the sweep itself, so explicit sweeps restart the interval too). */
  swept(nowMs: number): void {
    this.#lastMs = nowMs;
  }
}

/** Deletes the entries of `map` whose value `dead` selects. Returns how many. */
export function deleteWhere<K, V>(map: Map<K, V>, dead: (value: V) => boolean): number {
  let dropped = 0;
  for (const [key, value] of map) {
    if (dead(value)) {
      map.delete(key);
      dropped += 1;
    }
  }
  return dropped;
}
