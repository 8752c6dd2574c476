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

/** The base class of every error the SDK throws. */
export class TesseraError extends Error {
  /** `"TesseraError"`. */
  override name = 'TesseraError';
}

/** One field at fault in a 400 or 422. */
export interface ProblemFieldError {
  /** The field, as a dotted path (`rate_limit.burst`), `body`, or a header or query parameter name. */
  field: string;
  /** What is wrong, in a sentence. */
  message: string;
  /** What is wrong, as a code: `required`, `too_small`, `invalid_format`, … */
  code: string;
}

/** RFC 9457 problem details as Tessera sends them (`application/problem+json`). */
export interface ProblemDetails {
  /** Identifies the problem: `https://tessera.dev/problems/{code}`. */
  type?: string;
  /** A short summary. */
  title?: string;
  /** The HTTP status. */
  status?: number;
  /** What happened, for this occurrence. */
  detail?: string;
  /** A stable machine-readable code. */
  code?: string;
  /** The request id. */
  request_id?: string;
  /** The fields at fault (400, 422). */
  errors?: ProblemFieldError[];
  /** The scopes the operation needs (403). */
  required_scopes?: string[];
  /** Any other member. */
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

/** The server answered with an error status; carries the status, the problem `code`, the problem details, the headers and the request id. Subclassed per status. */
export class APIError extends TesseraError {
  /** `"APIError"`. */
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

/** 400: the request is malformed; `fieldErrors` lists each field at fault. */
export class BadRequestError extends APIError {
  /** `"BadRequestError"`. */
  override name = 'BadRequestError';
}
/** 401: the credential is missing, malformed, unknown, expired, revoked or disabled; `code` says which. */
export class AuthenticationError extends APIError {
  /** `"AuthenticationError"`. */
  override name = 'AuthenticationError';
}
/** 403: the credential is valid but lacks a scope or role for this. */
export class PermissionDeniedError extends APIError {
  /** `"PermissionDeniedError"`. */
  override name = 'PermissionDeniedError';
  /** Scopes the operation needs (`required_scopes` in the problem body). */
  get requiredScopes(): string[] {
    return Array.isArray(this.problem?.required_scopes) ? this.problem.required_scopes : [];
  }
}
/** 404: nothing with this id exists in the caller's workspace. */
export class NotFoundError extends APIError {
  /** `"NotFoundError"`. */
  override name = 'NotFoundError';
}
/** 409: the request conflicts with the current state (`key_revoked`, `last_admin`, …). Not retried, except `idempotency_request_in_flight`. */
export class ConflictError extends APIError {
  /** `"ConflictError"`. */
  override name = 'ConflictError';
}
/** 422: well-formed but against a rule of the workspace, or an `Idempotency-Key` reused with another body. */
export class UnprocessableEntityError extends APIError {
  /** `"UnprocessableEntityError"`. */
  override name = 'UnprocessableEntityError';
}
/** 429: the rate limit is spent; `retryAfter` and `rateLimit` say for how long. */
export class RateLimitError extends APIError {
  /** `"RateLimitError"`. */
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
/** 5xx: the server failed; nothing was changed. Quote the request id. */
export class InternalServerError extends APIError {
  /** `"InternalServerError"`. */
  override name = 'InternalServerError';
}

/** No response: the connection failed (after retries). */
export class APIConnectionError extends TesseraError {
  /** `"APIConnectionError"`. */
  override name = 'APIConnectionError';
  constructor(options: { message?: string; cause?: unknown } = {}) {
    super(options.message ?? 'Connection error: no response from the Tessera API.', { cause: options.cause });
  }
}

/** No response within the timeout (after retries). */
export class APIConnectionTimeoutError extends APIConnectionError {
  /** `"APIConnectionTimeoutError"`. */
  override name = 'APIConnectionTimeoutError';
  constructor(options: { message?: string; cause?: unknown } = {}) {
    super({ message: options.message ?? 'Request timed out.', cause: options.cause });
  }
}

/** The caller's `AbortSignal` fired. */
export class APIUserAbortError extends TesseraError {
  /** `"APIUserAbortError"`. */
  override name = 'APIUserAbortError';
  constructor(options: { message?: string; cause?: unknown } = {}) {
    super(options.message ?? 'Request was aborted.', { cause: options.cause });
  }
}
