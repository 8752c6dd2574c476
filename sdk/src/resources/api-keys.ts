import type { PagePromise } from '../core/pagination.js';
import type {
  ApiKey,
  ApiKeyCreated,
  ApiKeyDeleted,
  ApiKeyRotated,
  CreateApiKeyParams,
  ListApiKeysParams,
  RotateApiKeyParams,
  UpdateApiKeyParams,
} from '../types.js';
import { APIResource, fetchOptions, type APIPromise, type WorkspaceRequestOptions } from './shared.js';

const KEYS = '/v1/workspaces/{workspace_id}/api-keys';
const KEY = '/v1/workspaces/{workspace_id}/api-keys/{key_id}';

/**
 * API keys of a workspace: `tessera.apiKeys`.
 *
 * ```ts
 * const created = await tessera.apiKeys.create({ name: 'CI/CD Pipeline', scopes: ['workflows.execute'], expires_in: '90d' });
 * saveSecret(created.key); // shown only this once
 * for await (const key of tessera.apiKeys.list({ status: 'active' })) console.log(key.name);
 * ```
 */
export class ApiKeys extends APIResource {
  /** Every key of the workspace, newest first (revoked and expired too). Await for the first page, or iterate with `for await` over every key. */
  list(query: ListApiKeysParams = {}, options?: WorkspaceRequestOptions): PagePromise<ApiKey> {
    return this._list(options, query.cursor, (workspace_id, cursor) =>
      this._ctx.raw.GET(KEYS, { params: { path: { workspace_id }, query: { ...query, cursor } }, ...fetchOptions(options) }),
    );
  }

  /** Creates a key. Its full value is in `key` of the answer, shown exactly once: store it now. */
  create(body: CreateApiKeyParams, options?: WorkspaceRequestOptions): APIPromise<ApiKeyCreated> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.POST(KEYS, { params: { path: { workspace_id } }, body: body as Required<CreateApiKeyParams>, ...fetchOptions(options) }),
    );
  }

  /** One key's settings and state (never the raw key). */
  get(keyId: string, options?: WorkspaceRequestOptions): APIPromise<ApiKey> {
    return this._call(options, (workspace_id) => this._ctx.raw.GET(KEY, { params: { path: { workspace_id, key_id: keyId } }, ...fetchOptions(options) }));
  }

  /** Changes the name, description, scopes, roles, rate limit or metadata, or renews the expiry. */
  update(keyId: string, body: UpdateApiKeyParams, options?: WorkspaceRequestOptions): APIPromise<ApiKey> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.PATCH(KEY, { params: { path: { workspace_id, key_id: keyId } }, body, ...fetchOptions(options) }),
    );
  }

  /**
   * Replaces a key with a new one with the same settings; the new key is in `key`, shown once. The old key
   * keeps working for `grace_period_seconds` (default one day); `0` revokes it at once.
   */
  rotate(keyId: string, body: RotateApiKeyParams = {}, options?: WorkspaceRequestOptions): APIPromise<ApiKeyRotated> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.POST(`${KEY}/rotate`, {
        params: { path: { workspace_id, key_id: keyId } },
        body: body as Required<RotateApiKeyParams>,
        ...fetchOptions(options),
      }),
    );
  }

  /** Stops a key from working until it is enabled again. */
  disable(keyId: string, options?: WorkspaceRequestOptions): APIPromise<ApiKey> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.POST(`${KEY}/disable`, { params: { path: { workspace_id, key_id: keyId } }, ...fetchOptions(options) }),
    );
  }

  /** Makes a disabled key work again. A revoked key cannot be enabled (`ConflictError`, code `key_revoked`). */
  enable(keyId: string, options?: WorkspaceRequestOptions): APIPromise<ApiKey> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.POST(`${KEY}/enable`, { params: { path: { workspace_id, key_id: keyId } }, ...fetchOptions(options) }),
    );
  }

  /** Stops a key at once and forever; it stays listed as revoked. */
  revoke(keyId: string, options?: WorkspaceRequestOptions): APIPromise<ApiKey> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.POST(`${KEY}/revoke`, { params: { path: { workspace_id, key_id: keyId } }, ...fetchOptions(options) }),
    );
  }

  /** Same as {@link ApiKeys.revoke}, as `DELETE`; answers `{ id, status: 'revoked' }`. */
  delete(keyId: string, options?: WorkspaceRequestOptions): APIPromise<ApiKeyDeleted> {
    return this._call(options, (workspace_id) => this._ctx.raw.DELETE(KEY, { params: { path: { workspace_id, key_id: keyId } }, ...fetchOptions(options) }));
  }
}
