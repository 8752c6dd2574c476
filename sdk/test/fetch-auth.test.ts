import { describe, expect, it } from 'vitest';
import { bearerToken, rateLimitHeadersOf, withTesseraAuth, type AuthenticatedRequest } from '../src/fetch-auth.js';
import { INCOMING_KEY, mockVerify, verifyingClient } from './auth-support.js';
import * as fx from './fixtures.js';
import { useMswServer } from './helpers.js';

const server = useMswServer();

function protectedHandler(requiredScopes: string[] = ['workflows.execute']) {
  return withTesseraAuth(
    (request: AuthenticatedRequest, env: { greeting: string }) => Response.json({ greeting: env.greeting, name: request.tessera.key.name, path: new URL(request.url).pathname }),
    { client: verifyingClient(), requiredScopes },
  );
}

const request = (authorization?: string) => new Request('https://api.example.com/run', { method: 'POST', headers: authorization ? { Authorization: authorization } : {} });

describe('withTesseraAuth (Fetch API)', () => {
  it('calls the handler with the verified key on request.tessera, passes extra arguments through, and adds rate-limit headers', async () => {
    const calls = mockVerify(server, fx.verifyResult('valid'));
    const res = await protectedHandler()(request(`Bearer ${INCOMING_KEY}`), { greeting: 'hi' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ greeting: 'hi', name: 'CI/CD Pipeline', path: '/run' });
    expect(res.headers.get('x-ratelimit-remaining')).toBe('119');
    expect(calls[0]!.body).toEqual({ key: INCOMING_KEY, required_scopes: ['workflows.execute'] });
  });

  it('sends no required_scopes when none are required', async () => {
    const calls = mockVerify(server, fx.verifyResult('valid'));
    await protectedHandler([])(request(`Bearer ${INCOMING_KEY}`), { greeting: 'hi' });
    expect(calls[0]!.body).toEqual({ key: INCOMING_KEY });
  });

  it('copies a response with immutable headers to add the rate-limit headers', async () => {
    mockVerify(server, fx.verifyResult('valid'));
    const handler = withTesseraAuth(() => Response.redirect('https://example.com/next', 302), { client: verifyingClient() });
    const res = await handler(request(`Bearer ${INCOMING_KEY}`));
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://example.com/next');
    expect(res.headers.get('x-ratelimit-limit')).toBe('100');
  });

  it.each([
    [undefined, 'missing_credentials'],
    ['Token abc', 'malformed_credentials'],
  ])('answers 401 for Authorization %s without calling Tessera', async (authorization, code) => {
    const calls = mockVerify(server, fx.verifyResult('valid'));
    let handled = false;
    const handler = withTesseraAuth(() => ((handled = true), new Response('ok')), { client: verifyingClient() });
    const res = await handler(request(authorization));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code });
    expect(handled).toBe(false);
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['malformed', 401, 'malformed_credentials'],
    ['not_found', 401, 'invalid_credentials'],
    ['expired', 401, 'key_expired'],
    ['revoked', 401, 'key_revoked'],
    ['disabled', 401, 'key_disabled'],
    ['insufficient_scope', 403, 'insufficient_scope'],
    ['rate_limited', 429, 'rate_limited'],
  ] as const)('refuses a key that verify calls %s with %i %s, without calling the handler', async (reason, status, code) => {
    mockVerify(server, fx.verifyResult(reason));
    let handled = false;
    const handler = withTesseraAuth(() => ((handled = true), new Response('ok')), { client: verifyingClient(), requiredScopes: ['workflows.execute'] });
    const res = await handler(request(`Bearer ${INCOMING_KEY}`));
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status, code, reason });
    expect(handled).toBe(false);
    if (status === 429) {
      expect(res.headers.get('retry-after')).toBe('3');
      expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    }
  });

  it('reports verification failures to onVerifyError', async () => {
    mockVerify(server, () => new Response(null, { status: 502 }));
    const errors: unknown[] = [];
    const handler = withTesseraAuth(() => new Response('ok'), { client: verifyingClient(), onVerifyError: (e) => errors.push(e) });
    expect((await handler(request(`Bearer ${INCOMING_KEY}`))).status).toBe(503);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ status: 502 });
  });
});

describe('helpers', () => {
  it('bearerToken tells a missing header from a malformed one', () => {
    expect(bearerToken(null)).toBeUndefined();
    expect(bearerToken('  ')).toBeUndefined();
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer  abc ')).toBe('abc');
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken('Basic abc')).toBeNull();
  });

  it('rateLimitHeadersOf computes the seconds until reset', () => {
    const headers = rateLimitHeadersOf({ limit: 60, burst: 0, remaining: 0, reset: 1_000_010, retry_after: 1 }, 1_000_000_000);
    expect(Object.fromEntries(headers)).toEqual({
      'x-ratelimit-limit': '60',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '1000010',
      'ratelimit-policy': '"default";q=60;w=60;tessera-burst=0',
      ratelimit: '"default";r=0;t=10',
      'retry-after': '1',
    });
    expect([...rateLimitHeadersOf(null)]).toEqual([]);
  });
});
