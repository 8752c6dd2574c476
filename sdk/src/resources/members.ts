import type { PagePromise } from '../core/pagination.js';
import type { CreateMemberParams, ListMembersParams, Member, MemberCreated, UpdateMemberParams } from '../types.js';
import { APIResource, fetchOptions, type APIPromise, type WorkspaceRequestOptions } from './shared.js';

const MEMBERS = '/v1/workspaces/{workspace_id}/members';
const MEMBER = '/v1/workspaces/{workspace_id}/members/{member_id}';

/** Members of a workspace: `tessera.members`. */
export class Members extends APIResource {
  /** Every member, active and deactivated, oldest first. */
  list(query: ListMembersParams = {}, options?: WorkspaceRequestOptions): PagePromise<Member> {
    return this._list(options, query.cursor, (workspace_id, cursor) =>
      this._ctx.raw.GET(MEMBERS, { params: { path: { workspace_id }, query: { ...query, cursor } }, ...fetchOptions(options) }),
    );
  }

  /** Invites a member with a role (default `member`); their personal access token is in `token`, shown once. */
  create(body: CreateMemberParams, options?: WorkspaceRequestOptions): APIPromise<MemberCreated> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.POST(MEMBERS, { params: { path: { workspace_id } }, body: body as Required<CreateMemberParams>, ...fetchOptions(options) }),
    );
  }

  /** One member. */
  get(memberId: string, options?: WorkspaceRequestOptions): APIPromise<Member> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.GET(MEMBER, { params: { path: { workspace_id, member_id: memberId } }, ...fetchOptions(options) }),
    );
  }

  /** Changes a member's name or role; a new role applies at once to the member and to every key they created. */
  update(memberId: string, body: UpdateMemberParams, options?: WorkspaceRequestOptions): APIPromise<Member> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.PATCH(MEMBER, { params: { path: { workspace_id, member_id: memberId } }, body, ...fetchOptions(options) }),
    );
  }

  /** Deactivates a member: their token stops working and the keys they created lose their rights. */
  deactivate(memberId: string, options?: WorkspaceRequestOptions): APIPromise<Member> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.POST(`${MEMBER}/deactivate`, { params: { path: { workspace_id, member_id: memberId } }, ...fetchOptions(options) }),
    );
  }
}
