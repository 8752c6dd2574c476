import type { Context, MiddlewareHandler } from 'hono';
import type { Awaitable } from './awaitable.js';
import type { ProblemFactory } from './problem.js';
import { rateLimitHeaders } from './rate-limit-headers.js';
import type { RateLimitDecision, RateLimiter, RateLimitPolicy } from './rate-limiter.js';

/** Which bucket a request is counted against, and under which policy. */
export interface RateLimitTarget {
  /** Stable identity of the credential, e.g. the API key id (never the raw key). */
  readonly bucketKey: string;
  readonly policy: RateLimitPolicy;
  /** Policy identifier for the IETF fields; default `"default"`. */
  readonly policyName?: string;
}

export interface RateLimitMiddlewareOptions {
  limiter: RateLimiter;
  /**
   * Resolves the target from the request, typically from the credential the auth middleware
   * stored on the context. `undefined` = this request is not rate limited (no key credential),
   * and it gets no rate-limit headers.
   */
  targetOf: (c: Context) => Awaitable<RateLimitTarget | undefined>;
  problem: ProblemFactory;
  /** Called before the 429 is sent, e.g. to record the `rate_limited` audit event. */
  onLimited?: (c: Context, decision: RateLimitDecision & { allowed: false }) => Awaitable<void>;
}

export const RATE_LIMITED_CODE = 'rate_limited';

/**
 * Counts every request of a key against its bucket, adds the rate-limit headers to every response
 * (successes and errors alike) and answers 429 with `Retry-After` when the bucket is empty.
 */
export function rateLimit(options: RateLimitMiddlewareOptions): MiddlewareHandler {
  const { limiter, targetOf, problem, onLimited } = options;
  return async (c, next) => {
    const target = await targetOf(c);
    if (target === undefined) {
      await next();
      return;
    }
    const decision = await limiter.consume(target.bucketKey, target.policy);
    const headers = rateLimitHeaders(
      decision,
      target.policyName === undefined ? {} : { policyName: target.policyName },
    );

    if (!decision.allowed) {
      await onLimited?.(c, decision);
      const refused = await problem(c, {
        status: 429,
        code: RATE_LIMITED_CODE,
        title: 'Too many requests',
        detail:
          `This credential may make ${decision.limit} requests per minute with a burst of ` +
          `${decision.burst}; retry in ${decision.retryAfterSeconds} s.`,
        retry_after: decision.retryAfterSeconds,
      });
      // Copy rather than mutate: the factory may hand back a Response whose headers are immutable.
      const response = new Response(refused.body, refused);
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
      return response;
    }

    await next();
    // Set on the final response itself: c.header() after next() re-wraps it, which behind
    // @hono/node-server turns a cheap string response into a full streamed one. Only a response
    // with immutable headers (a proxied fetch(), Response.redirect()) pays for the re-wrap.
    try {
      const finalHeaders = c.res.headers;
      for (const [name, value] of Object.entries(headers)) finalHeaders.set(name, value);
    } catch {
      for (const [name, value] of Object.entries(headers)) c.header(name, value);
    }
  };
}
