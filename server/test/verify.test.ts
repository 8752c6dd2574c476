import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

let s: TestServer;
beforeEach(async () => (s = await startTestServer()));
afterEach(async () => s.checkInvariants());

const verify = (token: string, body: unknown) => s.call('POST', '/v1/keys/verify', { token, body });

describe('POST /v1/keys/verify', () => {
  it('answers valid with identity, effective scopes and rate-limit state, and counts a use', async () => {
    await s.call('POST', `/v1/workspaces/${s.ws}/scopes`, { token: s.admin, body: { name: 'workflows.execute' } });
    const key = await s.createKey({ name: 'CI/CD Pipeline', scopes: ['workflows.execute'], rate_limit: { requests_per_minute: 100, burst: 20 } });
    const res = await verify(s.admin, { key: key.key, required_scopes: ['workflows.execute'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: true, code: 'valid', key: { id: key.id, name: 'CI/CD Pipeline', scopes: ['workflows.execute'] }, missing_scopes: [], rate_limit: { limit: 100, burst: 20, remaining: 119 } });
    const after = await s.call('GET', `${s.keysPath}/${key.id}`, { token: s.admin });
    expect(after.body.last_used_at).toBe(new Date(s.clock.now()).toISOString());
    expect(s.events.find((e) => e.type === 'api_key.used' && e.target?.id === key.id)?.details).toEqual({ verify_code: 'valid' });
  });

  it('gives every refusal its reason', async () => {
    const key = await s.createKey({ scopes: ['metrics.read'], expires_in: '15d' });
    expect((await verify(s.admin, { key: key.key, required_scopes: ['api_keys.write'] })).body).toMatchObject({ valid: false, code: 'insufficient_scope', missing_scopes: ['api_keys.write'] });
    expect((await verify(s.admin, { key: 'sk_live_tooshort' })).body).toMatchObject({ valid: false, code: 'malformed', key: null });
    expect((await verify(s.admin, { key: `${key.key.slice(0, -1)}${key.key.endsWith('A') ? 'B' : 'A'}` })).body.code).toBe('malformed');
    await s.call('POST', `${s.keysPath}/${key.id}/disable`, { token: s.admin });
    expect((await verify(s.admin, { key: key.key })).body).toMatchObject({ valid: false, code: 'disabled', key: { status: 'disabled' } });
    await s.call('POST', `${s.keysPath}/${key.id}/enable`, { token: s.admin });
    s.clock.advance(16 * 86_400_000);
    expect((await verify(s.admin, { key: key.key })).body.code).toBe('expired');
    await s.call('DELETE', `${s.keysPath}/${key.id}`, { token: s.admin });
    expect((await verify(s.admin, { key: key.key })).body.code).toBe('revoked');
    const unknown = await s.createKey();
    await s.call('DELETE', `${s.keysPath}/${unknown.id}`, { token: s.admin });
  });

  it('spends the verified key\'s rate limit and says when it is spent', async () => {
    const key = await s.createKey({ rate_limit: { requests_per_minute: 2, burst: 1 } });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await verify(s.admin, { key: key.key })).body.code);
    expect(codes).toEqual(['valid', 'valid', 'valid', 'rate_limited']);
    const limited = await verify(s.admin, { key: key.key });
    expect(limited.body.rate_limit).toMatchObject({ remaining: 0, retry_after: 30 });
    s.clock.advance(30_000);
    expect((await verify(s.admin, { key: key.key })).body.code).toBe('valid');
    expect((await s.call('GET', '/v1/me', { token: key.key })).status).toBe(429);
  });

  it('needs the keys.verify scope and a body', async () => {
    const plain = await s.createKey({ scopes: ['metrics.read'] });
    const denied = await verify(plain.key, { key: plain.key });
    expect([denied.status, denied.body.code]).toEqual([403, 'insufficient_scope']);
    const verifier = await s.createKey({ scopes: ['keys.verify'] });
    expect((await verify(verifier.key, { key: plain.key })).body.code).toBe('valid');
    const empty = await verify(verifier.key, {});
    expect([empty.status, empty.body.errors[0]]).toEqual([400, { field: 'key', code: 'required', message: 'Required.' }]);
  });
});
