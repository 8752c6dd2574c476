/**
 * @tessera/sdk: the transport core (config, retries, errors, pagination) and the key format.
 * The typed resource layer is built on `createTransport().createTypedClient<paths>()`.
 */
export { VERSION } from './version.js';

export {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  TesseraError,
  UnprocessableEntityError,
  redactSecrets,
  type ProblemDetails,
  type ProblemFieldError,
} from './core/errors.js';

export {
  DEFAULT_BASE_URL,
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_RETRY_DELAY_MS,
  DEFAULT_TIMEOUT_MS,
  credentialHint,
  isBrowserLike,
  readEnv,
  resolveConfig,
  type ClientOptions,
  type FetchLike,
  type ResolvedConfig,
} from './core/config.js';

export { parseRateLimit, parseRetryAfter, readResponseMeta, type RateLimitState, type ResponseMeta } from './core/headers.js';

export {
  INITIAL_RETRY_DELAY_MS,
  MAX_BACKOFF_DELAY_MS,
  backoffDelay,
  decideRetry,
  defaultSleep,
  isRetryableStatus,
  serverRequestedDelay,
  type DelaySource,
  type RandomSource,
  type RetryContext,
  type RetryDecision,
  type Sleep,
} from './core/retry.js';

export {
  IDEMPOTENCY_KEY_HEADER,
  RETRY_COUNT_HEADER,
  createRetryingFetch,
  generateIdempotencyKey,
  type RetryingFetch,
  type RetryingFetchOptions,
  type TesseraRequestOptions,
} from './core/transport.js';

export {
  CLIENT_HEADER,
  authMiddleware,
  createTransport,
  dataOrThrow,
  dataWithResponse,
  type DataOf,
  type FetchResultLike,
  type PublicConfig,
  type Transport,
  type TransportInternals,
} from './core/client.js';

export { Page, PagePromise, paginate, type FetchPage, type ListResponse } from './core/pagination.js';

export * from './key-format.js';
