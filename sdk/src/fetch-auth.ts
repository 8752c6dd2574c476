/**
 * Protecting your own API with Tessera keys, for any Fetch-API handler (`(Request) => Response`): Deno.serve,
 * Bun.serve, Cloudflare Workers, Next.js route handlers, … The Hono middleware (`@tessera/sdk/hono`) is built
 * on the same logic.
 *
 * The incoming `Authorization: Bearer <key>` is verified with `tessera.keys.verify` against the required
 * scopes; refusals are answered as `application/problem+json` with the key's rate-limit headers.
 */
import { Tessera } from './client.js';
import { APIConnectionError, APIError, TesseraError } from './core/errors.js';
import type { RequestOptions } from './resources/shared.js';
import type { VerifiedKey, VerifiedRateLimit, VerifyCode, VerifyKeyParams, VerifyKeyResult } from './types.js';

/** Anything with `keys.verify`, such as a {@link Tessera} client (or a stub in tests). */
export interface KeyVerifier {
  /** The verification resource. */
  keys: {
    /** Verifies a key against required scopes. */
    verify(body: VerifyKeyParams, options?: RequestOptions): PromiseLike<VerifyKeyResult>;
  };
}

/** Options shared by {@link withTesseraAuth} and the Hono `tesseraAuth` middleware. */
export interface TesseraAuthBaseOptions {
  /**
   * The client that verifies keys; its credential needs the `keys.verify` scope. Default: a `new Tessera()`
   * configured from the environment (`TESSERA_API_KEY`, `TESSERA_BASE_URL`), created on the first request.
   */
  client?: KeyVerifier | undefined;
  /** Per-request options of the verify call, e.g. a short `timeout` or `maxRetries: 0`. */
  verifyOptions?: RequestOptions | undefined;
  /** The realm in `WWW-Authenticate` challenges. Default `"api"`. */
  realm?: string | undefined;
  /**
   * Called when verification itself failed (Tessera unreachable, misconfigured credential), before the
   * request is refused with 503 or 500. Use it to log. Never receives the incoming key.
   */
  onVerifyError?: ((error: unknown) => void) | undefined;
}

/** Options of {@link withTesseraAuth}. */
export interface WithTesseraAuthOptions extends TesseraAuthBaseOptions {
  /** Scopes every request needs (all of them), or a function choosing them per request. Default: none. */
  requiredScopes?: readonly string[] | ((request: Request) => readonly string[] | Promise<readonly string[]>) | undefined;
}

/** What a protected handler learns about the caller. */
export interface TesseraAuthContext {
  /** The verified key: id, name, environment, effective scopes, metadata, creator. */
  key: VerifiedKey;
  /** The full verdict, including the key's rate-limit state. */
  verification: VerifyKeyResult;
}

/** The request a handler wrapped by {@link withTesseraAuth} receives: the original, with `tessera` attached. */
export type AuthenticatedRequest = Request & {
  /** The verified key and verdict. */
  readonly tessera: TesseraAuthContext;
};

/** The outcome of {@link authenticateRequest}. */
export type TesseraAuthOutcome =
  | {
      /** The key is valid for the required scopes. */
      ok: true;
      /** The verified key. */
      key: VerifiedKey;
      /** The full verdict. */
      verification: VerifyKeyResult;
      /** Rate-limit headers to add to the response. */
      headers: Headers;
    }
  | {
      /** The request is refused. */
      ok: false;
      /** The refusal to send: 401, 403, 429 (or 500/503 when verification failed), as problem+json. */
      response: Response;
    };

interface Refusal {
  status: number;
  code: string;
  title: string;
  detail: string;
}

/** How each verify reason is answered. The codes are Tessera's own 401/403/429 problem codes. */
const REFUSALS: Readonly<Record<Exclude<VerifyCode, 'valid'> | 'missing', Readonly<Refusal>>> = Object.freeze({
  missing: { status: 401, code: 'missing_credentials', title: 'Missing API key', detail: 'Send an API key as `Authorization: Bearer <key>`.' },
  malformed: { status: 401, code: 'malformed_credentials', title: 'Malformed API key', detail: 'The credential is not a well-formed API key.' },
  not_found: { status: 401, code: 'invalid_credentials', title: 'Unknown API key', detail: 'No such API key.' },
  expired: { status: 401, code: 'key_expired', title: 'API key expired', detail: 'This API key has expired.' },
  revoked: { status: 401, code: 'key_revoked', title: 'API key revoked', detail: 'This API key was revoked.' },
  disabled: { status: 401, code: 'key_disabled', title: 'API key disabled', detail: 'This API key is disabled.' },
  insufficient_scope: { status: 403, code: 'insufficient_scope', title: 'Insufficient scope', detail: 'This API key lacks a scope this request needs.' },
  rate_limited: { status: 429, code: 'rate_limited', title: 'Rate limit exceeded', detail: 'This API key made too many requests; retry after Retry-After seconds.' },
});

const RFC6750_ERRORS: Partial<Record<string, string>> = { insufficient_scope: 'insufficient_scope' };

/** The `X-RateLimit-*`, `RateLimit-Policy` / `RateLimit` (and, when limited, `Retry-After`) headers of a rate-limit state. */
export function rateLimitHeadersOf(state: VerifiedRateLimit | null | undefined, now: number = Date.now()): Headers {
  const headers = new Headers();
  if (!state) return headers;
  const resetIn = Math.max(0, Math.ceil(state.reset - now / 1000));
  headers.set('X-RateLimit-Limit', String(state.limit));
  headers.set('X-RateLimit-Remaining', String(state.remaining));
  headers.set('X-RateLimit-Reset', String(state.reset));
  headers.set('RateLimit-Policy', `"default";q=${state.limit};w=60;tessera-burst=${state.burst}`);
  headers.set('RateLimit', `"default";r=${state.remaining};t=${resetIn}`);
  if (state.retry_after !== undefined) headers.set('Retry-After', String(Math.max(1, Math.ceil(state.retry_after))));
  return headers;
}

function problem(refusal: Refusal, extra: Record<string, unknown>, headers: Headers): Response {
  headers.set('Content-Type', 'application/problem+json');
  headers.set('Cache-Control', 'no-store');
  const body = { type: `https://tessera.dev/problems/${refusal.code}`, title: refusal.title, status: refusal.status, detail: refusal.detail, code: refusal.code, ...extra };
  return new Response(JSON.stringify(body), { status: refusal.status, headers });
}

function refuse(reason: keyof typeof REFUSALS, realm: string, extra: Record<string, unknown> = {}, headers = new Headers()): Response {
  const refusal = REFUSALS[reason];
  if (refusal.status === 401 || refusal.status === 403) {
    const error = refusal.status === 401 ? (reason === 'missing' ? undefined : 'invalid_token') : RFC6750_ERRORS[refusal.code];
    headers.set('WWW-Authenticate', `Bearer realm="${realm}"${error ? `, error="${error}"` : ''}`);
  }
  return problem(refusal, reason === 'missing' ? extra : { reason, ...extra }, headers);
}

/** The bearer token of an `Authorization` header: `undefined` when absent, `null` when present but not a bearer token. */
export function bearerToken(authorization: string | null | undefined): string | null | undefined {
  if (authorization === null || authorization === undefined || authorization.trim() === '') return undefined;
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match ? match[1]! : null;
}

// What the verify endpoint accepts as `key`: printable ASCII, at most 256 characters. Anything else is
// refused here as malformed instead of as a validation error of our own call.
const PLAUSIBLE_TOKEN = /^[\x21-\x7E]{1,256}$/;

let defaultClient: Tessera | undefined;

function verifierOf(options: TesseraAuthBaseOptions): KeyVerifier {
  if (options.client) return options.client;
  defaultClient ??= new Tessera();
  return defaultClient;
}

/**
 * Verifies the bearer key of `request` against `requiredScopes`: the building block of {@link withTesseraAuth}
 * and the Hono middleware, for frameworks of your own. Never throws for a bad key; refusals come back as a
 * ready `Response`.
 */
export async function authenticateRequest(
  request: Request,
  requiredScopes: readonly string[],
  options: TesseraAuthBaseOptions = {},
): Promise<TesseraAuthOutcome> {
  const realm = options.realm ?? 'api';
  const token = bearerToken(request.headers.get('authorization'));
  if (token === undefined) return { ok: false, response: refuse('missing', realm) };
  if (token === null || !PLAUSIBLE_TOKEN.test(token)) return { ok: false, response: refuse('malformed', realm) };

  let verification: VerifyKeyResult;
  try {
    const body: VerifyKeyParams = { key: token };
    if (requiredScopes.length > 0) body.required_scopes = [...requiredScopes];
    verification = await verifierOf(options).keys.verify(body, options.verifyOptions);
  } catch (error) {
    options.onVerifyError?.(error);
    return { ok: false, response: verificationFailed(error) };
  }

  const headers = rateLimitHeadersOf(verification.rate_limit);
  if (verification.valid && verification.code === 'valid' && verification.key) {
    headers.delete('Retry-After');
    return { ok: true, key: verification.key, verification, headers };
  }
  const reason = verification.code === 'valid' ? 'not_found' : verification.code;
  const extra: Record<string, unknown> = {};
  if (reason === 'insufficient_scope') {
    extra.required_scopes = [...requiredScopes];
    extra.missing_scopes = verification.missing_scopes;
  }
  if (reason === 'rate_limited') {
    if (!headers.has('Retry-After')) headers.set('Retry-After', String(Math.max(1, Math.ceil((verification.rate_limit?.reset ?? 0) - Date.now() / 1000))));
    extra.retry_after = Number(headers.get('Retry-After'));
  }
  if (reason !== 'rate_limited') headers.delete('Retry-After');
  return { ok: false, response: refuse(reason, realm, extra, headers) };
}

/** Tessera unreachable or overloaded: 503 (try again later). Our own credential or request refused: 500. */
function verificationFailed(error: unknown): Response {
  const unavailable = error instanceof APIConnectionError || (error instanceof APIError && (error.status === 429 || error.status >= 500));
  const headers = new Headers();
  if (unavailable) {
    const retryAfter = error instanceof APIError ? error.headers.get('retry-after') : null;
    if (retryAfter) headers.set('Retry-After', retryAfter);
    return problem(
      { status: 503, code: 'verification_unavailable', title: 'Key verification unavailable', detail: 'The API key could not be verified right now; retry later.' },
      {},
      headers,
    );
  }
  const detail = error instanceof TesseraError ? 'The API key could not be verified (the server is misconfigured).' : 'The API key could not be verified.';
  return problem({ status: 500, code: 'verification_failed', title: 'Key verification failed', detail }, {}, headers);
}

/** Adds `headers` to a response, copying it first when its headers are immutable (a `fetch()` response, `Response.error()`). */
export function withHeaders(response: Response, headers: Headers): Response {
  if ([...headers.keys()].length === 0) return response;
  try {
    for (const [name, value] of headers) response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    for (const [name, value] of headers) copy.headers.set(name, value);
    return copy;
  }
}

/**
 * Wraps a Fetch-API handler so that it runs only for requests with a valid Tessera key holding
 * `requiredScopes`. The handler gets the same arguments, with the verified key on `request.tessera.key`;
 * its response gets the key's rate-limit headers. Refusals: 401 (missing, malformed, unknown, expired,
 * revoked, disabled key, each with its `code`), 403 `insufficient_scope`, 429 `rate_limited` with
 * `Retry-After`, all as `application/problem+json`.
 *
 * ```ts
 * const handler = withTesseraAuth(
 *   (request) => Response.json({ hello: request.tessera.key.name }),
 *   { requiredScopes: ['workflows.execute'] },
 * );
 * Deno.serve(handler);
 * ```
 */
export function withTesseraAuth<Args extends unknown[]>(
  handler: (request: AuthenticatedRequest, ...args: Args) => Response | Promise<Response>,
  options: WithTesseraAuthOptions = {},
): (request: Request, ...args: Args) => Promise<Response> {
  return async (request, ...args) => {
    const required = typeof options.requiredScopes === 'function' ? await options.requiredScopes(request) : (options.requiredScopes ?? []);
    const outcome = await authenticateRequest(request, required, options);
    if (!outcome.ok) return outcome.response;
    const context: TesseraAuthContext = { key: outcome.key, verification: outcome.verification };
    Object.defineProperty(request, 'tessera', { value: context, configurable: true, enumerable: false, writable: false });
    const response = await handler(request as AuthenticatedRequest, ...args);
    return withHeaders(response, outcome.headers);
  };
}
