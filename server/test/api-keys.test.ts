import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isWellFormedKey } from '@tessera/sdk/key-format';
import { keysOf, startTestServer, T0, type TestServer } from './harness.js';

let s: TestServer;
beforeEach(async () => (s = await startTestServer()));
afterEach(async () => s.checkInvariants());

const DAY = 86_400_000;

describe('create', () => {
  it('returns a well-formed key once, with display prefix and last four', async () => {
    const key = await s.createKey({ name: 'CI/CD Pipeline', scopes: ['api_keys.read'], expires_in: '90d', metadata: { team: 'platform' } });
    expect(isWellFormedKey(key.key)).toBe(true);
    expect(key.key.startsWith('sk_live_')).toBe(true);
    expect(key.key_prefix).toBe(key.key.slice(0, 12));
    expect(key.last_four).toBe(key.key.slice(-4));
    expect(key.expires_at).toBe(new Date(T0 + 90 * DAY).toISOString());
    const fetched = await s.call('GET', `${s.keysPath}/${key.id}`, { token: s.admin });
    expect(fetched.status).toBe(200);
    expect(fetched.body.key).toBeUndefined();
    expect(s.events.map((e) => e.type)).toContain('api_key.created');
  });

  it('makes test keys and uses the workspace prefix', async () => {
    await s.call('PATCH', `/v1/workspaces/${s.ws}`, { token: s.admin, body: { settings: { key_prefix: 'acme' } } });
    const key = await s.createKey({ environment: 'test' });
    expect(key.key.startsWith('acme_test_')).toBe(true);
  });

  it.each([
    ['15d', 15], ['25d', 25], ['30d', 30], ['45d', 45], ['60d', 60], ['90d', 90], ['180d', 180], ['6m', 182], ['1y', 365],
  ])('accepts the preset %s', async (preset, days) => {
    const key = await s.createKey({ expires_in: preset });
    expect(Date.parse(key.expires_at) - T0).toBe(days * DAY);
  });

  it('accepts an exact date and never', async () => {
    expect((await s.createKey({ expires_at: '2026-06-01T00:00:00Z' })).expires_at).toBe('2026-06-01T00:00:00.000Z');
    expect((await s.createKey({ expires_in: 'never' })).expires_at).toBeNull();
    expect((await s.createKey()).expires_at).toBeNull();
  });

  it('refuses never where expiry is required, and any expiry beyond the maximum', async () => {
    await s.call('PATCH', `/v1/workspaces/${s.ws}`, { token: s.admin, body: { settings: { require_expiry: true, max_key_lifetime_days: 30 } } });
    const never = await s.call('POST', s.keysPath, { token: s.admin, body: { name: 'No expiry', expires_in: 'never' } });
    expect([never.status, never.body.code]).toEqual([422, 'expiry_required']);
    const missing = await s.call('POST', s.keysPath, { token: s.admin, body: { name: 'No expiry' } });
    expect(missing.body.code).toBe('expiry_required');
    const tooFar = await s.call('POST', s.keysPath, { token: s.admin, body: { name: 'Too long', expires_in: '45d' } });
    expect([tooFar.status, tooFar.body.code, tooFar.body.errors[0].field]).toEqual([422, 'expiry_too_far', 'expires_in']);
    const past = await s.call('POST', s.keysPath, { token: s.admin, body: { name: 'Past', expires_at: '2020-01-01T00:00:00Z' } });
    expect(past.body.code).toBe('expiry_in_past');
    const both = await s.call('POST', s.keysPath, { token: s.admin, body: { name: 'Both', expires_in: '15d', expires_at: '2026-03-10T00:00:00Z' } });
    expect(both.body.code).toBe('expiry_conflict');
  });

  it('lists every invalid field, and rejects unknown fields, bad JSON and other media types', async () => {
    const bad = await s.call('POST', s.keysPath, { token: s.admin, body: { name: 'x', expires_in: '7d', scope: ['a.b'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_failed');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['expires_in', 'name', 'scope']);
    const json = await s.call('POST', s.keysPath, { token: s.admin, rawBody: '{"name": ', headers: { 'content-type': 'application/json' } });
    expect([json.status, json.body.code]).toEqual([400, 'invalid_json']);
    const text = await s.call('POST', s.keysPath, { token: s.admin, rawBody: 'name=x', headers: { 'content-type': 'text/plain' } });
    expect([text.status, text.body.code]).toEqual([415, 'unsupported_media_type']);
    const huge = await s.call('POST', s.keysPath, { token: s.admin, body: { name: 'Big', description: 'x'.repeat(70_000) } });
    expect([huge.status, huge.body.code]).toEqual([413, 'payload_too_large']);
    expect(await keysOf(s.store, s.ws)).toHaveLength(0);
  });

  it('refuses a JSON body that is not UTF-8 rather than storing replacement characters', async () => {
    const latin1 = Buffer.concat([Buffer.from('{"name":"caf'), Buffer.from([0xe9]), Buffer.from(' key"}')]);
    const raw = new Uint8Array(latin1);
    const invalid = await s.call('POST', s.keysPath, { token: s.admin, rawBody: raw, headers: { 'content-type': 'application/json' } });
    expect([invalid.status, invalid.body.code]).toEqual([400, 'invalid_json']);
    expect(invalid.body.errors).toEqual([{ field: 'body', code: 'invalid_json', message: expect.stringMatching(/not valid UTF-8/) }]);
    expect(invalid.body.detail).toMatch(/not valid UTF-8/);
    const declared = await s.call('POST', s.keysPath, { token: s.admin, rawBody: raw, headers: { 'content-type': 'application/json; charset=latin1' } });
    expect([declared.status, declared.body.code, declared.body.errors?.[0]?.field]).toEqual([415, 'unsupported_media_type', 'content-type']);
    expect(declared.body.detail).toMatch(/must be UTF-8/);
    expect(await keysOf(s.store, s.ws)).toHaveLength(0);
    // Only a body has a charset: a bodyless POST is not refused for its Content-Type.
    const key = await s.createKey();
    const revoke = await s.call('POST', `${s.keysPath}/${key.id}/revoke`, { token: s.admin, headers: { 'content-type': 'application/json; charset=latin1' } });
    expect([revoke.status, revoke.body.status]).toEqual([200, 'revoked']);
    const utf8 = await s.call('POST', s.keysPath, { token: s.admin, rawBody: '{"name":"café key"}', headers: { 'content-type': 'application/json; charset=UTF-8' } });
    expect([utf8.status, utf8.body.name]).toEqual([201, 'café key']);
  });

  it('refuses scopes outside the catalog and reports wildcards as broad', async () => {
    const unknown = await s.call('POST', s.keysPath, { token: s.admin, body: { name: 'Unknown', scopes: ['workflows.execute'] } });
    expect([unknown.status, unknown.body.code, unknown.body.errors[0].field]).toEqual([422, 'unknown_scope', 'scopes[0]']);
    await s.call('POST', `/v1/workspaces/${s.ws}/scopes`, { token: s.admin, body: { name: 'workflows.execute' } });
    const key = await s.createKey({ scopes: ['workflows.execute', 'api_keys.*'] });
    expect(key.broad_scopes).toEqual(['api_keys.*']);
  });
});

describe('list', () => {
  it('filters and walks every page with the cursor', async () => {
    for (let i = 0; i < 7; i++) {
      s.clock.advance(1000);
      await s.createKey({ name: `Key number ${i}`, environment: i % 2 ? 'test' : 'live' });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await s.call('GET', `${s.keysPath}?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: s.admin });
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((k: { name: string }) => k.name));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `Key number ${i}`));
    const test = await s.call('GET', `${s.keysPath}?environment=test&search=NUMBER`, { token: s.admin });
    expect(test.body.data).toHaveLength(3);
    const badCursor = await s.call('GET', `${s.keysPath}?cursor=notacursor`, { token: s.admin });
    expect([badCursor.status, badCursor.body.code]).toEqual([400, 'invalid_cursor']);
    const badLimit = await s.call('GET', `${s.keysPath}?limit=500`, { token: s.admin });
    expect([badLimit.status, badLimit.body.errors[0].field]).toEqual([400, 'limit']);
  });
});

describe('update and renew', () => {
  it('renews an expired key, which then works again', async () => {
    const key = await s.createKey({ expires_in: '15d', scopes: ['api_keys.read'] });
    s.clock.advance(16 * DAY);
    expect((await s.call('GET', '/v1/me', { token: key.key })).body.code).toBe('key_expired');
    expect((await s.call('GET', `${s.keysPath}/${key.id}`, { token: s.admin })).body.status).toBe('expired');
    const renewed = await s.call('PATCH', `${s.keysPath}/${key.id}`, { token: s.admin, body: { expires_in: '30d' } });
    expect([renewed.status, renewed.body.status]).toEqual([200, 'active']);
    expect((await s.call('GET', '/v1/me', { token: key.key })).status).toBe(200);
    expect(s.events.map((e) => e.type)).toContain('api_key.renewed');
  });

  it('changes name, scopes, rate limit and metadata', async () => {
    const key = await s.createKey({ scopes: ['api_keys.read', 'metrics.read'] });
    const res = await s.call('PATCH', `${s.keysPath}/${key.id}`, {
      token: s.admin,
      body: { name: 'Renamed', scopes: ['metrics.read'], rate_limit: { requests_per_minute: 60, burst: 5 }, metadata: { env: 'prod' } },
    });
    expect(res.body).toMatchObject({ name: 'Renamed', scopes: ['metrics.read'], rate_limit: { requests_per_minute: 60, burst: 5 }, metadata: { env: 'prod' } });
    const back = await s.call('PATCH', `${s.keysPath}/${key.id}`, { token: s.admin, body: { rate_limit: null } });
    expect(back.body.rate_limit).toBeNull();
    const empty = await s.call('PATCH', `${s.keysPath}/${key.id}`, { token: s.admin, body: {} });
    expect(empty.status).toBe(400);
  });
});

describe('rotate', () => {
  it('gives a new key with the same settings; the old one works until the grace period ends', async () => {
    const old = await s.createKey({ name: 'Monitoring', scopes: ['metrics.read'], expires_in: '30d', metadata: { team: 'sre' } });
    const rotated = await s.call('POST', `${s.keysPath}/${old.id}/rotate`, { token: s.admin, body: { grace_period_seconds: 3600 } });
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({ name: 'Monitoring', scopes: ['metrics.read'], metadata: { team: 'sre' }, rotated_from: old.id });
    expect(rotated.body.key).not.toBe(old.key);
    expect(rotated.body.previous_key).toMatchObject({ id: old.id, rotated_to: rotated.body.id, expires_at: new Date(T0 + 3600_000).toISOString() });
    expect(Date.parse(rotated.body.expires_at) - T0).toBe(30 * DAY);
    expect((await s.call('GET', '/v1/me', { token: old.key })).status).toBe(200);
    expect((await s.call('GET', '/v1/me', { token: rotated.body.key })).status).toBe(200);
    s.clock.advance(3600_000);
    expect((await s.call('GET', '/v1/me', { token: old.key })).body.code).toBe('key_expired');
    expect((await s.call('GET', '/v1/me', { token: rotated.body.key })).status).toBe(200);
    const again = await s.call('POST', `${s.keysPath}/${old.id}/rotate`, { token: s.admin });
    expect([again.status, again.body.code]).toEqual([409, 'already_rotated']);
    expect(s.events.find((e) => e.type === 'api_key.rotated')?.details).toMatchObject({ old_key_id: old.id, new_key_id: rotated.body.id });
  });

  it('with a zero grace period revokes the old key at once, and works without a body', async () => {
    const old = await s.createKey();
    const rotated = await s.call('POST', `${s.keysPath}/${old.id}/rotate`, { token: s.admin, body: { grace_period_seconds: 0 } });
    expect(rotated.body.previous_key.status).toBe('revoked');
    expect((await s.call('GET', '/v1/me', { token: old.key })).body.code).toBe('key_revoked');
    const other = await s.createKey();
    const noBody = await s.call('POST', `${s.keysPath}/${other.id}/rotate`, { token: s.admin });
    expect(noBody.status).toBe(201);
    const third = await s.createKey();
    const emptyJson = await s.call('POST', `${s.keysPath}/${third.id}/rotate`, { token: s.admin, rawBody: '', headers: { 'content-type': 'application/json' } });
    expect(emptyJson.status).toBe(201);
    expect(noBody.body.previous_key.expires_at).toBe(new Date(T0 + 86_400_000).toISOString());
  });
});

describe('disable, enable, revoke', () => {
  it('disables and enables; revoked stays revoked', async () => {
    const key = await s.createKey();
    expect((await s.call('POST', `${s.keysPath}/${key.id}/disable`, { token: s.admin })).body.status).toBe('disabled');
    expect((await s.call('GET', '/v1/me', { token: key.key })).body.code).toBe('key_disabled');
    expect((await s.call('POST', `${s.keysPath}/${key.id}/enable`, { token: s.admin })).body.status).toBe('active');
    expect((await s.call('GET', '/v1/me', { token: key.key })).status).toBe(200);
    const del = await s.call('DELETE', `${s.keysPath}/${key.id}`, { token: s.admin });
    expect(del.body).toEqual({ id: key.id, status: 'revoked' });
    expect((await s.call('GET', '/v1/me', { token: key.key })).body.code).toBe('key_revoked');
    const enable = await s.call('POST', `${s.keysPath}/${key.id}/enable`, { token: s.admin });
    expect([enable.status, enable.body.code]).toEqual([409, 'key_revoked']);
    const update = await s.call('PATCH', `${s.keysPath}/${key.id}`, { token: s.admin, body: { name: 'Back again' } });
    expect(update.body.code).toBe('key_revoked');
    const listed = await s.call('GET', `${s.keysPath}?status=revoked`, { token: s.admin });
    expect(listed.body.data.map((k: { id: string }) => k.id)).toEqual([key.id]);
    expect((await s.call('POST', `${s.keysPath}/${key.id}/revoke`, { token: s.admin })).body.status).toBe('revoked');
    expect(s.events.filter((e) => e.type === 'api_key.revoked')).toHaveLength(1);
  });

  it('answers 404 for keys that do not exist', async () => {
    const res = await s.call('GET', `${s.keysPath}/key_0000000000000000000000`, { token: s.admin });
    expect([res.status, res.body.code]).toEqual([404, 'api_key_not_found']);
    const bad = await s.call('GET', `${s.keysPath}/not-an-id`, { token: s.admin });
    expect([bad.status, bad.body.errors[0].field]).toEqual([400, 'key_id']);
  });
});
