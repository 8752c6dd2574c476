import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keysOf, startTestServer, type TestServer } from './harness.js';

let s: TestServer;
beforeEach(async () => (s = await startTestServer()));
afterEach(async () => s.checkInvariants());

describe('workspaces', () => {
  it('reads and updates settings; defaults match the brief', async () => {
    const ws = await s.call('GET', `/v1/workspaces/${s.ws}`, { token: s.admin });
    expect(ws.body.settings).toEqual({ key_prefix: 'sk', default_rate_limit: { requests_per_minute: 1000, burst: 100 }, max_key_lifetime_days: 365, require_expiry: false, api_keys_can_manage_keys: false, audit_retention_days: 90 });
    const updated = await s.call('PATCH', `/v1/workspaces/${s.ws}`, { token: s.admin, body: { name: 'Acme Production', settings: { key_prefix: 'acme' } } });
    expect(updated.body).toMatchObject({ name: 'Acme Production', settings: { key_prefix: 'acme', require_expiry: false } });
    const badPrefix = await s.call('PATCH', `/v1/workspaces/${s.ws}`, { token: s.admin, body: { settings: { key_prefix: 'Bad-Prefix' } } });
    expect([badPrefix.status, badPrefix.body.errors[0].field]).toEqual([400, 'settings.key_prefix']);
  });

  it('lets only member tokens create workspaces', async () => {
    const key = await s.createKey({ scopes: ['workspaces.write'] });
    const res = await s.call('POST', '/v1/workspaces', { token: key.key, body: { name: 'By a key' } });
    expect([res.status, res.body.code]).toEqual([403, 'member_token_required']);
  });
});

describe('members', () => {
  it('invites, lists, reads, changes role and deactivates', async () => {
    const member = await s.createMember('member', 'grace@example.com');
    expect(member.token.startsWith('tpat_')).toBe(true);
    expect(member.token_prefix).toBe(member.token.slice(0, 11));
    const dup = await s.call('POST', `/v1/workspaces/${s.ws}/members`, { token: s.admin, body: { name: 'Again', email: 'GRACE@example.com' } });
    expect([dup.status, dup.body.code]).toEqual([409, 'email_taken']);
    const listed = await s.call('GET', `/v1/workspaces/${s.ws}/members`, { token: s.admin });
    expect(listed.body.data).toHaveLength(2);
    expect(listed.text).not.toContain('token_digest');
    const promoted = await s.call('PATCH', `/v1/workspaces/${s.ws}/members/${member.id}`, { token: s.admin, body: { role: 'admin' } });
    expect(promoted.body.role).toBe('admin');
    const unknownRole = await s.call('PATCH', `/v1/workspaces/${s.ws}/members/${member.id}`, { token: s.admin, body: { role: 'role_0000000000000000000000' } });
    expect([unknownRole.status, unknownRole.body.code]).toEqual([422, 'unknown_role']);
    const gone = await s.call('POST', `/v1/workspaces/${s.ws}/members/${member.id}/deactivate`, { token: s.admin });
    expect(gone.body).toMatchObject({ status: 'deactivated', deactivated_at: expect.any(String) });
    const missing = await s.call('GET', `/v1/workspaces/${s.ws}/members/mem_0000000000000000000000`, { token: s.admin });
    expect([missing.status, missing.body.code]).toEqual([404, 'member_not_found']);
    expect(s.events.map((e) => e.type)).toEqual(expect.arrayContaining(['member.created', 'member.updated', 'member.deactivated']));
  });
});

describe('roles and the scope catalog', () => {
  it('creates product scopes and roles, grants a role to a key, and protects built-ins', async () => {
    for (const name of ['metrics.read', 'runs.read']) {
      const created = await s.call('POST', `/v1/workspaces/${s.ws}/scopes`, { token: s.admin, body: { name: name === 'metrics.read' ? 'dashboards.read' : name } });
      expect(created.status).toBe(201);
    }
    const builtinScope = await s.call('PATCH', `/v1/workspaces/${s.ws}/scopes/api_keys.read`, { token: s.admin, body: { description: 'x' } });
    expect([builtinScope.status, builtinScope.body.code]).toEqual([409, 'builtin_scope']);
    const scopes = await s.call('GET', `/v1/workspaces/${s.ws}/scopes?limit=100`, { token: s.admin });
    expect(scopes.body.data.filter((x: { builtin: boolean }) => !x.builtin).map((x: { name: string }) => x.name)).toEqual(['dashboards.read', 'runs.read']);

    const role = await s.call('POST', `/v1/workspaces/${s.ws}/roles`, { token: s.admin, body: { name: 'Read-Only Access', scopes: ['dashboards.read', 'runs.read'] } });
    expect(role.status).toBe(201);
    const taken = await s.call('POST', `/v1/workspaces/${s.ws}/roles`, { token: s.admin, body: { name: 'read-only access', scopes: ['runs.read'] } });
    expect([taken.status, taken.body.code]).toEqual([409, 'name_taken']);
    const key = await s.createKey({ roles: [role.body.id] });
    const verified = await s.call('POST', '/v1/keys/verify', { token: s.admin, body: { key: key.key, required_scopes: ['runs.read'] } });
    expect(verified.body.code).toBe('valid');

    const inUse = await s.call('DELETE', `/v1/workspaces/${s.ws}/roles/${role.body.id}`, { token: s.admin });
    expect([inUse.status, inUse.body.code]).toEqual([409, 'role_in_use']);
    const scopeInUse = await s.call('DELETE', `/v1/workspaces/${s.ws}/scopes/runs.read`, { token: s.admin });
    expect([scopeInUse.status, scopeInUse.body.code]).toEqual([409, 'scope_in_use']);
    const narrowed = await s.call('PATCH', `/v1/workspaces/${s.ws}/roles/${role.body.id}`, { token: s.admin, body: { scopes: ['dashboards.read'] } });
    expect(narrowed.body.scopes).toEqual(['dashboards.read']);
    expect((await s.call('POST', '/v1/keys/verify', { token: s.admin, body: { key: key.key, required_scopes: ['runs.read'] } })).body.code).toBe('insufficient_scope');
    await s.call('DELETE', `${s.keysPath}/${key.id}`, { token: s.admin });
    expect((await s.call('DELETE', `/v1/workspaces/${s.ws}/roles/${role.body.id}`, { token: s.admin })).status).toBe(204);
    expect((await s.call('DELETE', `/v1/workspaces/${s.ws}/scopes/runs.read`, { token: s.admin })).status).toBe(204);
    const builtin = await s.call('DELETE', `/v1/workspaces/${s.ws}/roles/admin`, { token: s.admin });
    expect([builtin.status, builtin.body.code]).toEqual([409, 'builtin_role']);
    const roles = await s.call('GET', `/v1/workspaces/${s.ws}/roles`, { token: s.admin });
    expect(roles.body.data.map((r: { id: string }) => r.id)).toEqual(['admin', 'member']);
  });
});

describe('idempotency and rate limits through the app', () => {
  it('replays a POST with the same Idempotency-Key, refuses another body with it', async () => {
    const headers = { 'Idempotency-Key': 'create-ci-key-1' };
    const first = await s.call('POST', s.keysPath, { token: s.admin, headers, body: { name: 'CI/CD Pipeline' } });
    const replay = await s.call('POST', s.keysPath, { token: s.admin, headers, body: { name: 'CI/CD Pipeline' } });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    expect(await keysOf(s.store, s.ws)).toHaveLength(1);
    const other = await s.call('POST', s.keysPath, { token: s.admin, headers, body: { name: 'Another' } });
    expect([other.status, other.body.code]).toEqual([422, 'idempotency_key_reused']);
    const bad = await s.call('POST', s.keysPath, { token: s.admin, headers: { 'Idempotency-Key': 'has space' }, body: { name: 'Bad key' } });
    expect([bad.status, bad.body.code]).toEqual([400, 'invalid_idempotency_key']);
  });

  it('puts rate-limit headers on every key-authenticated response and 429s past limit + burst', async () => {
    const key = await s.createKey({ scopes: ['api_keys.read'], rate_limit: { requests_per_minute: 3, burst: 2 } });
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 6; i++) {
      last = await s.call('GET', '/v1/me', { token: key.key });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last!.headers.get('retry-after')).toBe('20');
    expect(last!.body).toMatchObject({ code: 'rate_limited', retry_after: 20 });
    expect(last!.headers.get('x-ratelimit-limit')).toBe('3');
    expect(last!.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(last!.headers.get('ratelimit-policy')).toContain('w=60');
    expect(s.events.filter((e) => e.type === 'api_key.rate_limited')).toHaveLength(1);
    expect(s.events.filter((e) => e.type === 'api_key.used' && e.actor.id === key.id)).toHaveLength(5);
    const member = await s.call('GET', '/v1/me', { token: s.admin });
    expect(member.headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('answers unknown routes with a problem', async () => {
    // Not through s.call: the route is, by definition, not in the spec.
    const res = await s.app.request('/v1/nothing-here', { headers: { authorization: `Bearer ${s.admin}` } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect((await res.json()).code).toBe('route_not_found');
  });
});

describe('required request bodies', () => {
  it('answers a missing body with 400 validation_failed on field body, with or without a content type, and changes nothing', async () => {
    const role = await s.call('POST', `/v1/workspaces/${s.ws}/roles`, { token: s.admin, body: { name: 'Body Check', scopes: ['api_keys.read'] } });
    const member = await s.createMember();
    const key = await s.createKey();
    const targets: Array<[string, string]> = [
      ['PATCH', `/v1/workspaces/${s.ws}`],
      ['PATCH', `/v1/workspaces/${s.ws}/roles/${role.body.id}`],
      ['PATCH', `/v1/workspaces/${s.ws}/members/${member.id}`],
      ['PATCH', `${s.keysPath}/${key.id}`],
      ['POST', `/v1/workspaces/${s.ws}/roles`],
      ['POST', s.keysPath],
      ['POST', '/v1/workspaces'],
    ];
    const before = await Promise.all(targets.map(([, path]) => s.call('GET', path, { token: s.admin })));
    const eventsBefore = s.events.length;
    const noBody: Array<[string, Record<string, string>, string | undefined]> = [
      ['no content type, no body', {}, undefined],
      ['JSON, empty body', { 'content-type': 'application/json' }, ''],
      ['JSON, whitespace', { 'content-type': 'application/json; charset=utf-8' }, ' \n'],
    ];
    for (const [method, path] of targets) {
      for (const [label, headers, rawBody] of noBody) {
        const res = await s.call(method, path, { token: s.admin, headers, ...(rawBody === undefined ? {} : { rawBody }) });
        expect([method, path, label, res.status, res.body.code, res.body.errors]).toEqual([method, path, label, 400, 'validation_failed', [expect.objectContaining({ field: 'body', code: 'required' })]]);
      }
    }
    const after = await Promise.all(targets.map(([, path]) => s.call('GET', path, { token: s.admin })));
    expect(after.map((r) => r.body)).toEqual(before.map((r) => r.body));
    expect(s.events.slice(eventsBefore).filter((e) => !e.type.endsWith('.used'))).toEqual([]);
    // A body with the wrong content type is still a 415, and a sent body still works.
    const wrongType = await s.call('PATCH', `/v1/workspaces/${s.ws}`, { token: s.admin, headers: { 'content-type': 'text/plain' }, rawBody: '' });
    expect([wrongType.status, wrongType.body.code]).toEqual([415, 'unsupported_media_type']);
    expect((await s.call('PATCH', `/v1/workspaces/${s.ws}/roles/${role.body.id}`, { token: s.admin, body: { description: 'Checked' } })).status).toBe(200);
  });
});
