import type { Context } from 'hono';
import type { Awaitable } from './awaitable.js';

/** What the traffic middlewares need to say when they reject a request. */
export interface ProblemInit {
  readonly status: number;
  /** Stable machine-readable code, e.g. `rate_limited`, `idempotency_key_reused`. */
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  /** For 429: the same whole seconds as `Retry-After`, so a client reading only the body knows too. */
  readonly retry_after?: number;
}

/**
 * Builds an RFC 9457 `application/problem+json` response. Injected so that the app's single
 * error factory (which knows the `type` URIs and the request id) is the only place problems are
 * shaped; the middlewares here never format problem bodies themselves.
 */
export type ProblemFactory = (c: Context, problem: ProblemInit) => Awaitable<Response>;
