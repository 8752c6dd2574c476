/**
 * Scope patterns and their algebra. A pattern is an exact scope (`runs.read`), a resource
 * wildcard (`runs.*`) or everything (`*`). Sets of patterns are intersected exactly, which is
 * how a key's rights are limited by its creator's current rights.
 */

/** Tessera's own API scopes, always in every workspace's catalog. */
export const TESSERA_SCOPES: Record<string, string> = {
  'workspaces.read': 'Read workspaces and their settings.',
  'workspaces.write': 'Create workspaces and change their settings.',
  'members.read': 'List and read members.',
  'members.write': 'Invite members, change their roles, deactivate them.',
  'roles.read': 'List roles and the scope catalog.',
  'roles.write': 'Create, change and delete roles and catalog scopes.',
  'api_keys.read': 'List and read API keys.',
  'api_keys.write': 'Create, update, rotate, disable, enable and revoke API keys.',
  'keys.verify': 'Verify API keys presented to your own API.',
  'audit_logs.read': 'List audit events and check their integrity.',
  'audit_logs.export': 'Export audit events.',
  'metrics.read': 'Read request metrics.',
  'alerts.read': 'List alert subscriptions and deliveries.',
  'alerts.write': 'Create, change, test and delete alert subscriptions.',
};

export const ADMIN_SCOPES = ['*'];
export const MEMBER_SCOPES = [
  'workspaces.read',
  'members.read',
  'roles.read',
  'api_keys.read',
  'keys.verify',
  'audit_logs.read',
  'metrics.read',
  'alerts.read',
];

export function isBroad(pattern: string): boolean {
  return pattern === '*' || pattern.endsWith('.*');
}

/** Whether `pattern` grants everything `other` grants. */
export function covers(pattern: string, other: string): boolean {
  if (pattern === '*') return true;
  if (pattern === other) return true;
  if (pattern.endsWith('.*')) {
    const resource = pattern.slice(0, -1);
    return other !== '*' && other.startsWith(resource);
  }
  return false;
}

export function allows(patterns: readonly string[], scope: string): boolean {
  return patterns.some((p) => covers(p, scope));
}

/** The scopes in `required` that `patterns` do not grant. */
export function missingScopes(patterns: readonly string[], required: readonly string[]): string[] {
  return required.filter((scope) => !allows(patterns, scope));
}

/** The patterns granting exactly what both sets grant, without redundant entries. */
export function intersect(a: readonly string[], b: readonly string[]): string[] {
  const meets: string[] = [];
  for (const x of a) {
    for (const y of b) {
      if (covers(x, y)) meets.push(y);
      else if (covers(y, x)) meets.push(x);
    }
  }
  return normalize(meets);
}

/** Sorted, unique, and without patterns another pattern in the set already covers. */
export function normalize(patterns: readonly string[]): string[] {
  const unique = [...new Set(patterns)];
  return unique.filter((p) => !unique.some((q) => q !== p && covers(q, p))).sort();
}
