/** Who may do what: role scopes, a key's effective scopes, and the checks built on them. */
import { DomainError } from './errors.js';
import type { ApiKeyRecord, MemberRecord } from './model.js';
import { ADMIN_SCOPES, MEMBER_SCOPES, intersect, missingScopes, normalize } from './scopes.js';
import type { StoreReader } from '../data/store.js';
import type { Principal } from './context.js';

export const BUILTIN_ROLE_SCOPES: Record<string, string[]> = { admin: ADMIN_SCOPES, member: MEMBER_SCOPES };

/** The scopes a set of roles grants; unknown (deleted) roles grant nothing. */
export async function scopesOfRoles(store: StoreReader, workspaceId: string, roleIds: readonly string[]): Promise<string[]> {
  const scopes: string[] = [];
  for (const id of roleIds) {
    const builtin = BUILTIN_ROLE_SCOPES[id];
    if (builtin) {
      scopes.push(...builtin);
      continue;
    }
    const role = await store.role(id);
    if (role && role.workspace_id === workspaceId) scopes.push(...role.scopes);
  }
  return normalize(scopes);
}

export async function memberScopes(store: StoreReader, member: MemberRecord): Promise<string[]> {
  if (member.status !== 'active') return [];
  return scopesOfRoles(store, member.workspace_id, [member.role]);
}

/** A key's own grant: its scopes plus its roles' scopes. */
export async function keyGrant(store: StoreReader, key: Pick<ApiKeyRecord, 'workspace_id' | 'scopes' | 'roles'>): Promise<string[]> {
  return normalize([...key.scopes, ...(await scopesOfRoles(store, key.workspace_id, key.roles))]);
}

/** What a key may do now: its grant, limited by what its creator may do now. */
export async function keyEffectiveScopes(store: StoreReader, key: ApiKeyRecord, creator: MemberRecord | undefined): Promise<string[]> {
  if (!creator) return [];
  return intersect(await keyGrant(store, key), await memberScopes(store, creator));
}

export function requireScopes(principal: Principal, required: readonly string[]): void {
  const missing = missingScopes(principal.scopes, required);
  if (missing.length > 0) {
    throw new DomainError(
      'forbidden',
      'insufficient_scope',
      'The credential lacks a required scope',
      `This operation needs the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`,
      { required_scopes: [...required] },
    );
  }
}

/** "You can't mint a key with a key", unless the workspace allows it. */
export function requireKeyManagementAllowed(principal: Principal): void {
  if (principal.kind === 'api_key' && !principal.workspace.settings.api_keys_can_manage_keys) {
    throw new DomainError(
      'forbidden',
      'keys_cannot_manage_keys',
      'API keys cannot manage API keys here',
      "This workspace does not let API keys create, change, rotate or revoke keys, or create members (whose tokens are credentials too); use a member's token, or turn on api_keys_can_manage_keys.",
    );
  }
}

/** A caller can hand out only rights it holds itself. */
export function requireGrantable(principal: Principal, grant: readonly string[]): void {
  const beyond = missingScopes(principal.scopes, grant.filter((s) => s !== '*' && !s.endsWith('.*')));
  const broadBeyond = grant.filter((s) => (s === '*' || s.endsWith('.*')) && !principal.scopes.some((p) => p === '*' || p === s));
  const denied = [...beyond, ...broadBeyond];
  if (denied.length > 0) {
    throw new DomainError(
      'forbidden',
      'scope_not_grantable',
      'You cannot grant rights you do not hold',
      `The caller does not hold ${denied.join(', ')}, so it cannot grant ${denied.length > 1 ? 'them' : 'it'}.`,
      { required_scopes: denied },
    );
  }
}
