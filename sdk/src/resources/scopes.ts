import type { PagePromise } from '../core/pagination.js';
import type { CreateScopeParams, ListScopesParams, Scope, UpdateScopeParams } from '../types.js';
import { APIResource, fetchOptions, type APIPromise, type WorkspaceRequestOptions } from './shared.js';

const SCOPES = '/v1/workspaces/{workspace_id}/scopes';
const SCOPE = '/v1/workspaces/{workspace_id}/scopes/{scope_name}';

/** The workspace's scope catalog: `tessera.scopes`. */
export class Scopes extends APIResource {
  /** Tessera's own scopes (`builtin: true`), then the ones the workspace added for its product. */
  list(query: ListScopesParams = {}, options?: WorkspaceRequestOptions): PagePromise<Scope> {
    return this._list(options, query.cursor, (workspace_id, cursor) =>
      this._ctx.raw.GET(SCOPES, { params: { path: { workspace_id }, query: { ...query, cursor } }, ...fetchOptions(options) }),
    );
  }

  /** Adds one of your product's permissions (`resource.action`) to the catalog. */
  create(body: CreateScopeParams, options?: WorkspaceRequestOptions): APIPromise<Scope> {
    return this._call(options, (workspace_id) => this._ctx.raw.POST(SCOPES, { params: { path: { workspace_id } }, body, ...fetchOptions(options) }));
  }

  /** Changes a scope's description. */
  update(name: string, body: UpdateScopeParams, options?: WorkspaceRequestOptions): APIPromise<Scope> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.PATCH(SCOPE, { params: { path: { workspace_id, scope_name: name } }, body, ...fetchOptions(options) }),
    );
  }

  /** Removes a scope that no role and no unrevoked key holds. */
  delete(name: string, options?: WorkspaceRequestOptions): APIPromise<void> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.DELETE(SCOPE, { params: { path: { workspace_id, scope_name: name } }, ...fetchOptions(options) }),
    ) as APIPromise<void>;
  }
}
