/** The scope catalog and the checks that a grant names only scopes and roles that exist. */
import type { StoreReader } from '../data/store.js';
import { BUILTIN_ROLE_SCOPES } from './access.js';
import { DomainError, type FieldProblem } from './errors.js';
import { TESSERA_SCOPES } from './scopes.js';

export async function catalogScopeNames(store: StoreReader, workspaceId: string): Promise<Set<string>> {
  const custom = await store.scopes(workspaceId);
  return new Set([...Object.keys(TESSERA_SCOPES), ...custom.map((s) => s.name)]);
}

/** Every exact scope must be in the catalog; `resource.*` must name a resource the catalog has. */
export async function requireKnownScopes(store: StoreReader, workspaceId: string, scopes: readonly string[], field = 'scopes'): Promise<void> {
  const catalog = await catalogScopeNames(store, workspaceId);
  const resources = new Set([...catalog].map((s) => s.split('.')[0]));
  const problems: FieldProblem[] = [];
  scopes.forEach((scope, i) => {
    const known = scope === '*' || (scope.endsWith('.*') ? resources.has(scope.slice(0, -2)) : catalog.has(scope));
    if (!known) problems.push({ field: `${field}[${i}]`, code: 'unknown_scope', message: `${scope} is not in this workspace's scope catalog.` });
  });
  if (problems.length > 0) {
    throw new DomainError('unprocessable', 'unknown_scope', 'Unknown scope', `${problems.length} scope(s) are not in the catalog; add them with POST /scopes first.`, { errors: problems });
  }
}

export async function requireKnownRoles(store: StoreReader, workspaceId: string, roleIds: readonly string[], field = 'roles'): Promise<void> {
  const problems: FieldProblem[] = [];
  for (const [i, id] of roleIds.entries()) {
    if (BUILTIN_ROLE_SCOPES[id]) continue;
    const role = await store.role(id);
    if (!role || role.workspace_id !== workspaceId) problems.push({ field: `${field}[${i}]`, code: 'unknown_role', message: `No role ${id} in this workspace.` });
  }
  if (problems.length > 0) {
    throw new DomainError('unprocessable', 'unknown_role', 'Unknown role', `${problems.length} role(s) do not exist in this workspace.`, { errors: problems });
  }
}
