import type { OpenAPIHono } from '@hono/zod-openapi';
import type { TesseraStore } from '../data/store.js';
import type { ApiKeyService } from '../domain/api-keys.js';
import type { MemberService } from '../domain/members.js';
import type { RoleService } from '../domain/roles.js';
import type { VerificationService } from '../domain/verification.js';
import type { WorkspaceService } from '../domain/workspaces.js';
import type { AppEnv } from '../http/env.js';
import type { RequestAuditor } from '../http/auditing.js';
import type { EventPipeline } from '../events.js';

/** What route modules are given: domain services, never storage internals. */
export interface Services {
  store: TesseraStore;
  workspaces: WorkspaceService;
  members: MemberService;
  roles: RoleService;
  apiKeys: ApiKeyService;
  verification: VerificationService;
  auditor: RequestAuditor;
  /** Audit log, usage counters, Prometheus metrics, alerts. */
  pipeline: EventPipeline;
  version: string;
  startedAt: number;
}

export type App = OpenAPIHono<AppEnv>;
