/**
 * The Tessera HTTP application: Web-standard Request in, Response out, so the same app runs
 * behind Node's HTTP server, inside MSW handlers and in tests without a port.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import type { EventSink } from './audit/types.js';
import { createMemoryPipeline, type EventPipeline } from './events.js';
import { httpMetrics } from './usage/index.js';
import { alertRoutes } from './routes/alerts.js';
import { auditLogRoutes } from './routes/audit-logs.js';
import { usageRoutes } from './routes/usage.js';
import type { TesseraStore } from './data/store.js';
import { ApiKeyService } from './domain/api-keys.js';
import { DomainError, type DomainErrorKind } from './domain/errors.js';
import { MemberService } from './domain/members.js';
import { RoleService } from './domain/roles.js';
import { VerificationService, keyRateLimitPolicy } from './domain/verification.js';
import { WorkspaceService } from './domain/workspaces.js';
import { RequestAuditor } from './http/auditing.js';
import { authentication } from './http/authentication.js';
import type { AppEnv } from './http/env.js';
import { problem } from './http/problem.js';
import { requestBody, UnsupportedMediaTypeError } from './http/request-body.js';
import { requestContext } from './http/request-id.js';
import { validationHook } from './http/validation.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { docsRoutes } from './http/docs.js';
import { meRoutes } from './routes/me.js';
import { memberRoutes } from './routes/members.js';
import { operationsRoutes } from './routes/operations.js';
import { roleRoutes } from './routes/roles.js';
import type { Services } from './routes/services.js';
import { verifyRoutes } from './routes/verify.js';
import { workspaceRoutes } from './routes/workspaces.js';
import {
  InMemoryIdempotencyStore,
  InMemoryRateLimiter,
  idempotency,
  rateLimit,
  systemClock,
  type Clock,
  type IdempotencyStore,
  type RateLimiter,
} from './traffic/index.js';
import { StoreFailedError } from './storage/index.js';

export const MAX_BODY_BYTES = 64 * 1024;
export const SERVER_VERSION = '0.1.0';

export interface AppOptions {
  store: TesseraStore;
  /** Audit log, usage counters, metrics and alerts; in memory when not given. */
  pipeline?: EventPipeline;
  /** Also told about every event (tests watch with it). Ignored when `pipeline` is given. */
  events?: EventSink;
  clock?: Clock;
  limiter?: RateLimiter;
  idempotency?: IdempotencyStore;
  version?: string;
  /** Called with unexpected errors (never with a raw credential). Default: stderr. */
  logError?: (error: unknown, requestId: string) => void;
}

const statusOfKind: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
};

export function createApp(options: AppOptions) {
  const clock = options.clock ?? systemClock;
  const limiter = options.limiter ?? new InMemoryRateLimiter({ clock });
  const idempotencyStore = options.idempotency ?? new InMemoryIdempotencyStore({ clock });
  const store = options.store;
  const logError = options.logError ?? ((error, requestId) => console.error(`[${requestId}]`, error));
  const pipeline = options.pipeline ?? createMemoryPipeline({ store, clock, observer: options.events });
  const auditor = new RequestAuditor(pipeline.sink);
  const services: Services = {
    store,
    workspaces: new WorkspaceService(store),
    members: new MemberService(store),
    roles: new RoleService(store),
    apiKeys: new ApiKeyService(store),
    verification: new VerificationService(store, limiter),
    auditor,
    pipeline,
    version: options.version ?? SERVER_VERSION,
    startedAt: clock.now(),
  };

  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('*', requestContext(clock));
  app.use('*', httpMetrics(pipeline.metrics));

  app.onError((error, c) => {
    if (error instanceof DomainError) {
      return problem(c, { status: statusOfKind[error.kind], code: error.code, title: error.title, detail: error.detail, ...error.extras });
    }
    if (error instanceof HTTPException) {
      if (error.status === 415) {
        const detail = error instanceof UnsupportedMediaTypeError ? error.message : 'Send Content-Type: application/json.';
        return problem(c, { status: 415, code: 'unsupported_media_type', title: 'The request body must be JSON', detail, errors: [{ field: 'content-type', code: 'unsupported_media_type', message: detail }] });
      }
      if (error.status === 413) return problem(c, { status: 413, code: 'payload_too_large', title: 'The request body is too large', detail: `Bodies may be at most ${MAX_BODY_BYTES} bytes.` });
      if (error.status === 400) return problem(c, { status: 400, code: 'invalid_json', title: 'The body is not valid JSON', detail: error.message, errors: [{ field: 'body', code: 'invalid_json', message: error.message }] });
    }
    logError(error, c.get('requestId'));
    const detail =
      error instanceof StoreFailedError
        ? 'The data store stopped after a failed write and refuses changes until the server is restarted; nothing acknowledged was lost.'
        : 'The server failed to handle this request. Quote the request id when reporting it.';
    return problem(c, { status: 500, code: 'internal_error', title: 'Internal error', detail });
  });

  app.notFound((c) => problem(c, { status: 404, code: 'route_not_found', title: 'No such route', detail: `${c.req.method} ${c.req.path} is not an operation of this API; see /openapi.json.` }));

  app.use('/v1/*', auditor.middleware());
  app.use('/v1/*', authentication(store, auditor));
  app.use(
    '/v1/*',
    rateLimit({
      limiter,
      problem,
      targetOf: (c) => {
        const principal = c.get('principal') as AppEnv['Variables']['principal'];
        if (principal?.kind !== 'api_key') return undefined;
        return { bucketKey: `key:${principal.key!.id}`, policy: keyRateLimitPolicy(principal.key!, principal.workspace.settings.default_rate_limit) };
      },
    }),
  );
  app.use('/v1/*', async (c, next) => {
    const key = c.get('principal')?.key;
    if (key) store.lastUsed.touch(key.id, c.get('now'));
    await next();
  });
  app.use('/v1/*', requestBody(MAX_BODY_BYTES));
  app.use(
    '/v1/*',
    idempotency({
      store: idempotencyStore,
      problem,
      scopeOf: (c) => {
        const principal = c.get('principal') as AppEnv['Variables']['principal'];
        if (!principal) return undefined;
        return principal.kind === 'api_key' ? `key:${principal.key!.id}` : `member:${principal.member.id}`;
      },
    }),
  );

  operationsRoutes(app, services);
  docsRoutes(app);
  meRoutes(app);
  workspaceRoutes(app, services);
  memberRoutes(app, services);
  roleRoutes(app, services);
  apiKeyRoutes(app, services);
  verifyRoutes(app, services);
  auditLogRoutes(app, services);
  usageRoutes(app, services);
  alertRoutes(app, services);

  return { app, services };
}
