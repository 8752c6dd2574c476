import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateApiKey } from '@tessera/sdk/key-format';
import { startTestServer, type TestServer } from './harness.js';

let s: TestServer;
beforeEach(async () => (s = await startTestServer()));
afterEach(async () => s.checkInvariants());

describe('authentication', () => {
  it('gives each failure its own 401 code', async () => {
    const key = await s.createKey({ expires_in: '15d' });
    const typo = key.key.slice(0, 20) + (key.key[20] === 'a' ? 'b' : 'a') + key.key.slice(21);
    const cases: Array<[string, Record<string, string>, string]> = [
      ['no header', {}, 'missing_credentials'],
      ['basic auth', { authorization: 'Basic dXNlcjpwYXNz' }, 'malformed_credentials'],
      ['a typo in the key', { authorization: `Bearer ${typo}` }, 'malformed_credentials'],
      ['a well-formed unknown key', { authorization: `Bearer ${generateApiKey({ prefix: 'sk', environment: 'live' })}` }, 'invalid_credentials'],
      ['an unknown token', { authorization: 'Bearer an-operator-token-that-nobody-has-issued-0001' }, 'invalid_credentials'],
    ];
    for (const [name, headers, code] of cases) {
      const res = await s.call('GET', '/v1/me', { headers });
      expect([name, res.status, res.body.code]).toEqual([name, 401, code]);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
    await s.call('POST', `${s.keysPath}/${key.id}/disable`, { token: s.admin });
    expect((await s.call('GET', '/v1/me', { token: key.key })).body.code).toBe('key_disabled');
    await s.call('POST', `${s.keysPath}/${key.id}/enable`, { token: s.admin });
    s.clock.advance(16 * 86_400_000);
    expect((await s.call('GET', '/v1/me', { token: key.key })).body.code).toBe('key_expired');
    await s.call('POST', `${s.keysPath}/${key.id}/revoke`, { token: s.admin });
    expect((await s.call('GET', '/v1/me', { token: key.key })).body.code).toBe('key_revoked');
    const failures = s.events.filter((e) => e.type === 'api_key.failed_auth' && e.target?.id === key.id);
    expect(failures.map((e) => e.details.code)).toEqual(['key_disabled', 'key_expired', 'key_revoked']);
  });

  it('refuses a deactivated member token and tells a token who it is', async () => {
    const member = await s.createMember();
    const me = await s.call('GET', '/v1/me', { token: member.token });
    expect(me.body).toMatchObject({ credential: { type: 'member_token', id: member.id }, workspace: { id: s.ws } });
    expect(me.body.scopes).toContain('api_keys.read');
    await s.call('POST', `/v1/workspaces/${s.ws}/members/${member.id}/deactivate`, { token: s.admin });
    expect((await s.call('GET', '/v1/me', { token: member.token })).body.code).toBe('member_deactivated');
  });

  it('audits a failed authentication against the workspace the path names', async () => {
    await s.call('GET', s.keysPath, { headers: { authorization: `Bearer ${generateApiKey({ prefix: 'sk', environment: 'live' })}` } });
    const event = s.events.find((e) => e.type === 'api_key.failed_auth');
    expect(event).toMatchObject({ workspace_id: s.ws, status: 401, details: { code: 'invalid_credentials' }, target: null });
  });
});

describe('authorization', () => {
  it('lets members read but not write, with 403 naming the scope', async () => {
    const member = await s.createMember();
    expect((await s.call('GET', s.keysPath, { token: member.token })).status).toBe(200);
    const res = await s.call('POST', s.keysPath, { token: member.token, body: { name: 'Nope' } });
    expect([res.status, res.body.code, res.body.required_scopes]).toEqual([403, 'insufficient_scope', ['api_keys.write']]);
    expect((await s.call('POST', `/v1/workspaces/${s.ws}/members`, { token: member.token, body: { name: 'X', email: 'x@example.com' } })).status).toBe(403);
  });

  it('acts with a key only within its scopes', async () => {
    const reader = await s.createKey({ scopes: ['api_keys.read'] });
    expect((await s.call('GET', s.keysPath, { token: reader.key })).status).toBe(200);
    const denied = await s.call('GET', `/v1/workspaces/${s.ws}/members`, { token: reader.key });
    expect([denied.status, denied.body.code]).toEqual([403, 'insufficient_scope']);
    expect(denied.headers.get('x-ratelimit-limit')).toBe('1000');
  });

  it("can't mint a key with a key unless the workspace allows it", async () => {
    const writer = await s.createKey({ scopes: ['api_keys.write', 'api_keys.read'] });
    const refused = await s.call('POST', s.keysPath, { token: writer.key, body: { name: 'Child' } });
    expect([refused.status, refused.body.code]).toEqual([403, 'keys_cannot_manage_keys']);
    const other = await s.createKey();
    expect((await s.call('POST', `${s.keysPath}/${other.id}/revoke`, { token: writer.key })).body.code).toBe('keys_cannot_manage_keys');
    await s.call('PATCH', `/v1/workspaces/${s.ws}`, { token: s.admin, body: { settings: { api_keys_can_manage_keys: true } } });
    const child = await s.call('POST', s.keysPath, { token: writer.key, body: { name: 'Child', scopes: ['api_keys.read'] } });
    expect(child.status).toBe(201);
    expect(child.body.created_by_key).toBe(writer.id);
    const escalate = await s.call('POST', s.keysPath, { token: writer.key, body: { name: 'Escalate', scopes: ['members.write'] } });
    expect([escalate.status, escalate.body.code]).toEqual([403, 'scope_not_grantable']);
  });

  it("won't let a key turn on api_keys_can_manage_keys, raise the default rate limit or change the audit retention, whatever its scopes; a member can", async () => {
    const all = await s.createKey({ scopes: ['*'] });
    const wsPath = `/v1/workspaces/${s.ws}`;
    const flip = await s.call('PATCH', wsPath, { token: all.key, body: { settings: { api_keys_can_manage_keys: true } } });
    expect([flip.status, flip.body.code, flip.body.errors?.map((e: { field: string }) => e.field)]).toEqual([403, 'member_token_required', ['settings.api_keys_can_manage_keys']]);
    const sneaked = await s.call('PATCH', wsPath, { token: all.key, body: { name: 'Renamed Workspace', settings: { require_expiry: true, api_keys_can_manage_keys: true } } });
    expect([sneaked.status, sneaked.body.code]).toEqual([403, 'member_token_required']);
    const after = await s.call('GET', wsPath, { token: s.admin });
    expect(after.body.settings.api_keys_can_manage_keys).toBe(false);
    expect(after.body.settings.require_expiry).toBe(false);
    expect((await s.call('POST', s.keysPath, { token: all.key, body: { name: 'Child' } })).body.code).toBe('keys_cannot_manage_keys');
    // Nor shorten (or change at all) how long the audit trail is kept.
    const erase = await s.call('PATCH', wsPath, { token: all.key, body: { settings: { audit_retention_days: 1 } } });
    expect([erase.status, erase.body.code, erase.body.errors?.map((e: { field: string }) => e.field)]).toEqual([403, 'member_token_required', ['settings.audit_retention_days']]);
    expect((await s.call('GET', wsPath, { token: s.admin })).body.settings.audit_retention_days).toBe(90);
    expect((await s.call('PATCH', wsPath, { token: s.admin, body: { settings: { audit_retention_days: 30 } } })).body.settings?.audit_retention_days).toBe(30);
    // Nor raise the default rate limit, which is its own limit when it has none.
    const unlimited = await s.call('PATCH', wsPath, { token: all.key, body: { settings: { default_rate_limit: { requests_per_minute: 100_000, burst: 10_000 } } } });
    expect([unlimited.status, unlimited.body.code, unlimited.body.errors?.map((e: { field: string }) => e.field)]).toEqual([403, 'member_token_required', ['settings.default_rate_limit']]);
    expect((await s.call('PATCH', wsPath, { token: all.key, body: { settings: { default_rate_limit: { burst: 100, requests_per_minute: 1000 } } } })).status).toBe(200);
    // Other settings, and restating the current value, stay open to a key with workspaces.write.
    expect((await s.call('PATCH', wsPath, { token: all.key, body: { settings: { audit_retention_days: 30 } } })).status).toBe(200);
    expect((await s.call('PATCH', wsPath, { token: all.key, body: { settings: { require_expiry: true, api_keys_can_manage_keys: false } } })).status).toBe(200);
    const admin = await s.createMember('admin');
    for (const token of [s.admin, admin.token]) {
      const on = await s.call('PATCH', wsPath, { token, body: { settings: { api_keys_can_manage_keys: true } } });
      expect([on.status, on.body.settings?.api_keys_can_manage_keys]).toEqual([200, true]);
      expect((await s.call('PATCH', wsPath, { token: all.key, body: { settings: { api_keys_can_manage_keys: false } } })).body.code).toBe('member_token_required');
      expect((await s.call('PATCH', wsPath, { token, body: { settings: { api_keys_can_manage_keys: false } } })).status).toBe(200);
    }
  });

  it('takes rights away from keys when their creator is demoted or deactivated', async () => {
    const creator = await s.createMember('admin');
    const key = await s.createKey({ scopes: ['members.read', 'api_keys.read'] }, creator.token);
    expect((await s.call('GET', `/v1/workspaces/${s.ws}/members`, { token: key.key })).status).toBe(200);
    await s.call('PATCH', `/v1/workspaces/${s.ws}/members/${creator.id}`, { token: s.admin, body: { role: 'member' } });
    expect((await s.call('GET', `/v1/workspaces/${s.ws}/members`, { token: key.key })).status).toBe(200);
    const role = await s.call('POST', `/v1/workspaces/${s.ws}/roles`, { token: s.admin, body: { name: 'Key Reader', scopes: ['api_keys.read'] } });
    await s.call('PATCH', `/v1/workspaces/${s.ws}/members/${creator.id}`, { token: s.admin, body: { role: role.body.id } });
    const demoted = await s.call('GET', `/v1/workspaces/${s.ws}/members`, { token: key.key });
    expect([demoted.status, demoted.body.code]).toEqual([403, 'insufficient_scope']);
    expect((await s.call('GET', '/v1/me', { token: key.key })).body.scopes).toEqual(['api_keys.read']);
    await s.call('POST', `/v1/workspaces/${s.ws}/members/${creator.id}/deactivate`, { token: s.admin });
    expect((await s.call('GET', s.keysPath, { token: key.key })).status).toBe(403);
    expect((await s.call('GET', '/v1/me', { token: key.key })).body.scopes).toEqual([]);
  });

  it('answers 404 for everything in another workspace', async () => {
    s.clock.advance(1000);
    const created = await s.call('POST', '/v1/workspaces', { token: s.admin, body: { name: 'Acme Staging' } });
    expect(created.status).toBe(201);
    const other = created.body.workspace.id;
    const otherAdmin = created.body.admin.token;
    const otherKey = await s.call('POST', `/v1/workspaces/${other}/api-keys`, { token: otherAdmin, body: { name: 'Theirs' } });
    expect(otherKey.status).toBe(201);
    for (const path of [`/v1/workspaces/${other}`, `/v1/workspaces/${other}/api-keys`, `/v1/workspaces/${other}/api-keys/${otherKey.body.id}`, `/v1/workspaces/${other}/members`]) {
      const res = await s.call('GET', path, { token: s.admin });
      expect([path, res.status, res.body.code]).toEqual([path, 404, 'workspace_not_found']);
      expect(res.body.detail).toBe(`No workspace ${other} among your workspaces.`);
    }
    const mine = await s.call('GET', `${s.keysPath}/${otherKey.body.id}`, { token: s.admin });
    expect([mine.status, mine.body.code]).toEqual([404, 'api_key_not_found']);
    const verify = await s.call('POST', '/v1/keys/verify', { token: s.admin, body: { key: otherKey.body.key } });
    expect(verify.body).toMatchObject({ valid: false, code: 'not_found', key: null });
    const listed = await s.call('GET', '/v1/workspaces', { token: s.admin });
    expect(listed.body.data.map((w: { id: string }) => w.id)).toEqual([s.ws, other]);
  });

  it('never leaves a workspace without an admin', async () => {
    const admins = await s.call('GET', `/v1/workspaces/${s.ws}/members`, { token: s.admin });
    const self = admins.body.data[0].id;
    const demote = await s.call('PATCH', `/v1/workspaces/${s.ws}/members/${self}`, { token: s.admin, body: { role: 'member' } });
    expect([demote.status, demote.body.code]).toEqual([409, 'last_admin']);
    expect((await s.call('POST', `/v1/workspaces/${s.ws}/members/${self}/deactivate`, { token: s.admin })).body.code).toBe('last_admin');
  });
});
