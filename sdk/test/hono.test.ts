import { Hono } from 'hono';
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { tesseraAuth, type TesseraAuthEnv } from '../src/hono.js';
import type { VerifyKeyResult } from '../src/types.js';
import { INCOMING_KEY, mockVerify, verifyingClient } from './auth-support.js';
import * as fx from './fixtures.js';
import { API_KEY, problemResponse, useMswServer } from './helpers.js';

const server = useMswServer();

function makeApp(requiredScopes: string[] | ((c: { req: { method: string } }) => string[]) = ['workflows.execute']) {
  const app = new Hono<TesseraAuthEnv>();
  app.use('/api/*', tesseraAuth({ client: verifyingClient(), requiredScopes }));
  app.post('/api/run', (c) => {
    const key = c.get('tesseraKey');
    return c.json({ started_by: key.name, key_id: key.id, scopes: key.scopes, remaining: c.get('tesseraVerification').rate_limit?.remaining });
  });
  app.get('/api/raw', () => new Response('raw body', { status: 200 }));
  return app;
}

const withKey = (key: string = INCOMING_KEY, init: RequestInit = {}) => ({ ...init, method: init.method ?? 'POST', headers: { Authorization: `Bearer ${key}` } });

async function problemOf(res: Response) {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  return (await res.json()) as Record<string, unknown>;
}

describe('tesseraAuth (Hono)', () => {
  it('lets a valid key through, puts it on the context, and adds its rate-limit headers', async () => {
    const calls = mockVerify(server, fx.verifyResult('valid'));
    const res = await makeApp().request('/api/run', withKey());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ started_by: 'CI/CD Pipeline', key_id: 'key_4Rt7Yu1Io5Pa8Sd2Fg6Hj9', scopes: ['workflows.execute'], remaining: 119 });
    expect(res.headers.get('x-ratelimit-limit')).toBe('100');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('119');
    expect(res.headers.get('x-ratelimit-reset')).toBe(String(fx.RESET));
    expect(res.headers.get('ratelimit-policy')).toBe('"default";q=100;w=60;tessera-burst=20');
    expect(res.headers.get('ratelimit')).toMatch(/^"default";r=119;t=\d+$/);
    expect(res.headers.has('retry-after')).toBe(false);
    // The incoming key is verified with the required scopes, using the app's own Tessera credential.
    expect(calls).toEqual([{ body: { key: INCOMING_KEY, required_scopes: ['workflows.execute'] }, authorization: `Bearer ${API_KEY}` }]);
  });

  it('types c.get(\'tesseraKey\') in an app without the env type parameter too', async () => {
    mockVerify(server, fx.verifyResult('valid'));
    const app = new Hono();
    app.get('/me', tesseraAuth({ client: verifyingClient() }), (c) => c.text(c.get('tesseraKey').environment));
    const res = await app.request('/me', withKey(INCOMING_KEY, { method: 'GET' }));
    expect(await res.text()).toBe('live');
  });

  it('adds the headers to a raw Response returned by the handler', async () => {
    mockVerify(server, fx.verifyResult('valid'));
    const res = await makeApp().request('/api/raw', withKey(INCOMING_KEY, { method: 'GET' }));
    expect(await res.text()).toBe('raw body');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('119');
  });

  it('chooses the required scopes per request', async () => {
    const calls = mockVerify(server, fx.verifyResult('valid'));
    await makeApp((c) => (c.req.method === 'GET' ? ['runs.read'] : ['workflows.execute'])).request('/api/raw', withKey(INCOMING_KEY, { method: 'GET' }));
    expect(calls[0]!.body).toEqual({ key: INCOMING_KEY, required_scopes: ['runs.read'] });
  });

  it('answers 401 missing_credentials without calling Tessera when there is no Authorization header', async () => {
    const calls = mockVerify(server, fx.verifyResult('valid'));
    const res = await makeApp().request('/api/run', { method: 'POST' });
    expect(res.status).toBe(401);
    expect(await problemOf(res)).toMatchObject({ status: 401, code: 'missing_credentials', type: 'https://tessera.dev/problems/missing_credentials' });
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(calls).toHaveLength(0);
  });

  it('answers 401 malformed_credentials for a non-Bearer or implausible credential, without calling Tessera', async () => {
    const calls = mockVerify(server, fx.verifyResult('valid'));
    const app = makeApp();
    for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', `Bearer ${'x'.repeat(300)}`]) {
      const res = await app.request('/api/run', { method: 'POST', headers: { Authorization: authorization } });
      expect(res.status, authorization).toBe(401);
      expect(await problemOf(res)).toMatchObject({ code: 'malformed_credentials', reason: 'malformed' });
    }
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['malformed', 'malformed_credentials'],
    ['not_found', 'invalid_credentials'],
    ['expired', 'key_expired'],
    ['revoked', 'key_revoked'],
    ['disabled', 'key_disabled'],
  ] as const)('answers 401 when verify says %s (code %s)', async (reason, code) => {
    mockVerify(server, fx.verifyResult(reason));
    const res = await makeApp().request('/api/run', withKey());
    expect(res.status).toBe(401);
    const body = await problemOf(res);
    expect(body).toMatchObject({ status: 401, code, reason });
    expect(JSON.stringify(body)).not.toContain(INCOMING_KEY.slice(12));
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_token"');
  });

  it('answers 403 insufficient_scope with the missing scopes and the rate-limit headers', async () => {
    mockVerify(server, fx.verifyResult('insufficient_scope', { missing_scopes: ['workflows.execute'] }));
    const res = await makeApp().request('/api/run', withKey());
    expect(res.status).toBe(403);
    expect(await problemOf(res)).toMatchObject({ status: 403, code: 'insufficient_scope', required_scopes: ['workflows.execute'], missing_scopes: ['workflows.execute'] });
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api", error="insufficient_scope"');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('119');
  });

  it('answers 429 rate_limited with Retry-After and the X-RateLimit-* headers', async () => {
    mockVerify(server, fx.verifyResult('rate_limited'));
    const res = await makeApp().request('/api/run', withKey());
    expect(res.status).toBe(429);
    expect(await problemOf(res)).toMatchObject({ status: 429, code: 'rate_limited', retry_after: 3 });
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.headers.get('x-ratelimit-limit')).toBe('100');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(res.headers.get('x-ratelimit-reset')).toBe(String(fx.RESET));
    expect(res.headers.get('ratelimit-policy')).toBe('"default";q=100;w=60;tessera-burst=20');
  });

  it('fails closed with 503 when Tessera is unavailable, and 500 when our own credential is refused', async () => {
    mockVerify(server, () => problemResponse(503, { code: 'internal_error' }, { 'Retry-After': '5' }));
    const down = await makeApp().request('/api/run', withKey());
    expect(down.status).toBe(503);
    expect(await problemOf(down)).toMatchObject({ code: 'verification_unavailable' });
    expect(down.headers.get('retry-after')).toBe('5');

    mockVerify(server, () => HttpResponse.error());
    expect((await makeApp().request('/api/run', withKey())).status).toBe(503);

    mockVerify(server, () => problemResponse(403, { code: 'insufficient_scope', required_scopes: ['keys.verify'] }));
    const misconfigured = await makeApp().request('/api/run', withKey());
    expect(misconfigured.status).toBe(500);
    expect(await problemOf(misconfigured)).toMatchObject({ code: 'verification_failed' });
  });

  it('never lets an invalid verdict through, even if it claims valid without a key', async () => {
    const bogus: VerifyKeyResult = { valid: true, code: 'valid', key: null, missing_scopes: [], rate_limit: null };
    mockVerify(server, bogus);
    expect((await makeApp().request('/api/run', withKey())).status).toBe(401);
  });
});
