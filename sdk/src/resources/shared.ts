/**
 * What every resource shares: per-request options, the promise type methods return, and the helpers that turn
 * an openapi-fetch call into data or a typed error.
 */
import type { Client } from 'openapi-fetch';
import { dataOrThrow, dataWithResponse, type DataOf, type DataWithResponse, type FetchResultLike } from '../core/client.js';
import { paginate, type ListResponse, type PagePromise } from '../core/pagination.js';
import { IDEMPOTENCY_KEY_HEADER } from '../core/transport.js';
import type { paths } from '../types.js';

/** Options every method accepts, overriding the client-wide settings for this one call. */
export interface RequestOptions {
  /** Cancels the call, including the waits between retries; it then rejects with `APIUserAbortError`. */
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout in ms, until the response headers arrive. */
  timeout?: number | undefined;
  /** Retries after the first attempt; `0` disables retrying. */
  maxRetries?: number | undefined;
  /**
   * The `Idempotency-Key` of a `POST` (ignored by other methods). Default: a fresh key per call, reused on
   * each of its retries. Pass your own to make a call safe to repeat across process restarts.
   */
  idempotencyKey?: string | undefined;
  /** Extra headers for this call. */
  headers?: Record<string, string> | undefined;
}

/** {@link RequestOptions} of a workspace-scoped method. */
export interface WorkspaceRequestOptions extends RequestOptions {
  /** The workspace for this call. Default: the client's `workspaceId` option, else `TESSERA_WORKSPACE_ID`. */
  workspaceId?: string | undefined;
}

/** The data of a call together with the raw response and Tessera's response metadata (request id, rate limit, replay flag). */
export interface WithResponse<T> extends DataWithResponse<T> {}

/**
 * What every non-list method returns: a `Promise` of the data, plus `withResponse()` for the raw response and
 * its metadata (request id, rate limit, `Idempotent-Replayed`). The request is sent at once, like any promise.
 *
 * ```ts
 * const key = await tessera.apiKeys.get('key_…');
 * const { data, meta } = await tessera.apiKeys.get('key_…').withResponse();
 * console.log(meta.requestId, meta.rateLimit?.remaining);
 * ```
 */
export class APIPromise<T> implements Promise<T> {
  readonly #result: Promise<WithResponse<T>>;
  #data: Promise<T> | undefined;

  /** Wraps a promise of the data with its response. */
  constructor(result: Promise<WithResponse<T>>) {
    this.#result = result;
  }

  /** The data with the raw `Response` and its metadata. */
  withResponse(): Promise<WithResponse<T>> {
    return this.#result;
  }

  #dataPromise(): Promise<T> {
    this.#data ??= this.#result.then((r) => r.data);
    return this.#data;
  }

  /** Promise `then`, resolving with the data. */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#dataPromise().then(onfulfilled, onrejected);
  }

  /** Promise `catch`. */
  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#dataPromise().catch(onrejected);
  }

  /** Promise `finally`. */
  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#dataPromise().finally(onfinally);
  }

  /** `"APIPromise"`. */
  get [Symbol.toStringTag](): string {
    return 'APIPromise';
  }
}

/** What resources need from the client: the typed openapi-fetch client and the default workspace. */
export interface ResourceContext {
  /** The typed openapi-fetch client. */
  readonly raw: Client<paths>;
  /** The workspace for a call: the call's `workspaceId`, else the client's; throws a clear error when neither is set. */
  workspaceId(options?: WorkspaceRequestOptions): string;
}

/** openapi-fetch options for a call: signal, timeout and maxRetries (read by the retrying fetch) and headers. */
export function fetchOptions(options: RequestOptions | undefined, extraHeaders?: Record<string, string>) {
  const headers: Record<string, string> = { ...extraHeaders, ...options?.headers };
  if (options?.idempotencyKey !== undefined) headers[IDEMPOTENCY_KEY_HEADER] = options.idempotencyKey;
  const init: { signal?: AbortSignal; timeout?: number; maxRetries?: number; headers: Record<string, string> } = { headers };
  if (options?.signal) init.signal = options.signal;
  if (options?.timeout !== undefined) init.timeout = options.timeout;
  if (options?.maxRetries !== undefined) init.maxRetries = options.maxRetries;
  return init;
}

/**
 * Sends an openapi-fetch call and wraps it in an {@link APIPromise} of its data (or of a typed `APIError`).
 * Anything `send` throws, such as a missing workspace id, becomes a rejection rather than a synchronous throw.
 */
export function apiPromise<R extends FetchResultLike>(send: () => Promise<R>): APIPromise<DataOf<R>> {
  return new APIPromise((async () => dataWithResponse(send()))());
}

/**
 * `promise` with `fallback()` as its data when the call answered none: openapi-fetch gives `undefined` (or, for a
 * stream, `null`) for a body announced empty.
 */
export function withDataDefault<T>(promise: APIPromise<T | null | undefined>, fallback: () => T): APIPromise<T> {
  return new APIPromise(
    promise.withResponse().then((r) =>
      r.data == null
        ? {
            data: fallback(),
            response: r.response,
            get meta() {
              return r.meta;
            },
          }
        : (r as WithResponse<T>),
    ),
  );
}

/** Base class of the resources. */
export abstract class APIResource {
  /** @internal */
  protected readonly _ctx: ResourceContext;

  /** @internal */
  constructor(context: ResourceContext) {
    this._ctx = context;
  }

  /** @internal A call in the workspace of `options` (or the client's). */
  protected _call<R extends FetchResultLike>(options: WorkspaceRequestOptions | undefined, send: (workspaceId: string) => Promise<R>): APIPromise<DataOf<R>> {
    return apiPromise(() => send(this._ctx.workspaceId(options)));
  }

  /** @internal A paginated list in the workspace of `options` (or the client's), from `cursor` on. */
  protected _list<T, R extends FetchResultLike>(
    options: WorkspaceRequestOptions | undefined,
    cursor: string | undefined,
    send: (workspaceId: string, cursor: string | undefined) => Promise<R>,
  ): PagePromise<T> {
    return paginate<T>(async (next) => (await dataOrThrow(send(this._ctx.workspaceId(options), next))) as ListResponse<T>, cursor);
  }
}
