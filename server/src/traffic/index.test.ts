import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import * as traffic from './index.js';

describe('traffic public API', () => {
  it('wires together from the index alone', async () => {
    const clock = new traffic.ManualClock();
    const limiter = new traffic.InMemoryRateLimiter({ clock });
    const store = new traffic.InMemoryIdempotencyStore({ clock });
    const problem: traffic.ProblemFactory = (c, { status, code, title, detail }) =>
      new Response(JSON.stringify({ type: 'about:blank', title, status, detail, code, request_id: 'req' }), {
        status,
        headers: { 'Content-Type': 'application/problem+json' },
      });
    const app = new Hono();
    const policy = { requestsPerMinute: 1, burst: 0 };
    app.use('*', traffic.rateLimit({ limiter, problem, targetOf: () => ({ bucketKey: 'k', policy }) }));
    app.use('*', traffic.idempotency({ store, problem, scopeOf: () => 'k' }));
    app.post('/x', (c) => c.json({ ok: true }, 201));

    const init = { method: 'POST', body: '{}', headers: { [traffic.IDEMPOTENCY_KEY_HEADER]: 'abc' } };
    const first = await app.request('/x', init);
    expect(first.status).toBe(201);
    expect(first.headers.get(traffic.X_RATELIMIT_REMAINING_HEADER)).toBe('0');

    // The bucket is empty: the rate limit answers before idempotency replays anything.
    const limited = await app.request('/x', init);
    expect(limited.status).toBe(429);
    expect(limited.headers.get(traffic.RETRY_AFTER_HEADER)).toBe('60');

    clock.advance(60_000);
    const replay = await app.request('/x', init);
    expect(replay.status).toBe(201);
    expect(replay.headers.get(traffic.IDEMPOTENT_REPLAYED_HEADER)).toBe('true');
    expect(replay.headers.get(traffic.RATELIMIT_HEADER)).toBe('"default";r=0;t=60');
  });
});
