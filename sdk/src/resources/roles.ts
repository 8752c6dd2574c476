import type { PagePromise } from '../core/pagination.js';
import type { CreateRoleParams, ListRolesParams, Role, UpdateRoleParams } from '../types.js';
import { APIResource, fetchOptions, type APIPromise, type WorkspaceRequestOptions } from './shared.js';

const ROLES = '/v1/workspaces/{workspace_id}/roles';
const ROLE = '/v1/workspaces/{workspace_id}/roles/{role_id}';

/** Roles, named bundles of scopes: `tessera.roles`. */
export class Roles extends APIResource {
  /** The built-in `admin` and `member` roles, then the workspace's own. */
  list(query: ListRolesParams = {}, options?: WorkspaceRequestOptions): PagePromise<Role> {
    return this._list(options, query.cursor, (workspace_id, cursor) =>
      this._ctx.raw.GET(ROLES, { params: { path: { workspace_id }, query: { ...query, cursor } }, ...fetchOptions(options) }),
    );
  }

  /** Creates a role from scopes of the workspace's catalog. */
  create(body: CreateRoleParams, options?: WorkspaceRequestOptions): APIPromise<Role> {
    return this._call(options, (workspace_id) => this._ctx.raw.POST(ROLES, { params: { path: { workspace_id } }, body, ...fetchOptions(options) }));
  }

  /** One role and its scopes. */
  get(roleId: string, options?: WorkspaceRequestOptions): APIPromise<Role> {
    return this._call(options, (workspace_id) => this._ctx.raw.GET(ROLE, { params: { path: { workspace_id, role_id: roleId } }, ...fetchOptions(options) }));
  }

  /** Renames a role or changes its scopes; members and keys holding it are affected at once. */
  update(roleId: string, body: UpdateRoleParams, options?: WorkspaceRequestOptions): APIPromise<Role> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.PATCH(ROLE, { params: { path: { workspace_id, role_id: roleId } }, body, ...fetchOptions(options) }),
    );
  }

  /** Deletes a custom role that no member and no unrevoked key holds. */
  delete(roleId: string, options?: WorkspaceRequestOptions): APIPromise<void> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.DELETE(ROLE, { params: { path: { workspace_id, role_id: roleId } }, ...fetchOptions(options) }),
    ) as APIPromise<void>;
  }
}
