/**
 * `@tessera/sdk/hono`: protect a Hono app with Tessera keys.
 *
 * ```ts
 * import { Hono } from 'hono';
 * import { tesseraAuth } from '@tessera/sdk/hono';
 *
 * const app = new Hono();
 * app.use('/workflows/*', tesseraAuth({ requiredScopes: ['workflows.execute'] }));
 * app.post('/workflows/:id/run', (c) => c.json({ started_by: c.get('tesseraKey').name }));
 * ```
 *
 * @module
 */
import type { Context, MiddlewareHandler } from 'hono';
import { authenticateRequest, type TesseraAuthBaseOptions } from './fetch-auth.js';
import type { VerifiedKey, VerifyKeyResult } from './types.js';

export type { KeyVerifier, TesseraAuthBaseOptions } from './fetch-auth.js';
export type { VerifiedKey, VerifyKeyResult } from './types.js';

/** The context variables `tesseraAuth` sets. Use as `new Hono<TesseraAuthEnv>()` (or rely on the global typing). */
export interface TesseraAuthEnv {
  /** Hono context variables. */
  Variables: TesseraAuthVariables;
}

/** The variables `tesseraAuth` puts on the context. */
export interface TesseraAuthVariables {
  /** The verified key: id, name, environment, effective scopes, metadata, creator. */
  tesseraKey: VerifiedKey;
  /** The full verdict, including the key's rate-limit state. */
  tesseraVerification: VerifyKeyResult;
}

declare module 'hono' {
  // Makes `c.get('tesseraKey')` typed in any Hono app that imports this module.
  interface ContextVariableMap extends TesseraAuthVariables {}
}

/** Options of {@link tesseraAuth}. */
export interface TesseraAuthOptions extends TesseraAuthBaseOptions {
  /** Scopes every request needs (all of them), or a function choosing them from the context. Default: none. */
  requiredScopes?: readonly string[] | ((c: Context) => readonly string[] | Promise<readonly string[]>) | undefined;
}

/**
 * Hono middleware: lets a request through only with a valid Tessera key (`Authorization: Bearer <key>`)
 * holding `requiredScopes`, and puts the key on the context (`c.get('tesseraKey')`). Refusals, as
 * `application/problem+json`: 401 with `missing_credentials`, `malformed_credentials`, `invalid_credentials`
 * (unknown key), `key_expired`, `key_revoked` or `key_disabled`; 403 `insufficient_scope` (with
 * `missing_scopes`); 429 `rate_limited` with `Retry-After`. Every answer to a found key carries its
 * `X-RateLimit-*` and `RateLimit-Policy` / `RateLimit` headers. When Tessera cannot be reached the request is
 * refused with 503 `verification_unavailable` (fail closed).
 */
export function tesseraAuth(options: TesseraAuthOptions = {}): MiddlewareHandler<TesseraAuthEnv> {
  return async (c, next) => {
    const required = typeof options.requiredScopes === 'function' ? await options.requiredScopes(c) : (options.requiredScopes ?? []);
    const outcome = await authenticateRequest(c.req.raw, required, options);
    if (!outcome.ok) return outcome.response;
    c.set('tesseraKey', outcome.key);
    c.set('tesseraVerification', outcome.verification);
    await next();
    for (const [name, value] of outcome.headers) c.header(name, value);
  };
}
