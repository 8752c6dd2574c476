/**
 * Everything the audit trail learns from the HTTP layer: the domain's action events, every use of
 * a key, every failed authentication and every rate-limited request, each with who, where and the
 * final status. One request's events share a correlation id.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AuditEventInput, EventSink } from '../audit/types.js';
import type { AuthenticationError } from '../domain/credentials.js';
import type { ApiKeyRecord } from '../domain/model.js';
import type { Principal } from '../domain/context.js';
import type { AppEnv } from './env.js';
import { redactString } from '../audit/redact.js';

type Ctx = Context<AppEnv>;

export class RequestAuditor {
  constructor(private readonly sink: EventSink) {}

  /** One event of this request, built as a single literal (this runs once or twice per request). */
  private event(
    c: Ctx,
    status: number,
    workspaceId: string,
    type: AuditEventInput['type'],
    actor: AuditEventInput['actor'],
    target: AuditEventInput['target'],
    details: Record<string, unknown>,
  ): AuditEventInput {
    const requestId = c.get('requestId');
    return {
      workspace_id: workspaceId,
      type,
      occurred_at: c.get('now').toISOString(),
      actor,
      target,
      ip: clientIp(c),
      user_agent: c.req.header('user-agent') ?? null,
      method: c.req.method,
      path: redactString(c.req.path),
      status,
      request_id: requestId,
      correlation_id: `cor_${requestId.slice(4)}`,
      details,
    };
  }

  private actorOf(principal: Principal): AuditEventInput['actor'] {
    return principal.kind === 'api_key'
      ? { type: 'api_key', id: principal.key!.id, name: principal.key!.name }
      : { type: 'member', id: principal.member.id, name: principal.member.name };
  }

  /**
   * Filed in the key's workspace when the key exists, else in the workspace the path names (if it
   * exists). A credential that matches nothing on a path without a workspace has nowhere to be
   * filed; the Prometheus request counters still count it.
   */
  failedAuthentication(c: Ctx, error: AuthenticationError, status: number, pathWorkspaceId: string | undefined): void {
    const key = error.key;
    const workspaceId = key?.workspace_id ?? pathWorkspaceId;
    if (workspaceId === undefined) return;
    const target = key ? { type: 'api_key' as const, id: key.id, name: key.name } : null;
    this.sink.record(this.event(c, status, workspaceId, 'api_key.failed_auth', { type: 'anonymous', id: null, name: null }, target, { code: error.code }));
  }

  /** After the handler: the domain's events, and the use (or rate limiting) of the calling key. */
  afterRequest(c: Ctx): void {
    const principal = c.get('principal');
    if (!principal) return;
    const status = c.res.status;
    const workspaceId = principal.workspace.id;
    const actor = this.actorOf(principal);
    if (principal.kind === 'api_key') {
      const key = principal.key!;
      const type = status === 429 ? 'api_key.rate_limited' : 'api_key.used';
      this.sink.record(this.event(c, status, workspaceId, type, actor, { type: 'api_key', id: key.id, name: key.name }, {}));
    }
    if (status >= 400) return;
    for (const event of c.get('events')) this.sink.record(this.event(c, status, workspaceId, event.type, actor, event.target, event.details ?? {}));
  }

  /** A verification is a use of the verified key (or a failed authentication of it). */
  verification(c: Ctx, verifierWorkspaceId: string, key: ApiKeyRecord | undefined, code: string): void {
    if (!key) return;
    const type = code === 'valid' || code === 'insufficient_scope' ? 'api_key.used' : code === 'rate_limited' ? 'api_key.rate_limited' : 'api_key.failed_auth';
    const principal = c.get('principal');
    const actor = principal ? this.actorOf(principal) : { type: 'anonymous' as const, id: null, name: null };
    this.sink.record(this.event(c, 200, verifierWorkspaceId, type, actor, { type: 'api_key', id: key.id, name: key.name }, { verify_code: code }));
  }

  middleware(): MiddlewareHandler<AppEnv> {
    return async (c, next) => {
      await next();
      this.afterRequest(c);
    };
  }
}

function clientIp(c: Ctx): string | null {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? null;
}
