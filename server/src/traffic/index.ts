/** Traffic control: rate limiting and idempotency, framework-free cores plus thin Hono middleware, and the idempotent responses saved in a data folder. */
export type { Awaitable } from './awaitable.js';
export { ManualClock, MANUAL_CLOCK_DEFAULT_START_MS, systemClock, type Clock } from './clock.js';
export type { ProblemFactory, ProblemInit } from './problem.js';
export {
  assertValidRateLimitPolicy,
  InMemoryRateLimiter,
  UNITS_PER_REQUEST,
  type InMemoryRateLimiterOptions,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimitPolicy,
} from './rate-limiter.js';
export {
  BURST_PARAMETER,
  DEFAULT_RATE_LIMIT_POLICY_NAME,
  formatRateLimitField,
  formatRateLimitPolicyField,
  RATE_LIMIT_HEADER_NAMES,
  RATE_LIMIT_WINDOW_SECONDS,
  RATELIMIT_HEADER,
  RATELIMIT_POLICY_HEADER,
  rateLimitHeaders,
  RETRY_AFTER_HEADER,
  serializeStructuredFieldString,
  X_RATELIMIT_LIMIT_HEADER,
  X_RATELIMIT_REMAINING_HEADER,
  X_RATELIMIT_RESET_HEADER,
  type RateLimitHeaderName,
  type RateLimitHeaderOptions,
} from './rate-limit-headers.js';
export {
  RATE_LIMITED_CODE,
  rateLimit,
  type RateLimitMiddlewareOptions,
  type RateLimitTarget,
} from './rate-limit-middleware.js';
export {
  assertValidIdempotencyKey,
  DEFAULT_IDEMPOTENCY_IN_FLIGHT_TIMEOUT_MS,
  DEFAULT_IDEMPOTENCY_TTL_MS,
  IDEMPOTENCY_KEY_MAX_LENGTH,
  idempotencyFingerprint,
  idempotencyKeyProblem,
  InMemoryIdempotencyStore,
  INVALID_IDEMPOTENCY_KEY_CODE,
  InvalidIdempotencyKeyError,
  type FingerprintInput,
  type CompletedIdempotencyEntry,
  type IdempotencyBeginResult,
  type IdempotencyStore,
  type InMemoryIdempotencyStoreOptions,
  type ReplayableIdempotencyEntry,
  type StoredResponse,
  type WithheldIdempotencyEntry,
} from './idempotency.js';
export {
  DEFAULT_IDEMPOTENCY_SAVE_INTERVAL_MS,
  PersistentIdempotency,
  type PersistentIdempotencyOptions,
} from './idempotency-persistence.js';
export {
  DEFAULT_REPLAYED_HEADERS,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_REUSED_CODE,
  IDEMPOTENCY_REQUEST_IN_FLIGHT_CODE,
  IDEMPOTENCY_RESPONSE_UNAVAILABLE_CODE,
  idempotency,
  IDEMPOTENT_REPLAYED_HEADER,
  isStorableIdempotentStatus,
  UNSTORED_CLIENT_ERROR_STATUSES,
  type IdempotencyMiddlewareOptions,
} from './idempotency-middleware.js';
