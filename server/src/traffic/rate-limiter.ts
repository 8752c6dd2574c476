import type { Awaitable } from './awaitable.js';
import { systemClock, type Clock } from './clock.js';
import { deleteWhere, SweepSchedule } from './sweep.js';

/** A key's (or the workspace default's) rate limit: a sustained rate plus a burst allowance. */
export interface RateLimitPolicy {
  /** Sustained rate, whole requests per minute (≥ 1). */
  readonly requestsPerMinute: number;
  /** Extra requests that may be spent at once on top of one minute's worth (≥ 0). */
  readonly burst: number;
}

interface RateLimitState {
  /** The policy's `requestsPerMinute`. */
  readonly limit: number;
  /** The policy's `burst`. */
  readonly burst: number;
  /** Whole requests that would pass right now, after this one has been counted. */
  readonly remaining: number;
  /** Unix seconds (rounded up) at which the bucket is full again if no further request is made. */
  readonly resetAtSeconds: number;
  /** Whole seconds (rounded up) from now until the bucket is full again. */
  readonly resetAfterSeconds: number;
}

export type RateLimitDecision =
  | (RateLimitState & { readonly allowed: true; readonly retryAfterSeconds?: undefined })
  | (RateLimitState & {
      readonly allowed: false;
      /**
       * Whole seconds to wait before a request passes: rounded up, so it is never early, and
       * tight (waiting one second less would still be refused).
       */
      readonly retryAfterSeconds: number;
    });

/**
 * Counts one request against a bucket.
 *
 * The return type is `Awaitable` on purpose: the in-memory limiter answers synchronously, which
 * makes each consume atomic on the single JS thread (no interleaving between reading and writing
 * the bucket, so `limit + burst` is exact under any concurrency) and keeps the hot path free of
 * promise allocation, while a limiter shared between instances (Redis + a Lua script) must be
 * asynchronous. Callers always `await` the result and work with both.
 */
export interface RateLimiter {
  consume(bucketKey: string, policy: RateLimitPolicy): Awaitable<RateLimitDecision>;
}

/**
 * Token bucket, in exact integer arithmetic.
 *
 * One request costs UNITS_PER_REQUEST units and a policy of L requests/minute adds L units per
 * millisecond, so a full request is earned every 60000/L ms exactly, without ever representing
 * that (usually non-terminating) fraction: 7/min gives a token at 8571.43 ms, 17142.86 ms, … and
 * the bucket sees them at ceil() of those, with no accumulated floating-point drift. Capacity is
 * (L + burst) requests, so starting full exactly L + burst requests pass in an instant.
 */
export const UNITS_PER_REQUEST = 60_000;

interface Bucket {
  /** Available units, 0 ≤ tokenUnits ≤ capacityUnits. */
  tokenUnits: number;
  /** The instant `tokenUnits` was computed for; never moves backwards. */
  updatedAtMs: number;
  capacityUnits: number;
  /** = requestsPerMinute */
  refillUnitsPerMs: number;
}

export interface InMemoryRateLimiterOptions {
  clock?: Clock;
  /**
   * Hard cap on tracked buckets. Above it the least recently used buckets are dropped, which can
   * only ever grant those keys their unrefilled tokens back early; it protects memory when an
   * unusually large number of keys is active at once. Default 100 000.
   */
  maxBuckets?: number;
  /** How often (by the injected clock) `consume` also drops buckets that are full again. Default 60 s. */
  sweepIntervalMs?: number;
}

/**
 * `ceil(a / b)` for non-negative safe integers. Exact: for a, b < 2^53 the correctly rounded
 * quotient can never cross an integer boundary, because its fractional part is at least 1/b and
 * that is larger than the rounding error (< a·2^-53 / b < 1/b).
 */
function ceilDiv(a: number, b: number): number {
  return Math.ceil(a / b);
}

export function assertValidRateLimitPolicy(policy: RateLimitPolicy): void {
  const { requestsPerMinute, burst } = policy;
  if (!Number.isSafeInteger(requestsPerMinute) || requestsPerMinute < 1) {
    throw new RangeError(`requestsPerMinute must be an integer ≥ 1, got ${requestsPerMinute}`);
  }
  if (!Number.isSafeInteger(burst) || burst < 0) {
    throw new RangeError(`burst must be an integer ≥ 0, got ${burst}`);
  }
  if (!Number.isSafeInteger((requestsPerMinute + burst) * UNITS_PER_REQUEST)) {
    throw new RangeError(`requestsPerMinute + burst is too large (${requestsPerMinute} + ${burst})`);
  }
}

export class InMemoryRateLimiter implements RateLimiter {
  readonly #clock: Clock;
  readonly #maxBuckets: number;
  readonly #sweeps: SweepSchedule;
  /** Insertion order doubles as recency order: every consume re-inserts its bucket at the end. */
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: InMemoryRateLimiterOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#maxBuckets = options.maxBuckets ?? 100_000;
    const sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
    if (!Number.isSafeInteger(this.#maxBuckets) || this.#maxBuckets < 1) {
      throw new RangeError(`maxBuckets must be an integer ≥ 1, got ${this.#maxBuckets}`);
    }
    if (!Number.isSafeInteger(sweepIntervalMs) || sweepIntervalMs < 1) {
      throw new RangeError(`sweepIntervalMs must be an integer ≥ 1, got ${sweepIntervalMs}`);
    }
    this.#sweeps = new SweepSchedule(sweepIntervalMs);
  }

  /** Number of buckets currently held (buckets that are full are equivalent to absent ones). */
  get size(): number {
    return this.#buckets.size;
  }

  consume(bucketKey: string, policy: RateLimitPolicy): RateLimitDecision {
    assertValidRateLimitPolicy(policy);
    const nowMs = Math.floor(this.#clock.now());
    if (this.#sweeps.due(nowMs)) this.sweep();

    const capacityUnits = (policy.requestsPerMinute + policy.burst) * UNITS_PER_REQUEST;
    const refillUnitsPerMs = policy.requestsPerMinute;
    const previous = this.#buckets.get(bucketKey);

    let tokenUnits: number;
    // If the wall clock stepped backwards, refill resumes from the latest instant already credited
    // rather than crediting the same milliseconds twice.
    let updatedAtMs = nowMs;
    if (previous === undefined) {
      tokenUnits = capacityUnits;
    } else {
      updatedAtMs = Math.max(nowMs, previous.updatedAtMs);
      const refilled = tokensAt(previous, nowMs);
      if (previous.capacityUnits === capacityUnits && previous.refillUnitsPerMs === refillUnitsPerMs) {
        tokenUnits = refilled;
      } else {
        // The policy was edited. Carry over what the client has *used* (the bucket's deficit), not
        // what it has left: raising a limit takes effect at once, lowering it does not hand out a
        // fresh allowance to a client that has just spent the old one.
        const usedUnits = previous.capacityUnits - refilled;
        tokenUnits = Math.max(0, capacityUnits - usedUnits);
      }
    }

    const allowed = tokenUnits >= UNITS_PER_REQUEST;
    if (allowed) tokenUnits -= UNITS_PER_REQUEST;

    // Re-insert so the map's iteration order stays least-recently-used first. The bucket object is
    // reused: this runs on every request, twice for a verification.
    let bucket = previous;
    if (bucket === undefined) {
      bucket = { tokenUnits, updatedAtMs, capacityUnits, refillUnitsPerMs };
    } else {
      bucket.tokenUnits = tokenUnits;
      bucket.updatedAtMs = updatedAtMs;
      bucket.capacityUnits = capacityUnits;
      bucket.refillUnitsPerMs = refillUnitsPerMs;
      this.#buckets.delete(bucketKey);
    }
    this.#buckets.set(bucketKey, bucket);
    this.#evictOverflow();

    const fullAtMs = updatedAtMs + ceilDiv(capacityUnits - tokenUnits, refillUnitsPerMs);
    const limit = policy.requestsPerMinute;
    const burst = policy.burst;
    const remaining = Math.floor(tokenUnits / UNITS_PER_REQUEST);
    const resetAtSeconds = ceilDiv(fullAtMs, 1000);
    const resetAfterSeconds = ceilDiv(fullAtMs - nowMs, 1000);
    if (allowed) return { allowed: true, limit, burst, remaining, resetAtSeconds, resetAfterSeconds };

    const passesAtMs = updatedAtMs + ceilDiv(UNITS_PER_REQUEST - tokenUnits, refillUnitsPerMs);
    // passesAtMs > nowMs whenever a request is refused, so this is ≥ 1.
    const retryAfterSeconds = ceilDiv(passesAtMs - nowMs, 1000);
    return { allowed: false, limit, burst, remaining, resetAtSeconds, resetAfterSeconds, retryAfterSeconds };
  }

  /** Forgets a bucket, e.g. when its key is deleted; the next request starts from full. */
  reset(bucketKey: string): void {
    this.#buckets.delete(bucketKey);
  }

  /** Drops every bucket that is full again (indistinguishable from a new one). Returns how many. */
  sweep(): number {
    const nowMs = Math.floor(this.#clock.now());
    this.#sweeps.swept(nowMs);
    return deleteWhere(this.#buckets, (bucket) => tokensAt(bucket, nowMs) >= bucket.capacityUnits);
  }

  #evictOverflow(): void {
    while (this.#buckets.size > this.#maxBuckets) {
      const oldest = this.#buckets.keys().next();
      if (oldest.done === true) return;
      this.#buckets.delete(oldest.value);
    }
  }
}

/** Tokens in `bucket` at `nowMs` (refilled, capped at capacity), without mutating it. */
function tokensAt(bucket: Bucket, nowMs: number): number {
  const deficit = bucket.capacityUnits - bucket.tokenUnits;
  if (deficit <= 0) return bucket.capacityUnits;
  const elapsedMs = Math.max(0, nowMs - bucket.updatedAtMs);
  // Compare elapsed time first so elapsed × rate is only computed when it is below the deficit,
  // which keeps the product far from 2^53 even after days of idleness.
  if (elapsedMs >= ceilDiv(deficit, bucket.refillUnitsPerMs)) return bucket.capacityUnits;
  return bucket.tokenUnits + elapsedMs * bucket.refillUnitsPerMs;
}
