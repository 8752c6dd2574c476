/** Turning a bearer credential into a {@link Principal}, with a distinct failure for each case. */
import { hash, timingSafeEqual } from 'node:crypto';
import { explainCredentialProblem, explainKeyProblem } from '@tessera/sdk/key-format';
import type { StoreReader } from '../data/store.js';
import { keyEffectiveScopes, memberScopes } from './access.js';
import type { Principal } from './context.js';
import { DomainError } from './errors.js';
import type { ApiKeyRecord } from './model.js';

export type KeyState = 'active' | 'disabled' | 'revoked' | 'expired';

/** SHA-256 hex; the one-shot `crypto.hash` costs about half of a Hash object. */
export function digestOf(secret: string): string {
  return hash('sha256', secret, 'hex');
}

/** The state a key is in at `now`: revoked wins over expired, expired over disabled. */
export function keyStateAt(key: Pick<ApiKeyRecord, 'status' | 'expires_at'>, now: Date): KeyState {
  if (key.status === 'revoked') return 'revoked';
  if (key.expires_at !== null && Date.parse(key.expires_at) <= now.getTime()) return 'expired';
  return key.status;
}

/** Authentication failed; carries the key when one was found, so the failure can be audited against it. */
export class AuthenticationError extends DomainError {
  constructor(code: string, title: string, detail: string, readonly key?: ApiKeyRecord) {
    super('unauthenticated', code, title, detail);
  }
}

const failures = {
  missing: () => new AuthenticationError('missing_credentials', 'No credential', 'Send Authorization: Bearer <API key or personal access token>.'),
  scheme: () => new AuthenticationError('malformed_credentials', 'Malformed credential', 'The Authorization header must be "Bearer <credential>".'),
  unknown: () => new AuthenticationError('invalid_credentials', 'Unknown credential', 'No API key or token matches this credential.'),
};

/** Equal digests, compared without an early exit. */
function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

export function bearerToken(header: string | undefined): string {
  if (header === undefined || header.trim() === '') throw failures.missing();
  const match = /^Bearer +(\S+)\s*$/i.exec(header);
  if (!match) throw failures.scheme();
  return match[1]!;
}

export interface KeyLookup {
  key: ApiKeyRecord;
  state: KeyState;
}

/**
 * Finds the key a raw value names. Returns undefined for an unknown key; throws a
 * malformed-credential error, naming what is wrong, for one that fails the format check.
 */
export async function lookUpKey(store: StoreReader, raw: string, now: Date): Promise<KeyLookup | undefined> {
  const digest = digestOf(raw);
  const key = await store.apiKeyByDigest(digest);
  if (key && sameDigest(key.key_digest, digest)) return { key, state: keyStateAt(key, now) };
  // Only keys this server generated are stored, so a found key is well-formed: the format check
  // (which names a typo precisely) is only needed, and only paid for, when nothing matched.
  const problem = explainKeyProblem(raw);
  if (problem) throw new AuthenticationError('malformed_credentials', 'Malformed API key', `${problem.message}`);
  return undefined;
}

/** API keys carry their environment (`sk_live_…`); anything else is a member token. */
export function isApiKeyShaped(token: string): boolean {
  return token.includes('_live_') || token.includes('_test_');
}

export async function authenticate(store: StoreReader, authorization: string | undefined, now: Date): Promise<Principal> {
  const token = bearerToken(authorization);
  if (isApiKeyShaped(token)) return authenticateKey(store, token, now);
  const problem = explainCredentialProblem(token);
  if (problem) throw new AuthenticationError('malformed_credentials', 'Malformed token', problem.message);
  const digest = digestOf(token);
  const member = await store.memberByTokenDigest(digest);
  if (!member || !sameDigest(member.token_digest, digest)) throw failures.unknown();
  if (member.status !== 'active') {
    throw new AuthenticationError('member_deactivated', 'Member deactivated', 'This personal access token belongs to a deactivated member.');
  }
  const workspace = await store.workspace(member.workspace_id);
  if (!workspace) throw failures.unknown();
  return { kind: 'member', workspace, member, scopes: await memberScopes(store, member) };
}

async function authenticateKey(store: StoreReader, raw: string, now: Date): Promise<Principal> {
  const found = await lookUpKey(store, raw, now);
  if (!found) throw failures.unknown();
  const { key, state } = found;
  if (state === 'revoked') throw new AuthenticationError('key_revoked', 'The API key is revoked', `This key was revoked at ${key.revoked_at}.`, key);
  if (state === 'expired') throw new AuthenticationError('key_expired', 'The API key has expired', `This key expired at ${key.expires_at}. Renew it or create a new key.`, key);
  if (state === 'disabled') throw new AuthenticationError('key_disabled', 'The API key is disabled', 'This key is disabled; enable it to use it again.', key);
  const [workspace, creator] = await Promise.all([store.workspace(key.workspace_id), store.member(key.created_by)]);
  if (!workspace || !creator) throw failures.unknown();
  return { kind: 'api_key', workspace, member: creator, key, scopes: await keyEffectiveScopes(store, key, creator) };
}
