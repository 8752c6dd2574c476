/**
 * Retry policy: which outcomes are retried, and how long to wait before the next attempt.
 *
 * Retried: 408, 429, 5xx, connection errors and timeouts, and a 409 whose problem `code` is
 * `idempotency_request_in_flight` (the first request with this Idempotency-Key is still running: a retry gets
 * its stored answer). Never: any other 409 (`key_revoked`, `last_admin`, `already_rotated`, … are business
 * conflicts that a retry cannot change) and any other 4xx (400, 401, 403, 404, 422, …).
 *
 * Delay, first match wins:
 *  1. `Retry-After` (delay-seconds or HTTP-date), exactly as asked;
 *  2. on a 429 only, `X-RateLimit-Reset` when `X-RateLimit-Remaining` is 0: wait until the window resets. The
 *     server sends the rate-limit headers on every answer; on a 5xx or a 409 they describe the key, not why the
 *     request failed, so they must not hold back (or, past the cap, prevent) the retry of a server error;
 *  3. exponential backoff 0.5 s, 1 s, 2 s, 4 s, 8 s (then 8 s) with *equal jitter*: a random delay in
 *     [backoff/2, backoff]. Equal rather than full jitter: clients still spread out, and no retry fires
 *     almost immediately after a failure, which would hit a struggling server at once.
 * A server-requested delay (1 or 2) longer than `maxRetryDelay` is not retried at all: the error is surfaced
 * at once (a `RateLimitError` carries `retryAfter`), since blocking the caller for minutes is worse than
 * letting it decide. Backoff delays are also capped at `maxRetryDelay`.
 */
import { parseRetryAfter } from './headers.js';

/** The problem `code` of the only 409 worth retrying: the same Idempotency-Key is still being processed. */
export const IDEMPOTENCY_IN_FLIGHT_CODE = 'idempotency_request_in_flight';

/** The first retry's backoff ceiling, ms. */
export const INITIAL_RETRY_DELAY_MS = 500;
/** The largest backoff ceiling, ms. */
export const MAX_BACKOFF_DELAY_MS = 8_000;

/** Returns a number in [0, 1), like `Math.random`. Injectable so tests are deterministic. */
export type RandomSource = () => number;

/** Waits `ms`; rejects early when `signal` aborts. Injectable so tests never wait. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A `setTimeout` sleep that rejects with the signal's reason when it aborts. */
export const defaultSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Whether a status may be retried. A 409 is only a candidate: `decideRetry` retries it only when the problem
 * `code` says the idempotent request is still in flight.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Backoff before retry number `retryIndex + 1` (`retryIndex` = retries already made), with equal jitter. */
export function backoffDelay(retryIndex: number, random: RandomSource = Math.random): number {
  const ceiling = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** retryIndex, MAX_BACKOFF_DELAY_MS);
  return ceiling / 2 + random() * (ceiling / 2);
}

/** Where a retry delay came from. */
export type DelaySource = 'retry-after' | 'rate-limit-reset' | 'backoff';

/**
 * The wait the server asked for with a response of `status`: `Retry-After`, else, on a 429 only,
 * the rate-limit reset when nothing remains. The rate-limit headers come with every answer, so on
 * any other status (a 5xx while the allowance is spent) the reset says nothing about when to retry.
 */
export function serverRequestedDelay(status: number, headers: Headers, now: number = Date.now()): ServerRequestedDelay | null {
  const retryAfter = parseRetryAfter(headers.get('retry-after'), now);
  if (retryAfter !== null) return { ms: retryAfter, source: 'retry-after' };
  if (status !== 429) return null;
  const remaining = headers.get('x-ratelimit-remaining')?.trim();
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (remaining === '0' && reset && /^\d+(\.\d+)?$/.test(reset)) {
    return { ms: Math.max(0, Number(reset) * 1000 - now), source: 'rate-limit-reset' };
  }
  return null;
}

/** A wait the server asked for. */
export interface ServerRequestedDelay {
  /** How long, ms. */
  ms: number;
  /** Which header said so. */
  source: DelaySource;
}

/** Retry after `delayMs`. */
export interface RetryAfterDelay {
  /** Retry. */
  retry: true;
  /** How long to wait first, ms. */
  delayMs: number;
  /** Where the delay came from. */
  source: DelaySource;
}

/** Do not retry: the outcome is final. */
export interface NoRetry {
  /** Do not retry. */
  retry: false;
  /** Why not. */
  reason: 'not-retryable' | 'retries-exhausted' | 'delay-exceeds-cap';
  /** For `delay-exceeds-cap`: the wait the server asked for, ms. */
  requestedDelayMs?: number;
}

/** What to do after an attempt. */
export type RetryDecision = RetryAfterDelay | NoRetry;

/** What {@link decideRetry} decides on. */
export interface RetryContext {
  /** The response status, or `undefined` for a connection error or timeout. */
  status?: number | undefined;
  /** The response headers (`Retry-After`, rate-limit reset). */
  headers?: Headers | undefined;
  /** The problem `code` of the response body. Read only for a 409, where it decides whether to retry. */
  code?: string | undefined;
  /** Retries already made for this call (0 after the first attempt). */
  retryIndex: number;
  /** Retries allowed after the first attempt. */
  maxRetries: number;
  /** The longest server-requested wait honoured, ms. */
  maxRetryDelay: number;
  /** The current time, ms (for HTTP-date `Retry-After` and the rate-limit reset). */
  now?: number;
  /** The jitter source. */
  random?: RandomSource;
}

/** Whether to retry an outcome, and after how long; see the module description for the rules. */
export function decideRetry(ctx: RetryContext): RetryDecision {
  if (ctx.status !== undefined && !isRetryableStatus(ctx.status)) return { retry: false, reason: 'not-retryable' };
  if (ctx.status === 409 && ctx.code !== IDEMPOTENCY_IN_FLIGHT_CODE) return { retry: false, reason: 'not-retryable' };
  if (ctx.retryIndex >= ctx.maxRetries) return { retry: false, reason: 'retries-exhausted' };
  const requested = ctx.status !== undefined && ctx.headers ? serverRequestedDelay(ctx.status, ctx.headers, ctx.now ?? Date.now()) : null;
  if (requested) {
    if (requested.ms > ctx.maxRetryDelay) return { retry: false, reason: 'delay-exceeds-cap', requestedDelayMs: requested.ms };
    return { retry: true, delayMs: requested.ms, source: requested.source };
  }
  return { retry: true, delayMs: Math.min(backoffDelay(ctx.retryIndex, ctx.random), ctx.maxRetryDelay), source: 'backoff' };
}
