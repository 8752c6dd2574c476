/** One signed webhook POST, and the retry schedule shared by alert deliveries and audit exports. */
import { systemScheduler, type Scheduler } from './timers.js';

export type FetchLike = (input: string, init: RequestInit & { duplex?: 'half' }) => Promise<Response>;

export interface RetryPolicy {
  /** Attempts in all, the first included. Default 5. */
  maxAttempts: number;
  /** Delay after the first failed attempt. Default 10 s. */
  baseDelayMs: number;
  /** Each further delay is this many times the previous. Default 2. */
  multiplier: number;
  /** Upper bound of one delay. Default 1 hour. */
  maxDelayMs: number;
  /** ± this fraction of random spread (0.2 = ±20 %), so many receivers do not retry in step. Default 0.2. */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 10_000, multiplier: 2, maxDelayMs: 3_600_000, jitter: 0.2 };

/** Delay before the next attempt, after `failedAttempts` (≥ 1) failed ones. `random` in [0, 1). */
export function retryDelayMs(policy: RetryPolicy, failedAttempts: number, random: () => number = Math.random): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.multiplier ** Math.max(0, failedAttempts - 1));
  const spread = 1 - policy.jitter + 2 * policy.jitter * random();
  return Math.max(0, Math.round(raw * spread));
}

export interface WebhookAttempt {
  ok: boolean;
  /** The HTTP status, or null when no response came (connection refused, timeout, refused target). */
  status: number | null;
  error: string | null;
}

export interface PostWebhookOptions {
  fetch?: FetchLike;
  timeoutMs?: number;
  scheduler?: Scheduler;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String((cause as { code: unknown }).code) : undefined;
  const causeMessage = cause instanceof Error ? cause.message : undefined;
  return [error.name === 'AbortError' ? 'Timed out' : error.message, code ?? causeMessage].filter(Boolean).join(': ').slice(0, 500);
}

/**
 * POST `body` to `url` once. Success is a 2xx; redirects are not followed (a 3xx is a failure:
 * the signature was made for this URL). The response body is discarded.
 */
export async function postWebhook(url: string, body: string | ReadableStream<Uint8Array>, headers: Record<string, string>, options: PostWebhookOptions = {}): Promise<WebhookAttempt> {
  const fetchImpl: FetchLike = options.fetch ?? (globalThis.fetch as FetchLike);
  const scheduler = options.scheduler ?? systemScheduler;
  const controller = new AbortController();
  const timer = scheduler.setTimeout(() => controller.abort(), options.timeoutMs ?? 10_000);
  try {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: controller.signal,
      ...(typeof body === 'string' ? {} : { duplex: 'half' as const }),
    });
    await response.body?.cancel().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return { ok, status: response.status, error: ok ? null : `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}` };
  } catch (error) {
    return { ok: false, status: null, error: describeError(error) };
  } finally {
    scheduler.clearTimeout(timer);
  }
}
