import { dataOrThrow } from '../core/client.js';
import { paginate, type PagePromise } from '../core/pagination.js';
import type { CreateWorkspaceParams, ListWorkspacesParams, UpdateWorkspaceParams, Workspace, WorkspaceCreated } from '../types.js';
import { APIResource, apiPromise, fetchOptions, type APIPromise, type RequestOptions, type WorkspaceRequestOptions } from './shared.js';

const WORKSPACE = '/v1/workspaces/{workspace_id}';

/** Workspaces: `tessera.workspaces`. `get` and `update` act on the client's workspace unless `workspaceId` is given. */
export class Workspaces extends APIResource {
  /** The workspaces in which the caller is an active member. */
  list(query: ListWorkspacesParams = {}, options?: RequestOptions): PagePromise<Workspace> {
    // Not workspace-scoped: no workspace id needed.
    return paginate(
      (cursor) => dataOrThrow(this._ctx.raw.GET('/v1/workspaces', { params: { query: { ...query, cursor } }, ...fetchOptions(options) })),
      query.cursor,
    );
  }

  /** Creates a workspace with the caller as its first admin; the new admin's token is in `admin.token`, shown once. Member tokens only. */
  create(body: CreateWorkspaceParams, options?: RequestOptions): APIPromise<WorkspaceCreated> {
    return apiPromise(() => this._ctx.raw.POST('/v1/workspaces', { body, ...fetchOptions(options) }));
  }

  /** The workspace and its settings. */
  get(options?: WorkspaceRequestOptions): APIPromise<Workspace> {
    return this._call(options, (workspace_id) => this._ctx.raw.GET(WORKSPACE, { params: { path: { workspace_id } }, ...fetchOptions(options) }));
  }

  /** Changes the name and any of the settings; settings not given keep their value. */
  update(body: UpdateWorkspaceParams, options?: WorkspaceRequestOptions): APIPromise<Workspace> {
    return this._call(options, (workspace_id) => this._ctx.raw.PATCH(WORKSPACE, { params: { path: { workspace_id } }, body, ...fetchOptions(options) }));
  }
}
