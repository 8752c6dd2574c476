/**
 * Retry policy: which outcomes are retried, and how long to wait before the next attempt.
 *
 * Retried: 408, 409 (an idempotent request still in flight), 429, 5xx, connection errors and timeouts.
 * Never: any other 4xx (400, 401, 403, 404, 422, …): repeating them cannot change the answer.
 *
 * Delay, first match wins:
 *  1. `Retry-After` (delay-seconds or HTTP-date), exactly as asked;
 *  2. `X-RateLimit-Reset` when `X-RateLimit-Remaining` is 0: wait until the window resets;
 *  3. exponential backoff 0.5 s, 1 s, 2 s, 4 s, 8 s (then 8 s) with *equal jitter*: a random delay in
 *     [backoff/2, backoff]. Equal rather than full jitter: clients still spread out, and no retry fires
 *     almost immediately after a failure, which would hit a struggling server at once.
 * A server-requested delay (1 or 2) longer than `maxRetryDelay` is not retried at all: the error is surfaced
 * at once (a `RateLimitError` carries `retryAfter`), since blocking the caller for minutes is worse than
 * letting it decide. Backoff delays are also capped at `maxRetryDelay`.
 */
import { parseRetryAfter } from './headers.js';

export const INITIAL_RETRY_DELAY_MS = 500;
export const MAX_BACKOFF_DELAY_MS = 8_000;

/** Returns a number in [0, 1), like `Math.random`. Injectable so tests are deterministic. */
export type RandomSource = () => number;

/** Waits `ms`; rejects early when `signal` aborts. Injectable so tests never wait. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

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

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Backoff before retry number `retryIndex + 1` (`retryIndex` = retries already made), with equal jitter. */
export function backoffDelay(retryIndex: number, random: RandomSource = Math.random): number {
  const ceiling = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** retryIndex, MAX_BACKOFF_DELAY_MS);
  return ceiling / 2 + random() * (ceiling / 2);
}

export type DelaySource = 'retry-after' | 'rate-limit-reset' | 'backoff';

/** The wait the server asked for, from `Retry-After`, else from the rate-limit reset when nothing remains. */
export function serverRequestedDelay(headers: Headers, now: number = Date.now()): { ms: number; source: DelaySource } | null {
  const retryAfter = parseRetryAfter(headers.get('retry-after'), now);
  if (retryAfter !== null) return { ms: retryAfter, source: 'retry-after' };
  const remaining = headers.get('x-ratelimit-remaining')?.trim();
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (remaining === '0' && reset && /^\d+(\.\d+)?$/.test(reset)) {
    return { ms: Math.max(0, Number(reset) * 1000 - now), source: 'rate-limit-reset' };
  }
  return null;
}

export type RetryDecision =
  | { retry: true; delayMs: number; source: DelaySource }
  | { retry: false; reason: 'not-retryable' | 'retries-exhausted' | 'delay-exceeds-cap'; requestedDelayMs?: number };

export interface RetryContext {
  /** The response status, or `undefined` for a connection error or timeout. */
  status?: number | undefined;
  headers?: Headers | undefined;
  /** Retries already made for this call (0 after the first attempt). */
  retryIndex: number;
  maxRetries: number;
  maxRetryDelay: number;
  now?: number;
  random?: RandomSource;
}

export function decideRetry(ctx: RetryContext): RetryDecision {
  if (ctx.status !== undefined && !isRetryableStatus(ctx.status)) return { retry: false, reason: 'not-retryable' };
  if (ctx.retryIndex >= ctx.maxRetries) return { retry: false, reason: 'retries-exhausted' };
  const requested = ctx.headers ? serverRequestedDelay(ctx.headers, ctx.now ?? Date.now()) : null;
  if (requested) {
    if (requested.ms > ctx.maxRetryDelay) return { retry: false, reason: 'delay-exceeds-cap', requestedDelayMs: requested.ms };
    return { retry: true, delayMs: requested.ms, source: requested.source };
  }
  return { retry: true, delayMs: Math.min(backoffDelay(ctx.retryIndex, ctx.random), ctx.maxRetryDelay), source: 'backoff' };
}
