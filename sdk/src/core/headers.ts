/**
 * Parsing of the response headers every Tessera response may carry: request id, rate-limit state,
 * `Retry-After`, `Idempotent-Replayed`. Shared by the retry logic and the error classes.
 */

/** The rate-limit state a response reports in its headers. */
export interface RateLimitState {
  /** `X-RateLimit-Limit`: requests allowed in the window. */
  limit: number | null;
  /** `X-RateLimit-Remaining`: requests left in the window. */
  remaining: number | null;
  /** `X-RateLimit-Reset`: when the window resets, unix seconds. */
  reset: number | null;
  /** IETF draft `RateLimit-Policy` field, verbatim. */
  policy: string | null;
  /** IETF draft `RateLimit` field, verbatim. */
  rateLimit: string | null;
}

function headerNumber(headers: Headers, name: string): number | null {
  const raw = headers.get(name)?.trim();
  if (!raw || !/^-?\d+(\.\d+)?$/.test(raw)) return null;
  return Number(raw);
}

/** The rate-limit state from the response headers, or `null` when the response carries none. */
export function parseRateLimit(headers: Headers): RateLimitState | null {
  const state: RateLimitState = {
    limit: headerNumber(headers, 'x-ratelimit-limit'),
    remaining: headerNumber(headers, 'x-ratelimit-remaining'),
    reset: headerNumber(headers, 'x-ratelimit-reset'),
    policy: headers.get('ratelimit-policy'),
    rateLimit: headers.get('ratelimit'),
  };
  return Object.values(state).every((v) => v === null) ? null : state;
}

/**
 * `Retry-After` as milliseconds from `now`: either delay-seconds (`120`) or an HTTP-date
 * (`Wed, 21 Oct 2015 07:28:00 GMT`). A date in the past means "now" (0). Unparseable -> `null`.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  const raw = value?.trim();
  if (!raw) return null;
  // RFC 9110 says delay-seconds is an integer; a decimal is accepted because being lenient costs nothing.
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  // Only date-shaped values go to Date.parse: it accepts odd inputs such as "-5" or "1" otherwise.
  if (!/[a-z]/i.test(raw)) return null;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** What Tessera says about a response in its headers. */
export interface ResponseMeta {
  /** `X-Request-Id`: quote it when contacting support. */
  requestId: string | null;
  /** The caller's rate-limit state, when an API key authenticated the request. */
  rateLimit: RateLimitState | null;
  /** `Idempotent-Replayed: true`: this is the stored response of an earlier request with the same Idempotency-Key. */
  idempotentReplayed: boolean;
}

/** Metadata Tessera puts on every response. */
export function readResponseMeta(response: Response): ResponseMeta {
  return {
    requestId: response.headers.get('x-request-id'),
    rateLimit: parseRateLimit(response.headers),
    idempotentReplayed: response.headers.get('idempotent-replayed')?.trim().toLowerCase() === 'true',
  };
}
