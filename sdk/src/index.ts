/**
 * `@tessera/sdk`: the typed client for the Tessera API-key management API.
 *
 * ```ts
 * import { Tessera } from '@tessera/sdk';
 * const tessera = new Tessera(); // TESSERA_API_KEY, TESSERA_BASE_URL, TESSERA_WORKSPACE_ID
 * const { key } = await tessera.apiKeys.create({ name: 'CI/CD Pipeline', scopes: ['workflows.execute'] });
 * ```
 *
 * Also: error classes, the retrying transport, pagination, the offline key-format check, and
 * `withTesseraAuth` to protect any Fetch-API handler. The Hono middleware is in `@tessera/sdk/hono`.
 *
 * @module
 */
export { VERSION } from './version.js';

export { Tessera } from './client.js';
export { APIPromise, APIResource, type RequestOptions, type ResourceContext, type WithResponse, type WorkspaceRequestOptions } from './resources/shared.js';
export { ApiKeys } from './resources/api-keys.js';
export { Keys } from './resources/keys.js';
export { Workspaces } from './resources/workspaces.js';
export { Members } from './resources/members.js';
export { Roles } from './resources/roles.js';
export { Scopes } from './resources/scopes.js';
export { AuditLogs, AUDIT_EXPORT_MEDIA_TYPES } from './resources/audit-logs.js';
export { Metrics } from './resources/metrics.js';
export { AlertSubscriptions } from './resources/alert-subscriptions.js';
export type * from './types.js';

export {
  authenticateRequest,
  bearerToken,
  rateLimitHeadersOf,
  withHeaders,
  withTesseraAuth,
  type AuthenticatedRequest,
  type KeyVerifier,
  type TesseraAuthBaseOptions,
  type TesseraAuthContext,
  type TesseraAuthOutcome,
  type WithTesseraAuthOptions,
} from './fetch-auth.js';

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
  IDEMPOTENCY_IN_FLIGHT_CODE,
  INITIAL_RETRY_DELAY_MS,
  MAX_BACKOFF_DELAY_MS,
  backoffDelay,
  decideRetry,
  defaultSleep,
  isRetryableStatus,
  serverRequestedDelay,
  type DelaySource,
  type NoRetry,
  type RetryAfterDelay,
  type ServerRequestedDelay,
  type RandomSource,
  type RetryContext,
  type RetryDecision,
  type Sleep,
} from './core/retry.js';

export {
  IDEMPOTENCY_KEY_HEADER,
  PreparedRequest,
  RETRY_COUNT_HEADER,
  createRetryingFetch,
  generateIdempotencyKey,
  type RetryingFetch,
  type RetryingFetchOptions,
  type TesseraRequestOptions,
} from './core/transport.js';

export {
  CLIENT_HEADER,
  createTransport,
  dataOrThrow,
  dataWithResponse,
  type DataOf,
  type DataWithResponse,
  type FetchResultLike,
  type PublicConfig,
  type Transport,
  type TransportInternals,
  type TypedClientOptions,
} from './core/client.js';

export { Page, PagePromise, paginate, type FetchPage, type ListResponse } from './core/pagination.js';

export * from './key-format.js';
