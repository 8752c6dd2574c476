/**
 * The records Tessera stores. Field names match the API (snake_case) so that presenting a
 * record is mostly leaving out the secrets; derived values (a key's `expired` status, its broad
 * scopes) are computed when presented, never stored.
 */
import type { components } from '@tessera/spec';

type Schemas = components['schemas'];
export type RateLimit = Schemas['RateLimit'];
export type WorkspaceSettings = Schemas['WorkspaceSettings'];
export type Metadata = Schemas['Metadata'];
export type Environment = Schemas['Environment'];

export type WorkspaceRecord = Schemas['Workspace'];

export interface MemberRecord {
  id: string;
  workspace_id: string;
  name: string;
  email: string;
  role: string;
  status: 'active' | 'deactivated';
  /** SHA-256 of the personal access token, hex. The token itself is never stored. */
  token_digest: string;
  token_prefix: string;
  created_at: string;
  updated_at: string;
  deactivated_at: string | null;
}

/** A custom role; `admin` and `member` are built in and not stored. */
export type RoleRecord = Schemas['Role'];

/** A scope the workspace added to its catalog; Tessera's own scopes are built in. */
export interface ScopeRecord {
  workspace_id: string;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string;
}

export type StoredKeyStatus = 'active' | 'disabled' | 'revoked';

export interface ApiKeyRecord {
  id: string;
  workspace_id: string;
  name: string;
  description: string | null;
  environment: Environment;
  /** SHA-256 of the full key, hex. The key itself is never stored. */
  key_digest: string;
  key_prefix: string;
  last_four: string;
  scopes: string[];
  roles: string[];
  status: StoredKeyStatus;
  expires_at: string | null;
  rate_limit: RateLimit | null;
  metadata: Metadata;
  created_by: string;
  created_by_key: string | null;
  created_at: string;
  updated_at: string;
  rotated_from: string | null;
  rotated_to: string | null;
  disabled_at: string | null;
  revoked_at: string | null;
}

export interface TesseraData {
  schema_version: 1;
  workspaces: Record<string, WorkspaceRecord>;
  members: Record<string, MemberRecord>;
  roles: Record<string, RoleRecord>;
  /** Keyed by `${workspace_id} ${name}`. */
  scopes: Record<string, ScopeRecord>;
  api_keys: Record<string, ApiKeyRecord>;
}

export function emptyData(): TesseraData {
  return { schema_version: 1, workspaces: {}, members: {}, roles: {}, scopes: {}, api_keys: {} };
}
