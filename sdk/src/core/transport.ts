/**
 * A `fetch` with retries, timeouts and idempotency keys, handed to openapi-fetch as its `fetch`.
 *
 * It runs below openapi-fetch's middleware chain: middleware (logging, say) runs once per call, and each attempt
 * here re-sends the request exactly as the middleware left it: same body, same headers, same Idempotency-Key.
 *
 * Every call of a protected API's `keys.verify` comes through here, so a call costs little more than a bare
 * `fetch(url, init)` and one AbortController and timer per attempt:
 * - The typed client gives this fetch a {@link PreparedRequest} (the URL and init openapi-fetch computed), not
 *   a `Request`, and each attempt passes that URL and init to the global fetch. A `Request` costs a body stream
 *   to build, and undici pipes the body of a `Request` it is handed through a TransformStream; together that
 *   was more than everything else the SDK does per call.
 * - The body is re-sent as given (a JSON string, usually), so nothing is buffered; only a stream body, or the
 *   body of a real `Request` (from middleware, or a direct call), is read once into memory.
 * - One `Headers` per call, edited in place before each attempt (fetch copies it as the attempt starts).
 *
 * A custom `fetch` option still receives a `Request` per attempt, as {@link FetchLike} promises.
 *
 * Per-request options: pass `timeout`, `maxRetries` (and the standard `signal`) in openapi-fetch's options,
 * e.g. `client.GET('/v1/me', { timeout: 5_000, maxRetries: 0, signal })`. They reach this wrapper in the init
 * of the prepared request, or, for a real `Request`, as properties openapi-fetch copies onto it. A middleware
 * that *replaces* the Request (rather than editing its headers) drops them, and the client-wide values apply.
 * A caller's signal stays linked to the answered attempt so that it can abort the read of the body; the typed
 * client unlinks it when the call is over (see {@link CallerSignalLink}). A direct call of this fetch with a signal
 * leaves the link until the signal is collected.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError, TesseraError } from './errors.js';
import type { FetchLike } from './config.js';
import { decideRetry, defaultSleep, type RandomSource, type Sleep } from './retry.js';

/** The header telling the server how many retries preceded this attempt (`0` on the first). */
export const RETRY_COUNT_HEADER = 'X-Tessera-Retry-Count';
/** The header carrying a `POST`'s idempotency key. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** The init member (of a {@link PreparedRequest}) through which a call learns how to unlink the caller's signal. */
export const CALLER_SIGNAL_LINK = Symbol('tessera.callerSignalLink');

/**
 * Filled in by the retrying fetch when it answers while the caller's signal is still linked to the attempt (so
 * that the signal can abort the read of the body): `unlink` stops it, once the call is over. Without it, a
 * long-lived signal (one shared by every call) would gather one listener per call without end.
 */
export interface CallerSignalLink {
  /** Removes the caller's signal's listener from the answered attempt. */
  unlink?: () => void;
}

/** Per-request overrides of the client-wide settings. */
export interface TesseraRequestOptions {
  /** Per-attempt timeout in ms, until the response headers arrive. */
  timeout?: number | undefined;
  /** Retries after the first attempt. */
  maxRetries?: number | undefined;
  /** @internal Given by the typed client, for a call with a signal. */
  [CALLER_SIGNAL_LINK]?: CallerSignalLink | undefined;
}

/**
 * What the typed client builds for a call in place of a `Request` (openapi-fetch's `Request` option): the URL
 * and init openapi-fetch computed, which the retrying fetch sends as they are. It has the one member openapi-fetch
 * reads back (`method`); middleware never sees one: a call that middleware or its own `fetch` will see builds real
 * `Request`s instead (see client.ts), since those may use any of their API.
 */
export class PreparedRequest {
  /** The absolute URL. */
  readonly url: string;
  /** The method, upper-case. */
  readonly method: string;
  /** The headers every attempt sends; openapi-fetch builds a fresh `Headers` per call, so it is used as is. */
  readonly headers: Headers;
  /** The rest of the init: body, signal, the per-request options, and any other `RequestInit` member. */
  readonly init: RequestInit & TesseraRequestOptions;

  /** Same parameters as `new Request(url, init)`. */
  constructor(url: string, init: RequestInit & TesseraRequestOptions = {}) {
    this.url = url;
    this.method = (init.method ?? 'GET').toUpperCase();
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.init = init;
  }
}

/** A `fetch` that retries; accepts the per-request `timeout` and `maxRetries` in its init. */
export type RetryingFetch = (input: PreparedRequest | Request | URL | string, init?: RequestInit & TesseraRequestOptions) => Promise<Response>;

/** Options of {@link createRetryingFetch}. */
export interface RetryingFetchOptions {
  /** The fetch each attempt uses, given a `Request`. Default: the global `fetch`, looked up at each attempt (so interceptors installed later apply). */
  fetch?: FetchLike | undefined;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Longest server-requested wait (ms) that is honoured; longer means the error is returned without retrying. */
  maxRetryDelay: number;
  /** Per-attempt timeout, ms. */
  timeout: number;
  /** How to wait between attempts. Default: `setTimeout`. */
  sleep?: Sleep | undefined;
  /** The jitter source. Default `Math.random`. */
  random?: RandomSource | undefined;
  /** The clock, ms. Default `Date.now`. */
  now?: (() => number) | undefined;
  /** Makes the Idempotency-Key for a POST that has none. Default `tessera-retry-<uuid v4>`. */
  idempotencyKey?: (() => string) | undefined;
}

function uuidV4(): string {
  const webCrypto = (globalThis as { crypto?: Crypto }).crypto;
  // randomUUID exists only in secure contexts in browsers; getRandomValues exists everywhere Web Crypto does.
  if (typeof webCrypto?.randomUUID === 'function') return webCrypto.randomUUID();
  if (typeof webCrypto?.getRandomValues !== 'function') {
    throw new TesseraError('Generating an Idempotency-Key needs Web Crypto (globalThis.crypto), which this runtime lacks.');
  }
  const b = webCrypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A fresh idempotency key, `tessera-retry-<uuid v4>`. */
export function generateIdempotencyKey(): string {
  return `tessera-retry-${uuidV4()}`;
}

/** One call, ready to be sent as many times as its retries need. */
interface Call {
  url: string;
  method: string;
  /** Owned by this call: each attempt sets its retry count here. */
  headers: Headers;
  /** Re-sendable as is on every attempt. */
  body: BodyInit | undefined;
  /** The other `RequestInit` members (redirect, credentials, …) and the per-request options. */
  init: RequestInit & TesseraRequestOptions;
  /** The caller's signal, if any. */
  signal: AbortSignal | undefined;
}

/** The `RequestInit` members of a `Request` worth carrying over to the attempts (body, headers and signal are handled apart). */
const REQUEST_MEMBERS = ['method', 'redirect', 'credentials', 'cache', 'integrity', 'keepalive', 'referrerPolicy'] as const;

async function prepareCall(input: PreparedRequest | Request | URL | string, init: (RequestInit & TesseraRequestOptions) | undefined): Promise<Call> {
  if (input instanceof PreparedRequest) return callFromInit(input.url, input.method, input.headers, input.init);
  if (!(input instanceof Request)) return callFromInit(String(input), (init?.method ?? 'GET').toUpperCase(), new Headers(init?.headers), init ?? {});
  const request = init === undefined ? input : new Request(input, init);
  const members: RequestInit & TesseraRequestOptions = {};
  for (const name of REQUEST_MEMBERS) (members as Record<string, unknown>)[name] = request[name];
  // openapi-fetch copies the per-request options onto the Request it builds.
  members.timeout = init?.timeout ?? (input as Request & TesseraRequestOptions).timeout;
  members.maxRetries = init?.maxRetries ?? (input as Request & TesseraRequestOptions).maxRetries;
  return {
    url: request.url,
    method: request.method.toUpperCase(),
    headers: new Headers(request.headers),
    // A Request's body is a stream, readable once: buffered so that every attempt sends these exact bytes.
    body: request.body === null ? undefined : await request.arrayBuffer(),
    init: members,
    signal: request.signal,
  };
}

async function callFromInit(url: string, method: string, headers: Headers, init: RequestInit & TesseraRequestOptions): Promise<Call> {
  // A stream can be read only once; anything else (string, bytes, Blob, FormData, URLSearchParams) is re-sendable.
  const body = init.body instanceof ReadableStream ? await new Response(init.body).arrayBuffer() : (init.body ?? undefined);
  return { url, method, headers, body, init, signal: init.signal ?? undefined };
}

function checkedOption(value: number | null | undefined, fallback: number, valid: (n: number) => boolean, message: string): number {
  const resolved = value ?? fallback;
  if (!valid(resolved)) throw new TesseraError(`${message}, got ${resolved}.`);
  return resolved;
}

/**
 * Releases a response we will not read, so its connection returns to the pool. Not awaited: freeing the
 * connection needs only the cancel signal, and some stream implementations (MSW's mocked bodies, for one)
 * never settle the promise `cancel()` returns.
 */
function discardBody(response: Response): void {
  try {
    response.body?.cancel().catch(() => {});
  } catch {
    // A locked or already-consumed body: nothing to free.
  }
}


/** The global fetch at call time, called with the URL and init (see the module description). */
function globalFetch(url: string, init: RequestInit): Promise<Response> {
  const fetch = (globalThis as { fetch?: typeof globalThis.fetch }).fetch;
  if (!fetch) throw new TesseraError('No fetch implementation: this runtime has no global `fetch`; pass the `fetch` option.');
  return fetch(url, init);
}

/** Wraps the global fetch (or `options.fetch`) with retries, per-attempt timeouts, abort handling and idempotency keys (see the module description). */
export function createRetryingFetch(options: RetryingFetchOptions): RetryingFetch {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const makeIdempotencyKey = options.idempotencyKey ?? generateIdempotencyKey;
  const custom = options.fetch;
  const send = custom ? (url: string, init: RequestInit) => custom(new Request(url, init)) : globalFetch;

  return async function retryingFetch(input, init) {
    const call = await prepareCall(input, init);
    const { url, method, headers, body, signal } = call;
    const maxRetries = checkedOption(call.init.maxRetries, options.maxRetries, (n) => Number.isInteger(n) && n >= 0, 'maxRetries must be a non-negative integer');
    const timeout = checkedOption(call.init.timeout, options.timeout, (n) => Number.isFinite(n) && n > 0, 'timeout must be a positive number of milliseconds');
    if (signal?.aborted) throw new APIUserAbortError({ cause: signal.reason });

    // Same key on every attempt of this call, so the server applies a retried POST at most once.
    if (method === 'POST' && !headers.has(IDEMPOTENCY_KEY_HEADER)) headers.set(IDEMPOTENCY_KEY_HEADER, makeIdempotencyKey());

    for (let retryIndex = 0; ; retryIndex++) {
      if (signal?.aborted) throw new APIUserAbortError({ cause: signal.reason });
      headers.set(RETRY_COUNT_HEADER, String(retryIndex));

      // The attempt settles as soon as its signal aborts, even if the fetch ignores signals (a custom one may).
      const controller = new AbortController();
      let abortAttempt!: (reason: unknown) => void;
      const attempt = new Promise<Response>((resolve, reject) => {
        abortAttempt = (reason) => {
          controller.abort(reason);
          reject(reason);
        };
        send(url, { ...call.init, headers, body, signal: controller.signal }).then(resolve, reject);
      });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        abortAttempt(new APIConnectionTimeoutError());
      }, timeout);
      // As an APIUserAbortError: that is what a read of the body, once the headers are in, then fails with.
      const forwardUserAbort = () => abortAttempt(new APIUserAbortError({ cause: signal!.reason }));
      signal?.addEventListener('abort', forwardUserAbort, { once: true });

      let response: Response;
      try {
        response = await attempt;
      } catch (error) {
        clearTimeout(timer);
        signal?.removeEventListener('abort', forwardUserAbort);
        if (signal?.aborted) throw error instanceof APIUserAbortError ? error : new APIUserAbortError({ cause: error });
        // Our own errors (no fetch available, …) are not network failures: retrying cannot help.
        if (!timedOut && error instanceof TesseraError) throw error;
        const decision = decideRetry({ retryIndex, maxRetries, maxRetryDelay: options.maxRetryDelay, now: now(), random: options.random });
        if (!decision.retry) {
          const where = `${method} ${url}`;
          if (timedOut) throw new APIConnectionTimeoutError({ message: `Request timed out after ${timeout} ms: ${where}.`, cause: error });
          const reason = error instanceof Error ? ` (${error.message})` : '';
          throw new APIConnectionError({ message: `Connection error: ${where}${reason}.`, cause: error });
        }
        await sleepUnlessAborted(sleep, decision.delayMs, signal);
        continue;
      }
      // The timeout covers waiting for the response headers; reading the body is left to the caller, who can
      // still abort it with their signal (kept linked to this attempt's controller until the call is over).
      clearTimeout(timer);

      // A 409 is retried only for an idempotent request still in flight: its problem `code` decides. The body
      // is read from a clone, so the caller still gets the response unread.
      const code = response.status === 409 && retryIndex < maxRetries ? await problemCodeOf(response) : undefined;
      const decision = decideRetry({
        status: response.status,
        headers: response.headers,
        code,
        retryIndex,
        maxRetries,
        maxRetryDelay: options.maxRetryDelay,
        now: now(),
        random: options.random,
      });
      if (!decision.retry) {
        const link = call.init[CALLER_SIGNAL_LINK];
        if (signal && link) link.unlink = () => signal.removeEventListener('abort', forwardUserAbort);
        return response;
      }

      signal?.removeEventListener('abort', forwardUserAbort);
      discardBody(response);
      await sleepUnlessAborted(sleep, decision.delayMs, signal);
    }
  };
}

/** The `code` of a problem+json body, read from a clone; `undefined` when the body is not a JSON object. */
async function problemCodeOf(response: Response): Promise<string | undefined> {
  try {
    const body: unknown = JSON.parse(await response.clone().text());
    const code = (body as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

async function sleepUnlessAborted(sleep: Sleep, ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, signal);
  } catch (error) {
    if (signal?.aborted) throw new APIUserAbortError({ cause: error });
    throw error;
  }
  if (signal?.aborted) throw new APIUserAbortError({ cause: signal.reason });
}
