import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status';
import type { Awaitable } from './awaitable.js';
import {
  INVALID_IDEMPOTENCY_KEY_CODE,
  InvalidIdempotencyKeyError,
  idempotencyFingerprint,
  idempotencyKeyProblem,
  type IdempotencyBeginResult,
  type IdempotencyStore,
} from './idempotency.js';
import type { ProblemFactory } from './problem.js';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** Set to `true` on a response that is a replay of a stored one. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
export const IDEMPOTENCY_KEY_REUSED_CODE = 'idempotency_key_reused';
export const IDEMPOTENCY_REQUEST_IN_FLIGHT_CODE = 'idempotency_request_in_flight';
export const IDEMPOTENCY_RESPONSE_UNAVAILABLE_CODE = 'idempotency_response_unavailable';

/**
 * Response headers worth replaying. Everything else is either per-response (`X-Request-Id`,
 * `Date`, rate-limit state, set by outer middleware on the replay itself) or recomputed by the
 * server (`Content-Length`).
 */
export const DEFAULT_REPLAYED_HEADERS: readonly string[] = ['content-type', 'location', 'content-language'];

/**
 * Client errors that are NOT stored, so that a retry with the same key runs the request again:
 * - 400, 413, 415, 422: the request was refused by validation before doing anything; the client
 *   is expected to fix it, and a fixed body under the same key must not then be a 422 "reused".
 * - 401, 403: credentials and permissions can change (a scope gets granted) and nothing happened.
 * - 408, 429: transient by definition; the retry is the whole point.
 */
export const UNSTORED_CLIENT_ERROR_STATUSES: ReadonlySet<number> = new Set([400, 401, 403, 408, 413, 415, 422, 429]);

/**
 * Default storage rule: store every final response below 500 except the client errors above.
 * 2xx (and any 3xx) are the side effects we promised to do once; other 4xx (404, 409, …) are
 * outcomes of a request that actually ran, and replaying them keeps retries consistent. 5xx are
 * never stored: the failure may be transient and the retry deserves a fresh attempt.
 */
export function isStorableIdempotentStatus(status: number): boolean {
  return status >= 200 && status < 500 && !UNSTORED_CLIENT_ERROR_STATUSES.has(status);
}

export interface IdempotencyMiddlewareOptions {
  store: IdempotencyStore;
  /**
   * The credential's identity (e.g. `key:<api key id>` or `member:<id>`), typically read from what
   * the auth middleware stored on the context. `undefined` = no idempotency for this request.
   */
  scopeOf: (c: Context) => Awaitable<string | undefined>;
  problem: ProblemFactory;
  /** Lower-case names of response headers stored and replayed. Default DEFAULT_REPLAYED_HEADERS. */
  replayHeaders?: readonly string[];
  /** Which statuses are stored. Default isStorableIdempotentStatus. */
  shouldStore?: (status: number) => boolean;
  /** Methods the header applies to. Default `['POST']`; other methods ignore the header. */
  methods?: readonly string[];
}

/** Statuses whose responses must not carry a body (the Response constructor rejects one). */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);

/**
 * Honours `Idempotency-Key` on POST. Mount it after authentication (it needs the scope) and after
 * any body-size limit (it reads the body), and before the route handlers.
 *
 * The body is read with `c.req.text()`, which Hono caches on the HonoRequest: the
 * validator and the handler's `c.req.json()` / `c.req.text()` are then served from that cache.
 * Handlers must therefore use the HonoRequest accessors, not `c.req.raw.json()`.
 */
export function idempotency(options: IdempotencyMiddlewareOptions): MiddlewareHandler {
  const { store, scopeOf, problem } = options;
  const replayHeaders = (options.replayHeaders ?? DEFAULT_REPLAYED_HEADERS).map((name) => name.toLowerCase());
  const shouldStore = options.shouldStore ?? isStorableIdempotentStatus;
  const methods = new Set((options.methods ?? ['POST']).map((method) => method.toUpperCase()));

  const invalidKey = (c: Context, detail: string) =>
    problem(c, { status: 400, code: INVALID_IDEMPOTENCY_KEY_CODE, title: 'Invalid idempotency key', detail });

  return async (c, next) => {
    if (!methods.has(c.req.method)) return next();
    const key = c.req.header(IDEMPOTENCY_KEY_HEADER);
    if (key === undefined) return next();
    const keyProblem = idempotencyKeyProblem(key);
    if (keyProblem !== undefined) return invalidKey(c, keyProblem);
    const scope = await scopeOf(c);
    if (scope === undefined) return next();

    const url = c.req.url;
    const fingerprint = idempotencyFingerprint({
      method: c.req.method,
      // The request's URL is already normalized; what follows the origin is its pathname and query.
      path: url.slice(url.indexOf('/', url.indexOf('//') + 2)),
      // Text, not bytes: Hono caches it, and its json() parses that cache directly, while a cached
      // ArrayBuffer is re-wrapped in a Response for every later read of the body.
      body: await c.req.text(),
    });

    let outcome: IdempotencyBeginResult;
    try {
      outcome = await store.begin(scope, key, fingerprint);
    } catch (error) {
      if (error instanceof InvalidIdempotencyKeyError) return invalidKey(c, error.message);
      throw error;
    }

    switch (outcome.kind) {
      case 'replay': {
        const { status, headers, body } = outcome.response;
        const replayed = { ...headers, [IDEMPOTENT_REPLAYED_HEADER]: 'true' };
        // c.body (not `new Response`) so headers prepared by outer middleware, such as the
        // request id, are kept on the replay.
        return NULL_BODY_STATUSES.has(status)
          ? c.body(null, status as StatusCode, replayed)
          : c.body(body, status as ContentfulStatusCode, replayed);
      }
      case 'mismatch':
        return problem(c, {
          status: 422,
          code: IDEMPOTENCY_KEY_REUSED_CODE,
          title: 'Idempotency key reused',
          detail:
            'This Idempotency-Key was already used for a different request (method, path or body). ' +
            'Use a new key for a new request.',
        });
      case 'in_flight':
        return problem(c, {
          status: 409,
          code: IDEMPOTENCY_REQUEST_IN_FLIGHT_CODE,
          title: 'Request with this idempotency key in progress',
          detail:
            'A request with this Idempotency-Key is still being processed. Retry after it has completed ' +
            'to receive its response.',
        });
      case 'withheld':
        // A 409 the SDK does not retry: retrying cannot bring the response back, and the request
        // must not run twice, so the client has to look its result up.
        return problem(c, {
          status: 409,
          code: IDEMPOTENCY_RESPONSE_UNAVAILABLE_CODE,
          title: 'The response for this idempotency key is no longer available',
          detail:
            `A request with this Idempotency-Key already completed (status ${outcome.status}), so it was not run again. ` +
            'Its response revealed a secret, which the server never writes to disk, and the server has restarted since. ' +
            'Look up the result instead of retrying under a new key, which would run the request again.',
        });
      case 'proceed':
        break;
    }

    // The text of a JSON answer is kept as the handler's `c.json` produced it, so storing it needs no
    // read of the response: its body is a stream to every reader, and with @hono/node-server reading
    // it also turns the adapter's lightweight response into a full undici Response. Any other answer
    // (c.body, a stream, a Response built by hand) is read back from the response below.
    const json = c.json;
    let answered: { response: Response; text: string } | undefined;
    c.json = ((object: unknown, ...rest: unknown[]) => {
      const response = (json as (...args: unknown[]) => Response)(object, ...rest);
      answered = { response, text: JSON.stringify(object) };
      return response;
    }) as typeof c.json;
    try {
      await next();
    } catch (error) {
      // Reached only when the app's error handler rethrows; nothing trustworthy to store.
      await store.abandon(scope, key);
      throw error;
    } finally {
      c.json = json;
    }

    const response = c.res;
    if (!shouldStore(response.status)) {
      await store.abandon(scope, key);
      return;
    }
    let body: string;
    if (answered?.response === response) {
      body = answered.text;
    } else {
      try {
        // Read once, then answer with a new Response made of the same text: cheaper than clone(),
        // which tees the stream, and a string body is what @hono/node-server writes out directly.
        body = await response.text();
        const answer = new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
        // Unset first: assigning over a response makes Hono wrap the new one in yet another
        // Response (reading its body as a stream) to copy the old one's headers, which `answer` has.
        c.res = undefined;
        c.res = answer;
      } catch (error) {
        await store.abandon(scope, key);
        throw error;
      }
    }
    const headers: Record<string, string> = {};
    for (const name of replayHeaders) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    await store.complete(scope, key, { status: response.status, headers, body });
  };
}
