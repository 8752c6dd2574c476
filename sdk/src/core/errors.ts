/**
 * Error classes. Every error the SDK throws is a `TesseraError`:
 *
 *   TesseraError
 *   ├── APIError                    the server answered with an error status (RFC 9457 problem details)
 *   │   ├── BadRequestError             400
 *   │   ├── AuthenticationError         401
 *   │   ├── PermissionDeniedError       403
 *   │   ├── NotFoundError               404
 *   │   ├── ConflictError               409
 *   │   ├── UnprocessableEntityError    422
 *   │   ├── RateLimitError              429
 *   │   └── InternalServerError         5xx
 *   ├── APIConnectionError          no response: network failure
 *   │   └── APIConnectionTimeoutError   no response within the timeout
 *   └── APIUserAbortError           the caller's AbortSignal fired
 *
 * Unlike the Stainless SDKs, connection errors are not `APIError`s: an `APIError` always has a real
 * HTTP `status`, so `err.status` needs no undefined check.
 */
import { parseRateLimit, parseRetryAfter, type RateLimitState } from './headers.js';

export class TesseraError extends Error {
  override name = 'TesseraError';
}

export interface ProblemFieldError {
  field: string;
  message: string;
  code: string;
}

/** RFC 9457 problem details as Tessera sends them (`application/problem+json`). */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  request_id?: string;
  errors?: ProblemFieldError[];
  required_scopes?: string[];
  [extension: string]: unknown;
}

// Anything shaped like an API key or a personal access token, even partial, is cut to its display prefix
// before it can reach a message: a server or proxy that echoes a credential must not leak it into logs.
const API_KEY_LIKE = /[a-z][a-z0-9]{1,15}_(?:live|test)_[0-9A-Za-z]{4,}/g;
const PAT_LIKE = /tpat_[0-9A-Za-z]{4,}/g;

/** Replaces key-shaped substrings with their first 12 characters followed by `…`. */
export function redactSecrets(text: string): string {
  return text.replace(API_KEY_LIKE, (m) => `${m.slice(0, 12)}…`).replace(PAT_LIKE, 'tpat_…');
}

function isProblem(body: unknown): body is ProblemDetails {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

function buildMessage(status: number, problem: ProblemDetails | undefined, text: string | undefined, requestId: string | undefined): string {
  let message = String(status);
  if (problem?.code) message += ` ${problem.code}`;
  const explanation = problem?.detail || problem?.title || text?.slice(0, 500);
  message += explanation ? `: ${explanation}` : ': (no error details in the response body)';
  if (problem?.errors?.length) {
    message += ` [${problem.errors.map((e) => `${e.field}: ${e.message}${e.code ? ` (${e.code})` : ''}`).join('; ')}]`;
  }
  if (problem?.required_scopes?.length) message += ` [required scopes: ${problem.required_scopes.join(', ')}]`;
  if (requestId) message += ` (request id: ${requestId})`;
  return redactSecrets(message);
}

export class APIError extends TesseraError {
  override name = 'APIError';
  /** HTTP status code. */
  readonly status: number;
  /** Stable machine-readable error code from the problem body (`rate_limited`, `key_revoked`, …). */
  readonly code: string | undefined;
  /** The parsed problem details, when the body was JSON. */
  readonly problem: ProblemDetails | undefined;
  /** Response headers. */
  readonly headers: Headers;
  /** `X-Request-Id` (or the body's `request_id`): quote it when contacting support. */
  readonly requestId: string | undefined;
  /** Per-field validation errors (400/422), empty when none. */
  readonly fieldErrors: ProblemFieldError[];

  /**
   * @param body the parsed problem object, or the raw text when the body was not JSON
   */
  constructor(status: number, body: unknown, headers: Headers) {
    const problem = isProblem(body) ? body : undefined;
    const text = typeof body === 'string' ? body : undefined;
    const requestId = headers.get('x-request-id') ?? (typeof problem?.request_id === 'string' ? problem.request_id : undefined);
    super(buildMessage(status, problem, text, requestId));
    this.status = status;
    this.code = typeof problem?.code === 'string' ? problem.code : undefined;
    this.problem = problem;
    this.headers = headers;
    this.requestId = requestId;
    this.fieldErrors = Array.isArray(problem?.errors) ? problem.errors : [];
  }

  /**
   * Builds the error class matching `response.status`. `body` is the already-parsed body (openapi-fetch's
   * `error`): a problem object, or text. Without it, the error carries only the status and headers; use
   * `fromResponse` to read the body from an unread response.
   */
  static from(response: Response, body?: unknown): APIError {
    const { status, headers } = response;
    switch (status) {
      case 400:
        return new BadRequestError(status, body, headers);
      case 401:
        return new AuthenticationError(status, body, headers);
      case 403:
        return new PermissionDeniedError(status, body, headers);
      case 404:
        return new NotFoundError(status, body, headers);
      case 409:
        return new ConflictError(status, body, headers);
      case 422:
        return new UnprocessableEntityError(status, body, headers);
      case 429:
        return new RateLimitError(status, body, headers);
      default:
        return status >= 500 ? new InternalServerError(status, body, headers) : new APIError(status, body, headers);
    }
  }

  /** Reads the (unread) body of an error response and builds the matching error class. */
  static async fromResponse(response: Response): Promise<APIError> {
    let body: unknown;
    try {
      const text = await response.text();
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
    } catch {
      body = undefined; // the body could not be read (connection dropped); status and headers still tell a lot
    }
    return APIError.from(response, body);
  }
}

export class BadRequestError extends APIError {
  override name = 'BadRequestError';
}
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
}
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError';
  /** Scopes the operation needs (`required_scopes` in the problem body). */
  get requiredScopes(): string[] {
    return Array.isArray(this.problem?.required_scopes) ? this.problem.required_scopes : [];
  }
}
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
}
export class ConflictError extends APIError {
  override name = 'ConflictError';
}
export class UnprocessableEntityError extends APIError {
  override name = 'UnprocessableEntityError';
}
export class RateLimitError extends APIError {
  override name = 'RateLimitError';
  /** Seconds the server asked to wait (`Retry-After`), or `null` when it did not say. */
  readonly retryAfter: number | null;
  /** The `X-RateLimit-*` / `RateLimit*` header state, or `null` when absent. */
  readonly rateLimit: RateLimitState | null;
  constructor(status: number, body: unknown, headers: Headers) {
    super(status, body, headers);
    const ms = parseRetryAfter(headers.get('retry-after'));
    this.retryAfter = ms === null ? null : Math.ceil(ms / 1000);
    this.rateLimit = parseRateLimit(headers);
  }
}
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
}

export class APIConnectionError extends TesseraError {
  override name = 'APIConnectionError';
  constructor(options: { message?: string; cause?: unknown } = {}) {
    super(options.message ?? 'Connection error: no response from the Tessera API.', { cause: options.cause });
  }
}

export class APIConnectionTimeoutError extends APIConnectionError {
  override name = 'APIConnectionTimeoutError';
  constructor(options: { message?: string; cause?: unknown } = {}) {
    super({ message: options.message ?? 'Request timed out.', cause: options.cause });
  }
}

export class APIUserAbortError extends TesseraError {
  override name = 'APIUserAbortError';
  constructor(options: { message?: string; cause?: unknown } = {}) {
    super(options.message ?? 'Request was aborted.', { cause: options.cause });
  }
}
