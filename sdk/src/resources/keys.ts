import type { VerifyKeyParams, VerifyKeyResult } from '../types.js';
import { APIResource, apiPromise, fetchOptions, type APIPromise, type RequestOptions } from './shared.js';

/**
 * Verification of keys your own API receives: `tessera.keys`. To protect a Hono app or any Fetch-API handler,
 * see `tesseraAuth` (`@tessera/sdk/hono`) and `withTesseraAuth`, which call this for you.
 */
export class Keys extends APIResource {
  /**
   * Checks `key` against `required_scopes`. Always resolves (for a well-formed request) with `valid` and a
   * reason `code` (`valid`, `not_found`, `malformed`, `expired`, `revoked`, `disabled`, `insufficient_scope`,
   * `rate_limited`), the key's identity and its rate-limit state. A verification counts as a use of the key.
   * Needs the `keys.verify` scope; the key is looked up in the caller's workspace.
   */
  verify(body: VerifyKeyParams, options?: RequestOptions): APIPromise<VerifyKeyResult> {
    return apiPromise(() => this._ctx.raw.POST('/v1/keys/verify', { body, ...fetchOptions(options) }));
  }
}
