/** The API-key lifecycle: create, list, read, update and renew, rotate, disable, enable, revoke. */
import { generateApiKey } from '@tessera/sdk/key-format';
import type { TesseraStore, StoreReader } from '../data/store.js';
import { keyGrant, requireGrantable, requireKeyManagementAllowed, scopesOfRoles } from './access.js';
import { requireKnownRoles, requireKnownScopes } from './catalog.js';
import type { ActionContext } from './context.js';
import { digestOf, keyStateAt, type KeyState } from './credentials.js';
import { conflict, notFound } from './errors.js';
import { resolveExpiry, type ExpiryPreset } from './expiry.js';
import { newId } from './ids.js';
import type { ApiKeyRecord, Environment, Metadata, RateLimit, WorkspaceRecord } from './model.js';
import { byCreation, pageBounds, pageFrom, PageSelector, type ListIdentity, type Page, type PageRequest } from './pagination.js';
import { isBroad, normalize } from './scopes.js';
import { requireOwnWorkspace } from './workspaces.js';

export interface CreateApiKeyInput {
  name: string;
  description?: string | undefined;
  environment?: Environment | undefined;
  scopes?: string[] | undefined;
  roles?: string[] | undefined;
  expires_in?: ExpiryPreset | undefined;
  expires_at?: string | undefined;
  rate_limit?: RateLimit | undefined;
  metadata?: Metadata | undefined;
}

export interface UpdateApiKeyInput {
  name?: string | undefined;
  description?: string | null | undefined;
  scopes?: string[] | undefined;
  roles?: string[] | undefined;
  expires_in?: ExpiryPreset | undefined;
  expires_at?: string | undefined;
  rate_limit?: RateLimit | null | undefined;
  metadata?: Metadata | undefined;
}

export interface ApiKeyFilters {
  status?: KeyState | undefined;
  environment?: Environment | undefined;
  search?: string | undefined;
  scope?: string | undefined;
  created_by?: string | undefined;
}

/** The list a key listing's cursors are valid for: the workspace's keys, under these filters (and no other field of `filters`). */
export function apiKeyList(workspaceId: string, filters: ApiKeyFilters): ListIdentity {
  const { status, environment, search, scope, created_by } = filters;
  return { list: 'api-keys', within: [workspaceId], filters: { status, environment, search, scope, created_by } };
}

/** A key as the API shows it: the record without its digest, with derived state. */
export type ApiKeyView = Omit<ApiKeyRecord, 'key_digest' | 'status'> & { status: KeyState; broad_scopes: string[]; last_used_at: string | null };

const DEFAULT_GRACE_SECONDS = 86_400;

export class ApiKeyService {
  constructor(private readonly store: TesseraStore) {}

  async present(key: ApiKeyRecord, now: Date, reader: StoreReader = this.store): Promise<ApiKeyView> {
    const grant = await keyGrant(reader, key);
    // Field by field rather than `{ ...rest }`: the view names exactly what the API shows (never
    // the digest), and a literal is several times cheaper than a rest/spread copy on a hot GET.
    return {
      id: key.id,
      workspace_id: key.workspace_id,
      name: key.name,
      description: key.description,
      environment: key.environment,
      key_prefix: key.key_prefix,
      last_four: key.last_four,
      scopes: key.scopes,
      roles: key.roles,
      status: keyStateAt(key, now),
      broad_scopes: grant.filter(isBroad),
      expires_at: key.expires_at,
      rate_limit: key.rate_limit,
      metadata: key.metadata,
      created_by: key.created_by,
      created_by_key: key.created_by_key,
      created_at: key.created_at,
      updated_at: key.updated_at,
      last_used_at: this.store.lastUsed.get(key.id),
      rotated_from: key.rotated_from,
      rotated_to: key.rotated_to,
      disabled_at: key.disabled_at,
      revoked_at: key.revoked_at,
    };
  }

  async create(ctx: ActionContext, workspaceId: string, input: CreateApiKeyInput): Promise<{ view: ApiKeyView; key: string }> {
    const workspace = requireOwnWorkspace(ctx.principal, workspaceId);
    requireKeyManagementAllowed(ctx.principal);
    const scopes = normalize(input.scopes ?? []);
    const roles = [...new Set(input.roles ?? [])];
    await requireKnownScopes(this.store, workspaceId, input.scopes ?? []);
    await requireKnownRoles(this.store, workspaceId, roles);
    requireGrantable(ctx.principal, [...scopes, ...(await scopesOfRoles(this.store, workspaceId, roles))]);
    const expires_at = resolveExpiry(input, workspace.settings, ctx.now.getTime(), () => null);
    const environment = input.environment ?? 'live';
    const raw = generateApiKey({ prefix: workspace.settings.key_prefix, environment });
    const timestamp = ctx.now.toISOString();
    const record: ApiKeyRecord = {
      id: newId('key'),
      workspace_id: workspaceId,
      name: input.name,
      description: input.description ?? null,
      environment,
      key_digest: digestOf(raw),
      key_prefix: raw.slice(0, 12),
      last_four: raw.slice(-4),
      scopes,
      roles,
      status: 'active',
      expires_at,
      rate_limit: input.rate_limit ?? null,
      metadata: input.metadata ?? {},
      created_by: ctx.principal.member.id,
      created_by_key: ctx.principal.key?.id ?? null,
      created_at: timestamp,
      updated_at: timestamp,
      rotated_from: null,
      rotated_to: null,
      disabled_at: null,
      revoked_at: null,
    };
    await this.store.transact((tx) => tx.putApiKey(record));
    ctx.events.push({
      type: 'api_key.created',
      target: { type: 'api_key', id: record.id, name: record.name },
      details: { scopes, roles, environment, expires_at, key_prefix: record.key_prefix },
    });
    return { view: await this.present(record, ctx.now), key: raw };
  }

  async list(ctx: ActionContext, workspaceId: string, filters: ApiKeyFilters, page: PageRequest): Promise<Page<ApiKeyView>> {
    requireOwnWorkspace(ctx.principal, workspaceId);
    const identity = apiKeyList(workspaceId, filters);
    const unfiltered = Object.values(identity.filters!).every((value) => value === undefined);
    const result = unfiltered ? await this.newestKeys(workspaceId, page, identity) : await this.matchingKeys(workspaceId, filters, ctx.now, page, identity);
    return { ...result, data: await Promise.all(result.data.map((k) => this.present(k, ctx.now))) };
  }

  /** A page of all the workspace's keys, read from the store's order: only the page is parsed. */
  private async newestKeys(workspaceId: string, page: PageRequest, identity: ListIdentity): Promise<Page<ApiKeyRecord>> {
    const { after, limit } = pageBounds(page, identity);
    const { keys, more } = await this.store.apiKeyPage(workspaceId, after, limit);
    return pageFrom(keys, more, byCreation, identity);
  }

  /** A page of the keys the filters let through, picked as the keys are read: none is held beyond the page. */
  private async matchingKeys(workspaceId: string, filters: ApiKeyFilters, now: Date, page: PageRequest, identity: ListIdentity): Promise<Page<ApiKeyRecord>> {
    const search = filters.search?.toLowerCase();
    const selector = new PageSelector<ApiKeyRecord>(byCreation, page, 'desc', identity);
    await this.store.forEachApiKey(workspaceId, (k) => {
      if (
        (filters.status === undefined || keyStateAt(k, now) === filters.status) &&
        (filters.environment === undefined || k.environment === filters.environment) &&
        (search === undefined || k.name.toLowerCase().includes(search)) &&
        (filters.scope === undefined || k.scopes.includes(filters.scope)) &&
        (filters.created_by === undefined || k.created_by === filters.created_by)
      ) {
        selector.offer(k);
      }
    });
    return selector.page();
  }

  async get(ctx: ActionContext, workspaceId: string, keyId: string): Promise<ApiKeyView> {
    requireOwnWorkspace(ctx.principal, workspaceId);
    return this.present(await this.find(this.store, workspaceId, keyId), ctx.now);
  }

  async update(ctx: ActionContext, workspaceId: string, keyId: string, input: UpdateApiKeyInput): Promise<ApiKeyView> {
    const workspace = requireOwnWorkspace(ctx.principal, workspaceId);
    requireKeyManagementAllowed(ctx.principal);
    if (input.scopes) await requireKnownScopes(this.store, workspaceId, input.scopes);
    if (input.roles) await requireKnownRoles(this.store, workspaceId, input.roles);
    const updated = await this.store.transact(async (tx) => {
      const key = await this.find(tx, workspaceId, keyId);
      this.requireNotRevoked(key);
      const next: ApiKeyRecord = { ...key, updated_at: ctx.now.toISOString() };
      if (input.name !== undefined) next.name = input.name;
      if (input.description !== undefined) next.description = input.description;
      if (input.scopes !== undefined) next.scopes = normalize(input.scopes);
      if (input.roles !== undefined) next.roles = [...new Set(input.roles)];
      if (input.rate_limit !== undefined) next.rate_limit = input.rate_limit;
      if (input.metadata !== undefined) next.metadata = input.metadata;
      if (input.scopes !== undefined || input.roles !== undefined) {
        requireGrantable(ctx.principal, [...next.scopes, ...(await scopesOfRoles(tx, workspaceId, next.roles))]);
      }
      const renewing = input.expires_in !== undefined || input.expires_at !== undefined;
      if (renewing) next.expires_at = resolveExpiry(input, workspace.settings, ctx.now.getTime(), () => key.expires_at);
      tx.putApiKey(next);
      return { before: key, after: next, renewing };
    });
    const target = { type: 'api_key' as const, id: keyId, name: updated.after.name };
    const changed = Object.keys(input).filter((f) => f !== 'expires_in' && f !== 'expires_at');
    if (changed.length > 0) ctx.events.push({ type: 'api_key.updated', target, details: { changed } });
    if (updated.renewing) {
      ctx.events.push({ type: 'api_key.renewed', target, details: { previous_expires_at: updated.before.expires_at, expires_at: updated.after.expires_at } });
    }
    return this.present(updated.after, ctx.now);
  }

  async rotate(ctx: ActionContext, workspaceId: string, keyId: string, graceSeconds = DEFAULT_GRACE_SECONDS): Promise<{ view: ApiKeyView; key: string; previous: ApiKeyView }> {
    const workspace = requireOwnWorkspace(ctx.principal, workspaceId);
    requireKeyManagementAllowed(ctx.principal);
    const result = await this.store.transact(async (tx) => {
      const old = await this.find(tx, workspaceId, keyId);
      this.requireNotRevoked(old);
      if (old.rotated_to !== null) {
        throw conflict('already_rotated', 'The key was already rotated', `Key ${old.id} was replaced by ${old.rotated_to}; rotate that one instead.`);
      }
      requireGrantable(ctx.principal, await keyGrant(tx, old));
      const raw = generateApiKey({ prefix: workspace.settings.key_prefix, environment: old.environment });
      const timestamp = ctx.now.toISOString();
      const fresh: ApiKeyRecord = {
        ...old,
        id: newId('key'),
        key_digest: digestOf(raw),
        key_prefix: raw.slice(0, 12),
        last_four: raw.slice(-4),
        status: old.status === 'disabled' ? 'disabled' : 'active',
        expires_at: this.rotatedExpiry(old, workspace, ctx.now),
        created_by: ctx.principal.member.id,
        created_by_key: ctx.principal.key?.id ?? null,
        created_at: timestamp,
        updated_at: timestamp,
        rotated_from: old.id,
        rotated_to: null,
        disabled_at: old.disabled_at,
        revoked_at: null,
      };
      const graceEnd = new Date(ctx.now.getTime() + graceSeconds * 1000).toISOString();
      const retired: ApiKeyRecord = { ...old, rotated_to: fresh.id, updated_at: timestamp };
      if (graceSeconds === 0) {
        retired.status = 'revoked';
        retired.revoked_at = timestamp;
      } else if (old.expires_at === null || old.expires_at > graceEnd) {
        retired.expires_at = graceEnd;
      }
      tx.putApiKey(fresh);
      tx.putApiKey(retired);
      return { fresh, retired, raw };
    });
    ctx.events.push({
      type: 'api_key.rotated',
      target: { type: 'api_key', id: keyId, name: result.retired.name },
      details: { old_key_id: keyId, new_key_id: result.fresh.id, grace_period_seconds: graceSeconds, old_key_expires_at: result.retired.expires_at },
    });
    return { view: await this.present(result.fresh, ctx.now), key: result.raw, previous: await this.present(result.retired, ctx.now) };
  }

  /** The new key lives as long as the old one was meant to, within the workspace maximum. */
  private rotatedExpiry(old: ApiKeyRecord, workspace: WorkspaceRecord, now: Date): string | null {
    if (old.expires_at === null) return workspace.settings.require_expiry ? new Date(now.getTime() + workspace.settings.max_key_lifetime_days * 86_400_000).toISOString() : null;
    const lifetime = Math.max(Date.parse(old.expires_at) - Date.parse(old.created_at), 60_000);
    const max = workspace.settings.max_key_lifetime_days * 86_400_000;
    return new Date(now.getTime() + Math.min(lifetime, max)).toISOString();
  }

  async disable(ctx: ActionContext, workspaceId: string, keyId: string): Promise<ApiKeyView> {
    return this.changeStatus(ctx, workspaceId, keyId, 'disabled');
  }

  async enable(ctx: ActionContext, workspaceId: string, keyId: string): Promise<ApiKeyView> {
    return this.changeStatus(ctx, workspaceId, keyId, 'active');
  }

  async revoke(ctx: ActionContext, workspaceId: string, keyId: string): Promise<ApiKeyView> {
    return this.changeStatus(ctx, workspaceId, keyId, 'revoked');
  }

  private async changeStatus(ctx: ActionContext, workspaceId: string, keyId: string, status: ApiKeyRecord['status']): Promise<ApiKeyView> {
    requireOwnWorkspace(ctx.principal, workspaceId);
    requireKeyManagementAllowed(ctx.principal);
    const { record, changed } = await this.store.transact(async (tx) => {
      const key = await this.find(tx, workspaceId, keyId);
      if (key.status === status) return { record: key, changed: false };
      if (key.status === 'revoked') this.requireNotRevoked(key);
      const timestamp = ctx.now.toISOString();
      const next: ApiKeyRecord = { ...key, status, updated_at: timestamp };
      if (status === 'disabled') next.disabled_at = timestamp;
      if (status === 'active') next.disabled_at = null;
      if (status === 'revoked') next.revoked_at = timestamp;
      tx.putApiKey(next);
      return { record: next, changed: true };
    });
    if (changed) {
      const type = status === 'active' ? 'api_key.enabled' : status === 'disabled' ? 'api_key.disabled' : 'api_key.revoked';
      ctx.events.push({ type, target: { type: 'api_key', id: record.id, name: record.name } });
    }
    return this.present(record, ctx.now);
  }

  private requireNotRevoked(key: ApiKeyRecord): void {
    if (key.status === 'revoked') {
      throw conflict('key_revoked', 'The API key is revoked', `Key ${key.id} was revoked at ${key.revoked_at}; a revoked key cannot be enabled, rotated or changed.`);
    }
  }

  private async find(reader: StoreReader, workspaceId: string, keyId: string): Promise<ApiKeyRecord> {
    const key = await reader.apiKey(keyId);
    if (!key || key.workspace_id !== workspaceId) throw notFound('api_key_not_found', 'API key', keyId);
    return key;
  }
}
