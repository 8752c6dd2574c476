import type { ApiKeyRecord, MemberRecord, WorkspaceRecord } from './model.js';
import type { components } from '@tessera/spec';

export type AuditEventType = components['schemas']['AuditEventType'];
export type AuditTarget = components['schemas']['AuditTarget'];

/** Who is acting: a member with their token, or an API key (acting within its creator's rights). */
export interface Principal {
  kind: 'member' | 'api_key';
  workspace: WorkspaceRecord;
  /** The member, or the member who created the key. */
  member: MemberRecord;
  key?: ApiKeyRecord;
  /** Effective scopes right now. */
  scopes: string[];
}

/** An event a service reports; the HTTP layer adds who, where and the outcome, then records it. */
export interface PendingEvent {
  type: AuditEventType;
  target: AuditTarget | null;
  details?: Record<string, unknown>;
}

export interface ActionContext {
  principal: Principal;
  now: Date;
  events: PendingEvent[];
}
