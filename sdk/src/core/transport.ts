/**
 * A `fetch` with retries, timeouts and idempotency keys, handed to openapi-fetch as its `fetch`.
 *
 * It runs below openapi-fetch's middleware chain: middleware (auth, logging) runs once per call, and each
 * attempt here re-sends the request exactly as the middleware left it. The body is buffered once and every
 * attempt gets a fresh `Request`, because a `Request` body is a stream that can be read only once.
 *
 * Per-request options: pass `timeout`, `maxRetries` (and the standard `signal`) in openapi-fetch's options,
 * e.g. `client.GET('/v1/me', { timeout: 5_000, maxRetries: 0, signal })`. openapi-fetch copies unknown
 * options onto the `Request` it builds, where this wrapper reads them. A middleware that *replaces* the
 * Request (rather than editing its headers) drops them, and the client-wide values apply.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError, TesseraError } from './errors.js';
import type { FetchLike } from './config.js';
import { decideRetry, defaultSleep, type RandomSource, type Sleep } from './retry.js';

/** The header telling the server how many retries preceded this attempt (`0` on the first). */
export const RETRY_COUNT_HEADER = 'X-Tessera-Retry-Count';
/** The header carrying a `POST`'s idempotency key. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** Per-request overrides of the client-wide settings. */
export interface TesseraRequestOptions {
  /** Per-attempt timeout in ms, until the response headers arrive. */
  timeout?: number | undefined;
  /** Retries after the first attempt. */
  maxRetries?: number | undefined;
}

/** A `fetch` that retries; accepts the per-request `timeout` and `maxRetries` in its init. */
export type RetryingFetch = (input: Request | URL | string, init?: RequestInit & TesseraRequestOptions) => Promise<Response>;

/** Options of {@link createRetryingFetch}. */
export interface RetryingFetchOptions {
  /** The fetch each attempt uses. */
  fetch: FetchLike;
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

function readRequestOption(input: unknown, init: unknown, name: keyof TesseraRequestOptions): number | undefined {
  const fromInit = (init as TesseraRequestOptions | undefined)?.[name];
  const value = fromInit ?? (input instanceof Request ? (input as Request & TesseraRequestOptions)[name] : undefined);
  return value === undefined || value === null ? undefined : value;
}

/** Settles like `promise`, or rejects as soon as `signal` aborts, even if the underlying fetch ignores signals. */
function raceWithSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {}); // the abandoned fetch may still reject; nobody is listening any more
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
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

/** Wraps `options.fetch` with retries, per-attempt timeouts, abort handling and idempotency keys (see the module description). */
export function createRetryingFetch(options: RetryingFetchOptions): RetryingFetch {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const makeIdempotencyKey = options.idempotencyKey ?? generateIdempotencyKey;

  return async function retryingFetch(input, init) {
    const original = input instanceof Request && init === undefined ? input : new Request(input, init);
    const maxRetries = readRequestOption(input, init, 'maxRetries') ?? options.maxRetries;
    const timeout = readRequestOption(input, init, 'timeout') ?? options.timeout;
    if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new TesseraError(`maxRetries must be a non-negative integer, got ${maxRetries}.`);
    if (!Number.isFinite(timeout) || timeout <= 0) throw new TesseraError(`timeout must be a positive number of milliseconds, got ${timeout}.`);

    const userSignal = original.signal;
    if (userSignal.aborted) throw new APIUserAbortError({ cause: userSignal.reason });

    // Buffered once: every attempt sends these exact bytes.
    const body = original.body === null ? undefined : await original.arrayBuffer();
    const headers = new Headers(original.headers);
    // Same key on every attempt of this call, so the server applies a retried POST at most once.
    if (original.method.toUpperCase() === 'POST' && !headers.has(IDEMPOTENCY_KEY_HEADER)) {
      headers.set(IDEMPOTENCY_KEY_HEADER, makeIdempotencyKey());
    }

    for (let retryIndex = 0; ; retryIndex++) {
      if (userSignal.aborted) throw new APIUserAbortError({ cause: userSignal.reason });

      const attemptHeaders = new Headers(headers);
      attemptHeaders.set(RETRY_COUNT_HEADER, String(retryIndex));

      const controller = new AbortController();
      const forwardUserAbort = () => controller.abort(userSignal.reason);
      userSignal.addEventListener('abort', forwardUserAbort, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new APIConnectionTimeoutError());
      }, timeout);

      const request = new Request(original.url, {
        method: original.method,
        headers: attemptHeaders,
        body,
        signal: controller.signal,
        redirect: original.redirect,
        credentials: original.credentials,
        cache: original.cache,
        integrity: original.integrity,
        keepalive: original.keepalive,
        referrerPolicy: original.referrerPolicy,
      });

      let response: Response;
      try {
        response = await raceWithSignal(options.fetch(request), controller.signal);
      } catch (error) {
        clearTimeout(timer);
        userSignal.removeEventListener('abort', forwardUserAbort);
        if (userSignal.aborted) throw new APIUserAbortError({ cause: error });
        // Our own errors (no fetch available, …) are not network failures: retrying cannot help.
        if (!timedOut && error instanceof TesseraError) throw error;
        const decision = decideRetry({ retryIndex, maxRetries, maxRetryDelay: options.maxRetryDelay, now: now(), random: options.random });
        if (!decision.retry) {
          const where = `${original.method} ${original.url}`;
          if (timedOut) throw new APIConnectionTimeoutError({ message: `Request timed out after ${timeout} ms: ${where}.`, cause: error });
          const reason = error instanceof Error ? ` (${error.message})` : '';
          throw new APIConnectionError({ message: `Connection error: ${where}${reason}.`, cause: error });
        }
        await sleepUnlessAborted(sleep, decision.delayMs, userSignal);
        continue;
      }
      // The timeout covers waiting for the response headers; reading the body is left to the caller, who can
      // still abort it with their signal (kept linked to this attempt's controller).
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
      if (!decision.retry) return response;

      userSignal.removeEventListener('abort', forwardUserAbort);
      discardBody(response);
      await sleepUnlessAborted(sleep, decision.delayMs, userSignal);
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

async function sleepUnlessAborted(sleep: Sleep, ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, signal);
  } catch (error) {
    if (signal.aborted) throw new APIUserAbortError({ cause: error });
    throw error;
  }
  if (signal.aborted) throw new APIUserAbortError({ cause: signal.reason });
}
