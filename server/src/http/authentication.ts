/**
 * Authenticates every `/v1` request and enforces each operation's scopes (taken from the spec's
 * `x-required-scopes`, via the generated operation table). A failure is audited and answered
 * with the 401 code that says exactly what is wrong.
 */
import type { MiddlewareHandler } from 'hono';
import { operations, type OperationId } from '@tessera/spec';
import { requireScopes } from '../domain/access.js';
import { AuthenticationError, authenticate } from '../domain/credentials.js';
import type { TesseraStore } from '../data/store.js';
import type { AppEnv } from './env.js';
import type { RequestAuditor } from './auditing.js';
import { problem } from './problem.js';

export function authentication(store: TesseraStore, auditor: RequestAuditor): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    try {
      c.set('principal', await authenticate(store, c.req.header('authorization'), c.get('now')));
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      const response = problem(
        c,
        { status: 401, code: error.code, title: error.title, detail: error.detail },
        { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${error.code}"` },
      );
      const named = /^\/v1\/workspaces\/(ws_[0-9A-Za-z]{22})(\/|$)/.exec(c.req.path)?.[1];
      const pathWorkspaceId = named !== undefined && (await store.workspace(named)) ? named : undefined;
      auditor.failedAuthentication(c, error, response.status, pathWorkspaceId);
      return response;
    }
    await next();
  };
}

/** Route middleware: the caller must hold the operation's scopes. */
export function requireOperationScopes(operationId: OperationId): MiddlewareHandler<AppEnv> {
  const required = operations[operationId].requiredScopes as readonly string[];
  return async (c, next) => {
    const principal = c.get('principal');
    if (principal) requireScopes(principal, required);
    await next();
  };
}
