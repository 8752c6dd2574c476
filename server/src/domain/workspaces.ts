/** Workspaces: the tenant, its settings, and the first workspace of an empty store. */
import { canonicalJson } from '../canonical-json.js';
import { generatePersonalAccessToken } from '@tessera/sdk/key-format';
import type { TesseraStore } from '../data/store.js';
import type { ActionContext, Principal } from './context.js';
import { digestOf } from './credentials.js';
import { DomainError, notFound } from './errors.js';
import { newId } from './ids.js';
import type { MemberRecord, WorkspaceRecord, WorkspaceSettings } from './model.js';
import { byCreation, pageOf, type Page, type PageRequest } from './pagination.js';

export const DEFAULT_SETTINGS: WorkspaceSettings = {
  key_prefix: 'sk',
  default_rate_limit: { requests_per_minute: 1000, burst: 100 },
  max_key_lifetime_days: 365,
  require_expiry: false,
  api_keys_can_manage_keys: false,
  audit_retention_days: 90,
};

/** Anything outside the caller's own workspace does not exist, as far as the caller can tell. */
export function requireOwnWorkspace(principal: Principal, workspaceId: string): WorkspaceRecord {
  if (principal.workspace.id !== workspaceId) throw notFound('workspace_not_found', 'Workspace', workspaceId, 'among your workspaces');
  return principal.workspace;
}

export type MemberView = Omit<MemberRecord, 'token_digest'>;
export function presentMember(member: MemberRecord): MemberView {
  const { token_digest: _digest, ...view } = member;
  return view;
}

export function newMember(workspaceId: string, fields: { name: string; email: string; role: string }, now: Date, token = generatePersonalAccessToken()): { record: MemberRecord; token: string } {
  const timestamp = now.toISOString();
  return {
    token,
    record: {
      id: newId('mem'),
      workspace_id: workspaceId,
      name: fields.name,
      email: fields.email,
      role: fields.role,
      status: 'active',
      token_digest: digestOf(token),
      token_prefix: token.slice(0, 11),
      created_at: timestamp,
      updated_at: timestamp,
      deactivated_at: null,
    },
  };
}

function newWorkspace(name: string, settings: Partial<WorkspaceSettings> | undefined, now: Date): WorkspaceRecord {
  const timestamp = now.toISOString();
  return { id: newId('ws'), name, settings: { ...DEFAULT_SETTINGS, ...settings }, created_at: timestamp, updated_at: timestamp };
}

export interface BootstrapResult {
  workspace: WorkspaceRecord;
  admin: MemberRecord;
  /** The admin's token: shown once; undefined when the operator supplied it. */
  token: string | undefined;
}

/** On an empty store: a default workspace and its admin. Does nothing when a workspace exists. */
export async function bootstrap(store: TesseraStore, now: Date, adminToken?: string): Promise<BootstrapResult | undefined> {
  return store.transact(async (tx) => {
    if ((await tx.workspaces()).length > 0) return undefined;
    const workspace = newWorkspace('Default Workspace', undefined, now);
    const { record, token } = newMember(workspace.id, { name: 'Admin', email: 'admin@tessera.example', role: 'admin' }, now, adminToken);
    tx.putWorkspace(workspace);
    tx.putMember(record);
    return { workspace, admin: record, token: adminToken === undefined ? token : undefined };
  });
}

/**
 * Settings an API key may not change, whatever its scopes, since a key that could would widen its
 * own power or hide its tracks: whether keys may manage keys ("you can't mint a key with a key"),
 * the default rate limit (the limit of every key without its own), and how long the audit trail is
 * kept (a leaked key could shorten it to erase its own).
 */
const MEMBER_ONLY_SETTINGS = ['api_keys_can_manage_keys', 'default_rate_limit', 'audit_retention_days'] as const satisfies readonly (keyof WorkspaceSettings)[];

function requireMemberForProtectedSettings(principal: Principal, current: WorkspaceSettings, update: Partial<WorkspaceSettings> | undefined): void {
  if (principal.kind === 'member' || !update) return;
  // Compared as canonical JSON: the rate limit is an object, and restating a current value is no change.
  const changed = MEMBER_ONLY_SETTINGS.filter((name) => update[name] !== undefined && canonicalJson(update[name]) !== canonicalJson(current[name]));
  if (changed.length === 0) return;
  const detail = `Only a member can change ${changed.map((name) => `settings.${name}`).join(' or ')}, not an API key: what keys may do, their default rate limit and how long their audit trail is kept are not for a key to decide. Use a personal access token.`;
  throw new DomainError('forbidden', 'member_token_required', 'A member token is required', detail, {
    errors: changed.map((name) => ({ field: `settings.${name}`, code: 'member_token_required', message: detail })),
  });
}

export class WorkspaceService {
  constructor(private readonly store: TesseraStore) {}

  async list(ctx: ActionContext, page: PageRequest): Promise<Page<WorkspaceRecord>> {
    const email = ctx.principal.member.email;
    const ids = new Set(
      ctx.principal.kind === 'api_key'
        ? [ctx.principal.workspace.id]
        : (await Promise.all((await this.store.workspaces()).map(async (w) => ((await this.store.members(w.id)).some((m) => m.email === email && m.status === 'active') ? w.id : undefined)))).filter(
            (id): id is string => id !== undefined,
          ),
    );
    const mine = (await this.store.workspaces()).filter((w) => ids.has(w.id));
    return pageOf(mine, byCreation, page, 'asc', { list: 'workspaces' });
  }

  async create(ctx: ActionContext, input: { name: string; settings?: Partial<WorkspaceSettings> | undefined }): Promise<{ workspace: WorkspaceRecord; admin: MemberView & { token: string } }> {
    if (ctx.principal.kind !== 'member') {
      throw new DomainError('forbidden', 'member_token_required', 'A member token is required', 'Workspaces are created by people: use a personal access token, not an API key.');
    }
    const workspace = newWorkspace(input.name, input.settings, ctx.now);
    const { record, token } = newMember(workspace.id, { name: ctx.principal.member.name, email: ctx.principal.member.email, role: 'admin' }, ctx.now);
    await this.store.transact((tx) => {
      tx.putWorkspace(workspace);
      tx.putMember(record);
    });
    ctx.events.push({ type: 'workspace.created', target: { type: 'workspace', id: workspace.id, name: workspace.name }, details: { admin_member_id: record.id } });
    return { workspace, admin: { ...presentMember(record), token } };
  }

  async get(ctx: ActionContext, workspaceId: string): Promise<WorkspaceRecord> {
    requireOwnWorkspace(ctx.principal, workspaceId);
    const workspace = await this.store.workspace(workspaceId);
    if (!workspace) throw notFound('workspace_not_found', 'Workspace', workspaceId, 'among your workspaces');
    return workspace;
  }

  async update(ctx: ActionContext, workspaceId: string, input: { name?: string | undefined; settings?: Partial<WorkspaceSettings> | undefined }): Promise<WorkspaceRecord> {
    requireOwnWorkspace(ctx.principal, workspaceId);
    const updated = await this.store.transact(async (tx) => {
      const current = await tx.workspace(workspaceId);
      if (!current) throw notFound('workspace_not_found', 'Workspace', workspaceId, 'among your workspaces');
      requireMemberForProtectedSettings(ctx.principal, current.settings, input.settings);
      const next: WorkspaceRecord = { ...current, name: input.name ?? current.name, settings: { ...current.settings, ...input.settings }, updated_at: ctx.now.toISOString() };
      tx.putWorkspace(next);
      return next;
    });
    ctx.events.push({ type: 'workspace.updated', target: { type: 'workspace', id: workspaceId, name: updated.name }, details: { changed: Object.keys(input), settings: Object.keys(input.settings ?? {}) } });
    return updated;
  }
}
