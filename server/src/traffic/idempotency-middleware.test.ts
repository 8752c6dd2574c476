import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { validator } from 'hono/validator';
import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { idempotencyFingerprint, InMemoryIdempotencyStore } from './idempotency.js';
import { idempotency, isStorableIdempotentStatus } from './idempotency-middleware.js';
import type { ProblemFactory } from './problem.js';

/** Test-only stand-in for the app's single problem+json factory. */
const problem: ProblemFactory = (c, { status, code, title, detail }) =>
  c.json(
    {
      type: `https://tessera.dev/problems/${code}`,
      title,
      status,
      detail,
      code,
      request_id: (c.get('requestId') as string | undefined) ?? 'unknown',
    },
    status as ContentfulStatusCode,
    { 'Content-Type': 'application/problem+json' },
  );

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

function makeApp() {
  const clock = new ManualClock();
  const store = new InMemoryIdempotencyStore({ clock });
  const calls: Record<string, number> = {};
  const count = (route: string) => {
    calls[route] = (calls[route] ?? 0) + 1;
  };
  let gate: Promise<void> | undefined;
  let nextId = 0;
  let nextRequestId = 0;
  const answers: Response[] = [];

  const app = new Hono<{ Variables: { requestId: string } }>();
  app.onError((error, c) =>
    error instanceof HTTPException
      ? problem(c, { status: error.status, code: 'http_error', title: 'Error', detail: error.message })
      : problem(c, { status: 500, code: 'internal', title: 'Internal error', detail: error.message }),
  );
  // Outer middleware that prepares a per-response header before the handler runs, like the app's
  // request-id middleware will.
  app.use('*', async (c, next) => {
    nextRequestId += 1;
    c.set('requestId', `req_${nextRequestId}`);
    c.header('X-Request-Id', `req_${nextRequestId}`);
    await next();
  });
  app.use(
    '*',
    idempotency({
      store,
      // Stands in for the auth middleware: the credential id arrives in a test header.
      scopeOf: (c) => c.req.header('x-test-credential'),
      problem,
    }),
  );
  app.post(
    '/things',
    validator('json', (value, c) => {
      const name = (value as { name?: unknown }).name;
      if (typeof name !== 'string' || name.length < 3) {
        return problem(c, { status: 400, code: 'validation_failed', title: 'Invalid', detail: 'name' });
      }
      return { name };
    }),
    async (c) => {
      count('create');
      if (gate !== undefined) await gate;
      const { name } = c.req.valid('json');
      // The handler can still read the raw text through the HonoRequest cache.
      const text = await c.req.text();
      nextId += 1;
      const answer = c.json({ id: `thing_${nextId}`, name, received_bytes: text.length }, 201, {
        Location: `/things/thing_${nextId}`,
        'X-Not-Replayed': 'per-response',
      });
      answers.push(answer);
      return answer;
    },
  );
  app.post('/by-hand', (c) => {
    count('byHand');
    return new Response(`{"built":"by hand","n":${calls.byHand}}`, { status: 201, headers: { 'Content-Type': 'application/json' } });
  });
  app.post('/things/:id/archive', (c) => {
    count('archive');
    if (c.req.param('id') === 'missing') throw new HTTPException(404, { message: 'no such thing' });
    return c.body(null, 204);
  });
  app.post('/flaky', (c) => {
    count('flaky');
    if ((calls.flaky ?? 0) === 1) throw new Error('database unavailable');
    return c.json({ ok: true });
  });
  app.post('/forbidden', (c) => {
    count('forbidden');
    return problem(c, { status: 403, code: 'insufficient_scope', title: 'Forbidden', detail: 'scope' });
  });
  app.get('/things', (c) => {
    count('list');
    return c.json([]);
  });

  return {
    app,
    clock,
    store,
    calls,
    answers,
    setGate: (value: Promise<void> | undefined) => {
      gate = value;
    },
  };
}

function post(body: string, headers: Record<string, string> = {}) {
  return {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/json', 'x-test-credential': 'key_1', ...headers },
  } as const;
}

const KEY = { 'Idempotency-Key': '5b1d2c9e-idem' };

describe('idempotency middleware', () => {
  it('replays the stored status, body and selected headers, marked as a replay', async () => {
    const { app, calls } = makeApp();
    const first = await app.request('/things', post('{"name":"ci-key"}', KEY));
    expect(first.status).toBe(201);
    const firstBody = await first.text();
    expect(first.headers.get('Idempotent-Replayed')).toBeNull();

    const second = await app.request('/things', post('{"name":"ci-key"}', KEY));
    expect(second.status).toBe(201);
    expect(await second.text()).toBe(firstBody);
    expect(second.headers.get('Idempotent-Replayed')).toBe('true');
    expect(second.headers.get('Content-Type')).toBe(first.headers.get('Content-Type'));
    expect(second.headers.get('Location')).toBe('/things/thing_1');
    expect(second.headers.get('X-Not-Replayed')).toBeNull();
    // Outer middleware still stamps the replay with its own request id.
    expect(first.headers.get('X-Request-Id')).toBe('req_1');
    expect(second.headers.get('X-Request-Id')).toBe('req_2');
    expect(calls.create).toBe(1);
  });

  it('lets the handler and its validator see the body', async () => {
    const { app } = makeApp();
    const body = '{"name":"ci-key"}';
    const res = await app.request('/things', post(body, KEY));
    expect(await res.json()).toEqual({ id: 'thing_1', name: 'ci-key', received_bytes: body.length });
  });

  it('replays for the same JSON written differently', async () => {
    const { app, calls } = makeApp();
    await app.request('/things', post('{"name":"ci-key","x":[1,2]}', KEY));
    const res = await app.request('/things', post('{ "x": [1, 2],\n "name": "ci-key" }', KEY));
    expect(res.status).toBe(201);
    expect(res.headers.get('Idempotent-Replayed')).toBe('true');
    expect(calls.create).toBe(1);
  });

  it('answers 422 idempotency_key_reused for the same key with a different body', async () => {
    const { app, calls } = makeApp();
    await app.request('/things', post('{"name":"ci-key"}', KEY));
    const res = await app.request('/things', post('{"name":"other"}', KEY));
    expect(res.status).toBe(422);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({
      status: 422,
      code: 'idempotency_key_reused',
      type: 'https://tessera.dev/problems/idempotency_key_reused',
      request_id: 'req_2',
    });
    expect(calls.create).toBe(1);
  });

  it('answers 409 idempotency_response_unavailable for a completed request whose response was withheld', async () => {
    const { app, calls, clock, store } = makeApp();
    const body = '{"name":"ci-key"}';
    // What a persistence adapter restores for a response it would not write to disk.
    const fingerprint = idempotencyFingerprint({ method: 'POST', path: '/things', body });
    store.restore([{ state: 'withheld', scope: 'key_1', idempotencyKey: KEY['Idempotency-Key'], fingerprint, expiresAtMs: clock.now() + 1000, status: 201 }]);

    const res = await app.request('/things', post(body, KEY));
    expect(res.status).toBe(409);
    expect(res.headers.get('Idempotent-Replayed')).toBeNull();
    expect(await res.json()).toMatchObject({ status: 409, code: 'idempotency_response_unavailable' });
    expect((await app.request('/things', post('{"name":"other"}', KEY))).status).toBe(422);
    expect(calls.create).toBeUndefined();
  });

  it('answers 422 for the same key on another endpoint', async () => {
    const { app } = makeApp();
    await app.request('/things', post('{"name":"ci-key"}', KEY));
    const res = await app.request('/things/thing_1/archive', post('{"name":"ci-key"}', KEY));
    expect(res.status).toBe(422);
  });

  it('answers 422 for the same key with another query string', async () => {
    const { app, calls } = makeApp();
    await app.request('/things?dry_run=true', post('{"name":"ci-key"}', KEY));
    const res = await app.request('/things?dry_run=false', post('{"name":"ci-key"}', KEY));
    expect(res.status).toBe(422);
    expect(calls.create).toBe(1);
  });

  it("stores the text of the handler's c.json answer and sends that answer itself, unread", async () => {
    const { app, answers } = makeApp();
    const first = await app.request('/things', post('{"name":"ci-key"}', KEY));
    // Reading it back would have consumed it and put a new Response in its place.
    expect(first).toBe(answers[0]);
    const sent = await first.text();
    const replay = await app.request('/things', post('{"name":"ci-key"}', KEY));
    expect(await replay.text()).toBe(sent);
  });

  it('reads back and replays an answer the handler built as a Response', async () => {
    const { app, calls } = makeApp();
    const first = await app.request('/by-hand', post('{}', KEY));
    expect(first.status).toBe(201);
    expect(await first.text()).toBe('{"built":"by hand","n":1}');
    const replay = await app.request('/by-hand', post('{}', KEY));
    expect(replay.status).toBe(201);
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    expect(replay.headers.get('Content-Type')).toBe('application/json');
    expect(await replay.text()).toBe('{"built":"by hand","n":1}');
    expect(calls.byHand).toBe(1);
  });

  it('answers 409 while the first request is still running, then replays it', async () => {
    const { app, calls, setGate } = makeApp();
    const gate = deferred();
    setGate(gate.promise);
    const firstPending = app.request('/things', post('{"name":"ci-key"}', KEY));
    // Let the first request reach the handler and park on the gate.
    while ((calls.create ?? 0) === 0) await new Promise((resolve) => setImmediate(resolve));

    const concurrent = await app.request('/things', post('{"name":"ci-key"}', KEY));
    expect(concurrent.status).toBe(409);
    expect(concurrent.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await concurrent.json()).toMatchObject({ status: 409, code: 'idempotency_request_in_flight' });

    gate.release();
    const first = await firstPending;
    expect(first.status).toBe(201);
    setGate(undefined);
    const retry = await app.request('/things', post('{"name":"ci-key"}', KEY));
    expect(retry.status).toBe(201);
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(calls.create).toBe(1);
  });

  it('keeps credentials apart: the same key from another credential runs again', async () => {
    const { app, calls } = makeApp();
    await app.request('/things', post('{"name":"ci-key"}', KEY));
    const other = await app.request(
      '/things',
      post('{"name":"ci-key"}', { ...KEY, 'x-test-credential': 'key_2' }),
    );
    expect(other.status).toBe(201);
    expect(other.headers.get('Idempotent-Replayed')).toBeNull();
    expect(await other.json()).toMatchObject({ id: 'thing_2' });
    expect(calls.create).toBe(2);
  });

  it('forgets the response 24 h after it was stored', async () => {
    const { app, clock, calls } = makeApp();
    await app.request('/things', post('{"name":"ci-key"}', KEY));
    clock.advance(24 * 3_600_000 - 1);
    expect((await app.request('/things', post('{"name":"ci-key"}', KEY))).headers.get('Idempotent-Replayed')).toBe(
      'true',
    );
    clock.advance(1);
    const fresh = await app.request('/things', post('{"name":"ci-key"}', KEY));
    expect(fresh.headers.get('Idempotent-Replayed')).toBeNull();
    expect(await fresh.json()).toMatchObject({ id: 'thing_2' });
    expect(calls.create).toBe(2);
  });

  it('does not store validation failures: the corrected request may reuse the key', async () => {
    const { app, calls } = makeApp();
    const invalid = await app.request('/things', post('{"name":"x"}', KEY));
    expect(invalid.status).toBe(400);
    const again = await app.request('/things', post('{"name":"x"}', KEY));
    expect(again.status).toBe(400);
    expect(again.headers.get('Idempotent-Replayed')).toBeNull();
    const fixed = await app.request('/things', post('{"name":"fixed"}', KEY));
    expect(fixed.status).toBe(201);
    expect(calls.create).toBe(1);
  });

  it('does not store malformed JSON rejected by the validator', async () => {
    const { app } = makeApp();
    expect((await app.request('/things', post('{"name":', KEY))).status).toBe(400);
    expect((await app.request('/things', post('{"name":"fixed"}', KEY))).status).toBe(201);
  });

  it('does not store server errors: the retry runs again', async () => {
    const { app, calls } = makeApp();
    const failed = await app.request('/flaky', post('{}', KEY));
    expect(failed.status).toBe(500);
    const retry = await app.request('/flaky', post('{}', KEY));
    expect(retry.status).toBe(200);
    expect(retry.headers.get('Idempotent-Replayed')).toBeNull();
    expect(calls.flaky).toBe(2);
  });

  it('does not store 403: permissions may be granted before the retry', async () => {
    const { app, calls } = makeApp();
    await app.request('/forbidden', post('{}', KEY));
    await app.request('/forbidden', post('{}', KEY));
    expect(calls.forbidden).toBe(2);
  });

  it('stores and replays other client errors such as 404', async () => {
    const { app, calls } = makeApp();
    const first = await app.request('/things/missing/archive', post('{}', KEY));
    expect(first.status).toBe(404);
    const second = await app.request('/things/missing/archive', post('{}', KEY));
    expect(second.status).toBe(404);
    expect(second.headers.get('Content-Type')).toBe('application/problem+json');
    expect(second.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await second.json()).toMatchObject({ code: 'http_error', detail: 'no such thing' });
    expect(calls.archive).toBe(1);
  });

  it('replays a bodiless 204', async () => {
    const { app, calls } = makeApp();
    await app.request('/things/t1/archive', post('', KEY));
    const replay = await app.request('/things/t1/archive', post('', KEY));
    expect(replay.status).toBe(204);
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await replay.text()).toBe('');
    expect(calls.archive).toBe(1);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['non-ASCII', 'cl\u00e9'],
    ['control character', 'a\tb'],
  ])('rejects a %s key with 400 invalid_idempotency_key before running anything', async (_label, key) => {
    const { app, calls, store } = makeApp();
    const res = await app.request('/things', post('{"name":"ci-key"}', { 'Idempotency-Key': key }));
    expect(res.status).toBe(400);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 400, code: 'invalid_idempotency_key' });
    expect(calls.create).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('accepts a 255-character key', async () => {
    const { app } = makeApp();
    const res = await app.request('/things', post('{"name":"ci-key"}', { 'Idempotency-Key': 'k'.repeat(255) }));
    expect(res.status).toBe(201);
  });

  it('does nothing without the header', async () => {
    const { app, calls, store } = makeApp();
    await app.request('/things', post('{"name":"ci-key"}'));
    const second = await app.request('/things', post('{"name":"ci-key"}'));
    expect(second.headers.get('Idempotent-Replayed')).toBeNull();
    expect(calls.create).toBe(2);
    expect(store.size).toBe(0);
  });

  it('ignores the header on methods other than POST', async () => {
    const { app, calls } = makeApp();
    const headers = { ...KEY, 'x-test-credential': 'key_1' };
    await app.request('/things', { headers });
    const second = await app.request('/things', { headers });
    expect(second.headers.get('Idempotent-Replayed')).toBeNull();
    expect(calls.list).toBe(2);
  });

  it('does nothing when there is no credential to scope the key to', async () => {
    const { app, calls, store } = makeApp();
    const anonymous = {
      method: 'POST',
      body: '{"name":"ci-key"}',
      headers: { 'Content-Type': 'application/json', ...KEY },
    };
    await app.request('/things', anonymous);
    await app.request('/things', anonymous);
    expect(calls.create).toBe(2);
    expect(store.size).toBe(0);
  });
});

describe('isStorableIdempotentStatus', () => {
  it('stores successes and client errors of requests that ran, nothing else', () => {
    for (const status of [200, 201, 202, 204, 303, 404, 409, 410]) {
      expect(isStorableIdempotentStatus(status)).toBe(true);
    }
    for (const status of [400, 401, 403, 408, 413, 415, 422, 429, 500, 502, 503, 504, 101]) {
      expect(isStorableIdempotentStatus(status)).toBe(false);
    }
  });
});
