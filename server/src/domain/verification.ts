/**
 * Verifying a key for the workspace's own backend. Always an answer, never an error: the caller
 * learns whether the key is valid and why not. A verification is a use of the key: it spends
 * one request of the key's rate limit and updates last-used.
 */
import type { TesseraStore } from '../data/store.js';
import type { RateLimitDecision, RateLimiter } from '../traffic/index.js';
import { keyEffectiveScopes } from './access.js';
import type { ActionContext } from './context.js';
import { AuthenticationError, lookUpKey } from './credentials.js';
import type { ApiKeyRecord } from './model.js';
import { missingScopes } from './scopes.js';
import type { components } from '@tessera/spec';

export type VerifyResult = components['schemas']['VerifyApiKeyResult'];
export type VerifyCode = VerifyResult['code'];

export interface VerifyOutcome {
  result: VerifyResult;
  /** The key that was found, for auditing; absent when not found or malformed. */
  key?: ApiKeyRecord;
}

export function keyRateLimitPolicy(key: ApiKeyRecord, defaults: { requests_per_minute: number; burst: number }) {
  const limit = key.rate_limit ?? defaults;
  return { requestsPerMinute: limit.requests_per_minute, burst: limit.burst };
}

export function rateLimitState(decision: RateLimitDecision): NonNullable<VerifyResult['rate_limit']> {
  return {
    limit: decision.limit,
    burst: decision.burst,
    remaining: decision.remaining,
    reset: decision.resetAtSeconds,
    ...(decision.allowed ? {} : { retry_after: decision.retryAfterSeconds }),
  };
}

function refusal(code: VerifyCode): VerifyOutcome {
  return { result: { valid: false, code, key: null, missing_scopes: [], rate_limit: null } };
}

export class VerificationService {
  constructor(
    private readonly store: TesseraStore,
    private readonly limiter: RateLimiter,
  ) {}

  async verify(ctx: ActionContext, input: { key: string; required_scopes?: string[] | undefined }): Promise<VerifyOutcome> {
    // A key of another workspace is `not_found` to the caller, like anything else there.
    const workspace = ctx.principal.workspace;
    let found;
    try {
      found = await lookUpKey(this.store, input.key, ctx.now);
    } catch (error) {
      if (error instanceof AuthenticationError) return refusal('malformed');
      throw error;
    }
    if (!found || found.key.workspace_id !== workspace.id) return refusal('not_found');
    const { key, state } = found;
    const creator = await this.store.member(key.created_by);
    const scopes = await keyEffectiveScopes(this.store, key, creator);
    const identity = {
      id: key.id,
      workspace_id: key.workspace_id,
      name: key.name,
      environment: key.environment,
      key_prefix: key.key_prefix,
      status: state,
      scopes,
      roles: key.roles,
      expires_at: key.expires_at,
      metadata: key.metadata,
      created_by: key.created_by,
    };
    if (state !== 'active') return { result: { valid: false, code: state, key: identity, missing_scopes: [], rate_limit: null }, key };
    const decision = await this.limiter.consume(`key:${key.id}`, keyRateLimitPolicy(key, workspace.settings.default_rate_limit));
    const rate_limit = rateLimitState(decision);
    if (!decision.allowed) return { result: { valid: false, code: 'rate_limited', key: identity, missing_scopes: [], rate_limit }, key };
    this.store.lastUsed.touch(key.id, ctx.now);
    const missing = missingScopes(scopes, input.required_scopes ?? []);
    const code: VerifyCode = missing.length > 0 ? 'insufficient_scope' : 'valid';
    return { result: { valid: code === 'valid', code, key: identity, missing_scopes: missing, rate_limit }, key };
  }
}
