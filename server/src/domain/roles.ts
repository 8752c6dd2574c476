/** Roles (named bundles of scopes) and the workspace's scope catalog. */
import type { StoreReader, TesseraStore } from '../data/store.js';
import { BUILTIN_ROLE_SCOPES, requireGrantable } from './access.js';
import { requireKnownScopes } from './catalog.js';
import type { ActionContext } from './context.js';
import { conflict, notFound } from './errors.js';
import { newId } from './ids.js';
import type { RoleRecord, ScopeRecord, WorkspaceRecord } from './model.js';
import { byCreation, pageOf, type Page, type PageRequest } from './pagination.js';
import { normalize, TESSERA_SCOPES } from './scopes.js';
import { requireOwnWorkspace } from './workspaces.js';

const BUILTIN_ROLE_NAMES: Record<string, { name: string; description: string }> = {
  admin: { name: 'Admin', description: 'Everything, including members, roles and keys.' },
  member: { name: 'Member', description: 'Read access and key verification.' },
};

function builtinRoles(workspace: WorkspaceRecord): RoleRecord[] {
  return Object.entries(BUILTIN_ROLE_SCOPES).map(([id, scopes]) => ({
    id,
    workspace_id: workspace.id,
    name: BUILTIN_ROLE_NAMES[id]!.name,
    description: BUILTIN_ROLE_NAMES[id]!.description,
    scopes,
    builtin: true,
    created_at: workspace.created_at,
    updated_at: workspace.created_at,
  }));
}

export type ScopeView = { name: string; description: string | null; builtin: boolean; created_at: string; updated_at: string };
const presentScope = (s: ScopeRecord): ScopeView => ({ name: s.name, description: s.description, builtin: false, created_at: s.created_at, updated_at: s.updated_at });

export class RoleService {
  constructor(private readonly store: TesseraStore) {}

  async list(ctx: ActionContext, workspaceId: string, page: PageRequest): Promise<Page<RoleRecord>> {
    const workspace = requireOwnWorkspace(ctx.principal, workspaceId);
    // Built-ins come first: their position sorts before any custom role's `1|created_at|role_…`.
    const position = (r: RoleRecord) => (r.builtin ? `0|${r.id}` : `1|${byCreation(r)}`);
    return pageOf([...builtinRoles(workspace), ...(await this.store.roles(workspaceId))], position, page, 'asc', { list: 'roles', within: [workspaceId] });
  }

  async get(ctx: ActionContext, workspaceId: string, roleId: string): Promise<RoleRecord> {
    const workspace = requireOwnWorkspace(ctx.principal, workspaceId);
    return this.find(this.store, workspace, roleId);
  }

  async create(ctx: ActionContext, workspaceId: string, input: { name: string; description?: string | undefined; scopes: string[] }): Promise<RoleRecord> {
    requireOwnWorkspace(ctx.principal, workspaceId);
    await requireKnownScopes(this.store, workspaceId, input.scopes);
    requireGrantable(ctx.principal, input.scopes);
    const timestamp = ctx.now.toISOString();
    const role: RoleRecord = { id: newId('role'), workspace_id: workspaceId, name: input.name, description: input.description ?? null, scopes: normalize(input.scopes), builtin: false, created_at: timestamp, updated_at: timestamp };
    await this.store.transact(async (tx) => {
      await this.requireUniqueName(tx, workspaceId, input.name);
      tx.putRole(role);
    });
    ctx.events.push({ type: 'role.created', target: { type: 'role', id: role.id, name: role.name }, details: { scopes: role.scopes } });
    return role;
  }

  async update(ctx: ActionContext, workspaceId: string, roleId: string, input: { name?: string | undefined; description?: string | null | undefined; scopes?: string[] | undefined }): Promise<RoleRecord> {
    const workspace = requireOwnWorkspace(ctx.principal, workspaceId);
    if (input.scopes) {
      await requireKnownScopes(this.store, workspaceId, input.scopes);
      requireGrantable(ctx.principal, input.scopes);
    }
    const updated = await this.store.transact(async (tx) => {
      const role = await this.find(tx, workspace, roleId);
      if (role.builtin) throw conflict('builtin_role', 'Built-in role', `The ${role.id} role is built in and cannot be changed; create a custom role instead.`);
      if (input.name !== undefined && input.name !== role.name) await this.requireUniqueName(tx, workspaceId, input.name);
      const next: RoleRecord = {
        ...role,
        name: input.name ?? role.name,
        description: input.description === undefined ? role.description : input.description,
        scopes: input.scopes ? normalize(input.scopes) : role.scopes,
        updated_at: ctx.now.toISOString(),
      };
      tx.putRole(next);
      return next;
    });
    ctx.events.push({ type: 'role.updated', target: { type: 'role', id: roleId, name: updated.name }, details: { changed: Object.keys(input), scopes: updated.scopes } });
    return updated;
  }

  async delete(ctx: ActionContext, workspaceId: string, roleId: string): Promise<void> {
    const workspace = requireOwnWorkspace(ctx.principal, workspaceId);
    const role = await this.store.transact(async (tx) => {
      const found = await this.find(tx, workspace, roleId);
      if (found.builtin) throw conflict('builtin_role', 'Built-in role', `The ${found.id} role is built in and cannot be deleted.`);
      const members = (await tx.members(workspaceId)).filter((m) => m.role === roleId).length;
      let keys = 0;
      await tx.forEachApiKey(workspaceId, (k) => {
        if (k.status !== 'revoked' && k.roles.includes(roleId)) keys += 1;
      });
      if (members + keys > 0) throw conflict('role_in_use', 'Role in use', `${members} member(s) and ${keys} unrevoked key(s) hold this role; reassign them first.`);
      tx.deleteRole(roleId);
      return found;
    });
    ctx.events.push({ type: 'role.deleted', target: { type: 'role', id: roleId, name: role.name } });
  }

  async listScopes(ctx: ActionContext, workspaceId: string, page: PageRequest): Promise<Page<ScopeView>> {
    const workspace = requireOwnWorkspace(ctx.principal, workspaceId);
    const builtin = Object.entries(TESSERA_SCOPES).map(([name, description]) => ({ name, description, builtin: true, created_at: workspace.created_at, updated_at: workspace.created_at }));
    const custom = (await this.store.scopes(workspaceId)).map(presentScope);
    const position = (s: ScopeView) => `${s.builtin ? 0 : 1}|${s.name}`;
    return pageOf([...builtin, ...custom], position, page, 'asc', { list: 'scopes', within: [workspaceId] });
  }

  async createScope(ctx: ActionContext, workspaceId: string, input: { name: string; description?: string | undefined }): Promise<ScopeView> {
    requireOwnWorkspace(ctx.principal, workspaceId);
    const timestamp = ctx.now.toISOString();
    const record: ScopeRecord = { workspace_id: workspaceId, name: input.name, description: input.description ?? null, created_at: timestamp, updated_at: timestamp };
    await this.store.transact(async (tx) => {
      if (TESSERA_SCOPES[input.name] || (await tx.scope(workspaceId, input.name))) {
        throw conflict('name_taken', 'Scope exists', `The scope ${input.name} is already in the catalog.`);
      }
      tx.putScope(record);
    });
    ctx.events.push({ type: 'scope.created', target: { type: 'scope', id: input.name, name: input.name } });
    return presentScope(record);
  }

  async updateScope(ctx: ActionContext, workspaceId: string, name: string, input: { description: string | null }): Promise<ScopeView> {
    requireOwnWorkspace(ctx.principal, workspaceId);
    const updated = await this.store.transact(async (tx) => {
      const scope = await this.findScope(tx, workspaceId, name);
      const next = { ...scope, description: input.description, updated_at: ctx.now.toISOString() };
      tx.putScope(next);
      return next;
    });
    ctx.events.push({ type: 'scope.updated', target: { type: 'scope', id: name, name } });
    return presentScope(updated);
  }

  async deleteScope(ctx: ActionContext, workspaceId: string, name: string): Promise<void> {
    requireOwnWorkspace(ctx.principal, workspaceId);
    await this.store.transact(async (tx) => {
      await this.findScope(tx, workspaceId, name);
      const roles = (await tx.roles(workspaceId)).filter((r) => r.scopes.includes(name)).length;
      let keys = 0;
      await tx.forEachApiKey(workspaceId, (k) => {
        if (k.status !== 'revoked' && k.scopes.includes(name)) keys += 1;
      });
      if (roles + keys > 0) throw conflict('scope_in_use', 'Scope in use', `${roles} role(s) and ${keys} unrevoked key(s) grant ${name}; remove it from them first.`);
      tx.deleteScope(workspaceId, name);
    });
    ctx.events.push({ type: 'scope.deleted', target: { type: 'scope', id: name, name } });
  }

  private async findScope(reader: StoreReader, workspaceId: string, name: string): Promise<ScopeRecord> {
    if (TESSERA_SCOPES[name]) throw conflict('builtin_scope', 'Built-in scope', `${name} is one of Tessera's own scopes and cannot be changed or removed.`);
    const scope = await reader.scope(workspaceId, name);
    if (!scope) throw notFound('scope_not_found', 'Scope', name);
    return scope;
  }

  private async requireUniqueName(reader: StoreReader, workspaceId: string, name: string): Promise<void> {
    const taken = (await reader.roles(workspaceId)).some((r) => r.name.toLowerCase() === name.toLowerCase()) || Object.values(BUILTIN_ROLE_NAMES).some((r) => r.name.toLowerCase() === name.toLowerCase());
    if (taken) throw conflict('name_taken', 'Role name taken', `A role named ${name} already exists.`);
  }

  private async find(reader: StoreReader, workspace: WorkspaceRecord, roleId: string): Promise<RoleRecord> {
    const builtin = builtinRoles(workspace).find((r) => r.id === roleId);
    if (builtin) return builtin;
    const role = await reader.role(roleId);
    if (!role || role.workspace_id !== workspace.id) throw notFound('role_not_found', 'Role', roleId);
    return role;
  }
}
