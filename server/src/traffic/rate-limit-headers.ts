import type { RateLimitDecision } from './rate-limiter.js';

/*
 * Response headers describing a rate-limit decision.
 *
 * Two vocabularies are sent side by side:
 * - the de-facto `X-RateLimit-*` trio (what most existing clients read), and
 * - the IETF httpapi fields of draft-ietf-httpapi-ratelimit-headers (-08 to -11), which are
 *   Structured Fields (RFC 9651) Lists: `RateLimit-Policy: "default";q=1000;w=60` describes the
 *   policy, `RateLimit: "default";r=87;t=5` the current state of the caller's partition.
 *
 * Policy mapping (decided here, documented for the SDK and the docs):
 * - `q` = requestsPerMinute and `w` = 60: q/w is the rate a client can *sustain*. Advertising
 *   q = limit + burst per 60 s would promise more than a drained bucket gives back per minute.
 * - the burst is a vendor parameter, `tessera-burst` (the draft asks for vendor-prefixed
 *   extension parameters); so `r` can exceed `q` by up to the burst when the bucket is full,
 *   exactly like `X-RateLimit-Remaining` can exceed `X-RateLimit-Limit`.
 * - `t` = seconds until the bucket is full again (the same instant as `X-RateLimit-Reset`). The
 *   draft allows t to be conservative ("MUST NOT assume all quota is restored after t"); on a 429
 *   the exact wait is `Retry-After`, which clients should prefer.
 */

export const X_RATELIMIT_LIMIT_HEADER = 'X-RateLimit-Limit';
export const X_RATELIMIT_REMAINING_HEADER = 'X-RateLimit-Remaining';
export const X_RATELIMIT_RESET_HEADER = 'X-RateLimit-Reset';
export const RATELIMIT_POLICY_HEADER = 'RateLimit-Policy';
export const RATELIMIT_HEADER = 'RateLimit';
export const RETRY_AFTER_HEADER = 'Retry-After';

/** Every header `rateLimitHeaders` may set (e.g. for CORS `Access-Control-Expose-Headers`). */
export const RATE_LIMIT_HEADER_NAMES = [
  X_RATELIMIT_LIMIT_HEADER,
  X_RATELIMIT_REMAINING_HEADER,
  X_RATELIMIT_RESET_HEADER,
  RATELIMIT_POLICY_HEADER,
  RATELIMIT_HEADER,
  RETRY_AFTER_HEADER,
] as const;

export type RateLimitHeaderName = (typeof RATE_LIMIT_HEADER_NAMES)[number];

/** The refill window a policy's requestsPerMinute is expressed over. */
export const RATE_LIMIT_WINDOW_SECONDS = 60;

/** Vendor-prefixed Structured Field parameter carrying the burst in `RateLimit-Policy`. */
export const BURST_PARAMETER = 'tessera-burst';

export const DEFAULT_RATE_LIMIT_POLICY_NAME = 'default';

export interface RateLimitHeaderOptions {
  /** Identifier of the policy in the IETF fields (an sf-string). Default `"default"`. */
  policyName?: string;
}

/**
 * Serializes a Structured Field String (RFC 9651 §4.1.6): printable ASCII only, with `"` and `\`
 * escaped. Throws for anything else instead of emitting a field clients cannot parse.
 */
export function serializeStructuredFieldString(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || code > 0x7e) {
      throw new TypeError(`Structured Field strings allow printable ASCII only: ${JSON.stringify(value)}`);
    }
    out += char === '"' || char === '\\' ? `\\${char}` : char;
  }
  return `${out}"`;
}

/** `RateLimit-Policy` value, e.g. `"default";q=1000;w=60;tessera-burst=100`. */
export function formatRateLimitPolicyField(
  decision: Pick<RateLimitDecision, 'limit' | 'burst'>,
  policyName: string = DEFAULT_RATE_LIMIT_POLICY_NAME,
): string {
  const name = serializeStructuredFieldString(policyName);
  return `${name};q=${decision.limit};w=${RATE_LIMIT_WINDOW_SECONDS};${BURST_PARAMETER}=${decision.burst}`;
}

/** `RateLimit` value, e.g. `"default";r=87;t=5`. */
export function formatRateLimitField(
  decision: Pick<RateLimitDecision, 'remaining' | 'resetAfterSeconds'>,
  policyName: string = DEFAULT_RATE_LIMIT_POLICY_NAME,
): string {
  return `${serializeStructuredFieldString(policyName)};r=${decision.remaining};t=${decision.resetAfterSeconds}`;
}

/**
 * All rate-limit response headers for a decision; `Retry-After` (delay-seconds) only when the
 * request was refused.
 */
export function rateLimitHeaders(
  decision: RateLimitDecision,
  options: RateLimitHeaderOptions = {},
): Partial<Record<RateLimitHeaderName, string>> {
  const policyName = options.policyName ?? DEFAULT_RATE_LIMIT_POLICY_NAME;
  const headers: Partial<Record<RateLimitHeaderName, string>> = {
    [X_RATELIMIT_LIMIT_HEADER]: String(decision.limit),
    [X_RATELIMIT_REMAINING_HEADER]: String(decision.remaining),
    [X_RATELIMIT_RESET_HEADER]: String(decision.resetAtSeconds),
    [RATELIMIT_POLICY_HEADER]: formatRateLimitPolicyField(decision, policyName),
    [RATELIMIT_HEADER]: formatRateLimitField(decision, policyName),
  };
  if (!decision.allowed) headers[RETRY_AFTER_HEADER] = String(decision.retryAfterSeconds);
  return headers;
}
