/**
 * Wires config, retrying fetch and openapi-fetch together. Generic over `Paths` (the generated OpenAPI
 * types), so the resource layer only names paths and maps results.
 */
import createClient, { type Client, type QuerySerializerOptions } from 'openapi-fetch';
import { credentialHint, resolveConfig, type ClientOptions, type ResolvedConfig } from './config.js';
import { APIError, APIUserAbortError, TesseraError } from './errors.js';
import { readResponseMeta, type ResponseMeta } from './headers.js';
import type { RandomSource, Sleep } from './retry.js';
import { CALLER_SIGNAL_LINK, createRetryingFetch, PreparedRequest, type CallerSignalLink, type RetryingFetch } from './transport.js';
import { VERSION } from '../version.js';

/**
 * The header naming the SDK and its version (`tessera-sdk/0.1.0`): the `User-Agent`, in place of the runtime's own
 * (`node`), so that the audit log says which client made a call, and no header is added to every request for it.
 * A browser that does not let pages set it sends its own.
 */
export const CLIENT_HEADER = 'User-Agent';

/** Hooks for tests and unusual runtimes; not needed in normal use. */
export interface TransportInternals {
  /** How to wait between attempts. Default: `setTimeout`. */
  sleep?: Sleep;
  /** The jitter source. Default `Math.random`. */
  random?: RandomSource;
  /** The clock, ms. Default `Date.now`. */
  now?: () => number;
  /** Makes the Idempotency-Key of a `POST` that has none. */
  idempotencyKey?: () => string;
  /** Where environment variables and browser detection look. Default `globalThis`. */
  globals?: object;
}

/** The resolved configuration without the secret. */
export type PublicConfig = Omit<ResolvedConfig, 'apiKey' | 'fetch'> & {
  /** Safe-to-log hint of the credential (`sk_live_abc1…wxyz`). */
  keyHint: string;
};

/** Options of {@link Transport.createTypedClient}. */
export interface TypedClientOptions {
  /** How query parameters are serialized; Tessera's only array parameter (`event_type`) is comma-separated. */
  querySerializer?: QuerySerializerOptions | undefined;
}

/** What `createTransport` returns: the resolved configuration, the retrying fetch, and a typed-client factory. */
export interface Transport {
  /** The resolved configuration, without the key. */
  readonly config: PublicConfig;
  /** The retrying fetch; usable on its own for requests outside the typed client. */
  readonly fetch: RetryingFetch;
  /** An openapi-fetch client for `Paths`, with base URL, retries, default headers and auth. */
  createTypedClient<Paths extends {}>(options?: TypedClientOptions): Client<Paths>;
}

/** Resolves the configuration and builds the retrying fetch and typed-client factory the `Tessera` client is made of. */
export function createTransport(options: ClientOptions = {}, internals: TransportInternals = {}): Transport {
  const { apiKey, fetch: baseFetch, ...rest } = resolveConfig(options, internals.globals);
  const fetch = createRetryingFetch({
    fetch: baseFetch,
    maxRetries: rest.maxRetries,
    maxRetryDelay: rest.maxRetryDelay,
    timeout: rest.timeout,
    sleep: internals.sleep,
    random: internals.random,
    now: internals.now,
    idempotencyKey: internals.idempotencyKey,
  });
  const headers = {
    // Errors arrive as RFC 9457 problem details; a server that negotiates (Prism does) must be free to send them.
    Accept: 'application/json, application/problem+json',
    [CLIENT_HEADER]: `tessera-sdk/${VERSION}`,
    // A default header, not a middleware: a call's own Authorization header still wins, and a client without
    // middleware lets openapi-fetch skip its middleware machinery.
    Authorization: `Bearer ${apiKey}`,
    ...rest.defaultHeaders,
  };
  const config: PublicConfig = Object.freeze({ ...rest, keyHint: credentialHint(apiKey) });

  return {
    config,
    fetch,
    createTypedClient<Paths extends {}>(options: TypedClientOptions = {}) {
      // Calls build PreparedRequests, which the retrying fetch sends without a Request (see transport.ts). A call
      // that middleware (added with `use()`, or its own) or its own `fetch` will see gets real Requests, through
      // openapi-fetch's per-call `Request` option: those may use any of a Request's API.
      const client = createClient<Paths>({
        baseUrl: rest.baseURL,
        fetch,
        headers,
        Request: PreparedRequest as unknown as typeof Request,
        ...(options.querySerializer ? { querySerializer: options.querySerializer } : {}),
      });
      let withMiddleware = false;
      const use = client.use;
      client.use = (...middleware) => {
        withMiddleware = true;
        use(...middleware);
      };
      const withRequests = (init: unknown) => {
        const options = init as { fetch?: unknown; middleware?: unknown[] } | undefined;
        const seen = withMiddleware || options?.fetch !== undefined || (options?.middleware?.length ?? 0) > 0;
        return seen ? { ...options, Request: globalThis.Request } : init;
      };
      // When a call settles, openapi-fetch has read the body (or found none, or failed), unless it hands the body
      // back as a stream: the caller's signal then has nothing left to abort in this call, and is unlinked from it.
      const unlinkingSignal = <R extends FetchResultLike>(init: unknown, send: (init: unknown) => Promise<R>): Promise<R> => {
        if (!(init as { signal?: unknown } | undefined)?.signal) return send(init);
        const link: CallerSignalLink = {};
        return send({ ...(init as object), [CALLER_SIGNAL_LINK]: link }).then(
          (result) => {
            const streamed = result.data != null && result.data === result.response.body;
            if (!streamed) link.unlink?.();
            return result;
          },
          (error: unknown) => {
            link.unlink?.();
            throw error;
          },
        );
      };
      for (const method of ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const) {
        const call = client[method] as (url: unknown, init?: unknown) => Promise<FetchResultLike>;
        (client as unknown as Record<string, unknown>)[method] = (url: unknown, init?: unknown) => unlinkingSignal(init, (sent) => call(url, withRequests(sent)));
      }
      const request = client.request as (method: unknown, url: unknown, init?: unknown) => Promise<FetchResultLike>;
      client.request = ((method: unknown, url: unknown, init?: unknown) => unlinkingSignal(init, (sent) => request(method, url, withRequests(sent)))) as typeof client.request;
      return client;
    },
  };
}

/** openapi-fetch's result shape. */
export interface FetchResultLike {
  /** The parsed body of a success. */
  data?: unknown;
  /** The parsed body of an error. */
  error?: unknown;
  /** The raw response. */
  response: Response;
}

/** The success data type of an openapi-fetch result. */
export type DataOf<R> = R extends Readonly<Record<'data', infer D>> ? D : never;

async function settle<R extends FetchResultLike>(result: R | Promise<R>): Promise<R> {
  try {
    return await result;
  } catch (error) {
    if (error instanceof TesseraError) throw error;
    // Errors raised after the response arrived (body read aborted, invalid JSON) still surface as TesseraErrors.
    if ((error as { name?: unknown } | null)?.name === 'AbortError') throw new APIUserAbortError({ cause: error });
    throw new TesseraError(`Request failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** The data of a successful openapi-fetch call; throws the matching `APIError` subclass otherwise. */
export async function dataOrThrow<R extends FetchResultLike>(result: R | Promise<R>): Promise<DataOf<R>> {
  const { data, error, response } = await settle(result);
  if (!response.ok) throw APIError.from(response, error);
  return data as DataOf<R>;
}

/** The data of a call with its raw response and Tessera metadata. */
export interface DataWithResponse<T> {
  /** The parsed body. */
  data: T;
  /** The raw response. */
  response: Response;
  /** Request id, rate-limit state and replay flag. */
  meta: ResponseMeta;
}

/** Like `dataOrThrow`, plus the raw response and its Tessera metadata (request id, rate limit, replay flag). */
export async function dataWithResponse<R extends FetchResultLike>(
  result: R | Promise<R>,
): Promise<DataWithResponse<DataOf<R>>> {
  const { data, error, response } = await settle(result);
  if (!response.ok) throw APIError.from(response, error);
  let meta: ResponseMeta | undefined;
  // Parsed when first read: most callers only want the data.
  return {
    data: data as DataOf<R>,
    response,
    get meta() {
      return (meta ??= readResponseMeta(response));
    },
  };
}
