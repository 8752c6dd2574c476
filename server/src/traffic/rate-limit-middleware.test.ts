import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import type { ProblemFactory } from './problem.js';
import { rateLimit } from './rate-limit-middleware.js';
import { InMemoryRateLimiter, type RateLimitDecision, type RateLimitPolicy } from './rate-limiter.js';

/** Test-only stand-in for the app's single problem+json factory. */
const problem: ProblemFactory = (c, { status, code, title, detail }) =>
  c.json(
    { type: `https://tessera.dev/problems/${code}`, title, status, detail, code, request_id: 'req_test' },
    status as ContentfulStatusCode,
    { 'Content-Type': 'application/problem+json' },
  );

function makeApp(policy: RateLimitPolicy = { requestsPerMinute: 7, burst: 3 }) {
  const clock = new ManualClock();
  const limiter = new InMemoryRateLimiter({ clock });
  const limited: { key: string; decision: RateLimitDecision }[] = [];
  let handled = 0;
  const app = new Hono();
  app.onError((error, c) =>
    error instanceof HTTPException
      ? problem(c, { status: error.status, code: 'http_error', title: 'Error', detail: error.message })
      : problem(c, { status: 500, code: 'internal', title: 'Internal error', detail: 'boom' }),
  );
  app.use(
    '*',
    rateLimit({
      limiter,
      // Stands in for the auth middleware: the API key id arrives in a test header.
      targetOf: (c) => {
        const keyId = c.req.header('x-test-key-id');
        return keyId === undefined ? undefined : { bucketKey: keyId, policy };
      },
      problem,
      onLimited: (c, decision) => {
        limited.push({ key: c.req.header('x-test-key-id') ?? '?', decision });
      },
    }),
  );
  app.get('/ok', (c) => {
    handled += 1;
    return c.json({ ok: true });
  });
  app.get('/missing', () => {
    throw new HTTPException(404, { message: 'no such thing' });
  });
  app.get('/crash', () => {
    throw new Error('boom');
  });
  // A response whose headers cannot be changed in place.
  app.get('/redirect', () => Response.redirect('https://example.com/elsewhere', 302));
  return { app, clock, limited, handledCount: () => handled };
}

const asKey = (keyId: string) => ({ headers: { 'x-test-key-id': keyId } });

describe('rateLimit middleware', () => {
  it('adds the rate-limit headers to a successful response', async () => {
    const { app } = makeApp();
    const res = await app.request('/ok', asKey('key_1'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get('X-RateLimit-Limit')).toBe('7');
    expect(res.headers.get('X-RateLimit-Remaining')).toBe('9');
    expect(res.headers.get('X-RateLimit-Reset')).toMatch(/^[0-9]+$/);
    expect(res.headers.get('RateLimit-Policy')).toBe('"default";q=7;w=60;tessera-burst=3');
    expect(res.headers.get('RateLimit')).toBe('"default";r=9;t=9');
    expect(res.headers.get('Retry-After')).toBeNull();
  });

  it('adds them to a response whose headers are immutable', async () => {
    const { app } = makeApp();
    const res = await app.request('/redirect', asKey('key_1'));
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe('https://example.com/elsewhere');
    expect(res.headers.get('X-RateLimit-Remaining')).toBe('9');
  });

  it('adds them to error responses too', async () => {
    const { app } = makeApp();
    const missing = await app.request('/missing', asKey('key_1'));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('X-RateLimit-Remaining')).toBe('9');
    const crash = await app.request('/crash', asKey('key_1'));
    expect(crash.status).toBe(500);
    expect(crash.headers.get('X-RateLimit-Remaining')).toBe('8');
  });

  it('answers 429 problem+json with Retry-After once the bucket is empty, without running the handler', async () => {
    const { app, clock, limited, handledCount } = makeApp();
    for (let i = 0; i < 10; i += 1) expect((await app.request('/ok', asKey('key_1'))).status).toBe(200);
    const res = await app.request('/ok', asKey('key_1'));
    expect(res.status).toBe(429);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(res.headers.get('Retry-After')).toBe('9');
    expect(res.headers.get('X-RateLimit-Remaining')).toBe('0');
    expect(res.headers.get('RateLimit')).toBe('"default";r=0;t=86');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 429, code: 'rate_limited', title: 'Too many requests' });
    expect(String(body.detail)).toContain('retry in 9 s');
    expect(handledCount()).toBe(10);
    expect(limited).toHaveLength(1);
    expect(limited[0]?.key).toBe('key_1');
    expect(limited[0]?.decision.retryAfterSeconds).toBe(9);

    clock.advance(9_000);
    expect((await app.request('/ok', asKey('key_1'))).status).toBe(200);
  });

  it('lets exactly limit + burst of 5,000 concurrent requests through', async () => {
    const { app, handledCount } = makeApp({ requestsPerMinute: 1000, burst: 100 });
    const responses = await Promise.all(Array.from({ length: 5_000 }, () => app.request('/ok', asKey('key_1'))));
    const statuses = responses.map((res) => res.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1100);
    expect(statuses.filter((status) => status === 429)).toHaveLength(3900);
    expect(handledCount()).toBe(1100);
  });

  it('leaves requests without a key credential alone', async () => {
    const { app } = makeApp({ requestsPerMinute: 1, burst: 0 });
    for (let i = 0; i < 3; i += 1) {
      const res = await app.request('/ok');
      expect(res.status).toBe(200);
      expect(res.headers.get('X-RateLimit-Limit')).toBeNull();
      expect(res.headers.get('RateLimit')).toBeNull();
    }
  });

  it('counts each key separately', async () => {
    const { app } = makeApp({ requestsPerMinute: 1, burst: 0 });
    expect((await app.request('/ok', asKey('key_a'))).status).toBe(200);
    expect((await app.request('/ok', asKey('key_a'))).status).toBe(429);
    expect((await app.request('/ok', asKey('key_b'))).status).toBe(200);
  });
});
