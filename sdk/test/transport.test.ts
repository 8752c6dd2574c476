import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createTransport, dataOrThrow, type TransportInternals } from '../src/core/client.js';
import type { ClientOptions } from '../src/core/config.js';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from '../src/core/errors.js';
import { defaultSleep } from '../src/core/retry.js';
import { API_KEY, BASE_URL, problemResponse, recordingSleep, useMswServer } from './helpers.js';
import { thingsApi as api, type TestPaths } from './test-paths.js';

const server = useMswServer();
const THINGS = `${BASE_URL}/v1/things`;
const NOW = Date.parse('2025-10-21T07:28:00Z');

function makeClient(options: ClientOptions = {}, internals: TransportInternals = {}) {
  const sleep = recordingSleep();
  const transport = createTransport(
    { apiKey: API_KEY, baseURL: BASE_URL, ...options },
    { sleep, random: () => 0.5, now: () => NOW, globals: {}, ...internals },
  );
  return { client: transport.createTypedClient<TestPaths>(), transport, sleep };
}

/** Answers with `responses` in order, then 200 with a thing; counts attempts and keeps every request. */
function scriptedThings(method: 'get' | 'post', responses: Array<() => Response | Promise<Response>>) {
  const seen: Array<{ headers: Headers; body: string }> = [];
  const scripted = async (request: Request) => {
    seen.push({ headers: request.headers, body: await request.text() });
    return responses[seen.length - 1]?.();
  };
  server.use(
    method === 'post'
      ? api.post('/v1/things', async ({ request, response }) => (await scripted(request)) ?? response(201).json({ id: 'thing_1', name: 'ok' }))
      : api.get('/v1/things', async ({ request, response }) => (await scripted(request)) ?? response(200).json({ data: [], has_more: false, next_cursor: null })),
  );
  return seen;
}

const status = (code: number, headers: Record<string, string> = {}) => () => problemResponse(code, { code: `status_${code}`, title: 'x' }, headers);

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('which outcomes are retried', () => {
  it.each([408, 429, 500, 502, 503, 504])('retries a %i and returns the later success', async (code) => {
    const seen = scriptedThings('get', [status(code)]);
    const { client, sleep } = makeClient();
    await expect(dataOrThrow(client.GET('/v1/things'))).resolves.toEqual({ data: [], has_more: false, next_cursor: null });
    expect(seen).toHaveLength(2);
    expect(sleep.delays).toHaveLength(1);
  });

  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [422, UnprocessableEntityError],
  ])('never retries a %i', async (code, ErrorClass) => {
    const seen = scriptedThings('get', [status(code), status(code), status(code)]);
    const { client, sleep } = makeClient();
    expect(await rejectionOf(dataOrThrow(client.GET('/v1/things')))).toBeInstanceOf(ErrorClass);
    expect(seen).toHaveLength(1);
    expect(sleep.delays).toEqual([]);
  });

  it('retries a 409 idempotency_request_in_flight with the same Idempotency-Key, and returns the replayed answer', async () => {
    const inFlight = () => problemResponse(409, { code: 'idempotency_request_in_flight', title: 'Request with this idempotency key in progress' });
    const seen = scriptedThings('post', [inFlight, inFlight]);
    const { client, sleep } = makeClient();
    await expect(dataOrThrow(client.POST('/v1/things', { body: { name: 'abc' } }))).resolves.toEqual({ id: 'thing_1', name: 'ok' });
    expect(seen).toHaveLength(3);
    expect(sleep.delays).toHaveLength(2);
    expect(new Set(seen.map((r) => r.headers.get('idempotency-key'))).size).toBe(1);
  });

  it.each(['key_revoked', 'last_admin', 'already_rotated', 'name_taken'])('never retries a business-conflict 409 (%s), and its body is still readable', async (code) => {
    const seen = scriptedThings('post', [() => problemResponse(409, { code, detail: `conflict: ${code}` })]);
    const { client, sleep } = makeClient();
    const error = await rejectionOf(dataOrThrow(client.POST('/v1/things', { body: { name: 'abc' } })));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ status: 409, code });
    expect((error as Error).message).toContain(`conflict: ${code}`);
    expect(seen).toHaveLength(1);
    expect(sleep.delays).toEqual([]);
  });

  it('never retries a 409 without a problem body', async () => {
    const seen = scriptedThings('get', [() => new HttpResponse('busy', { status: 409 }), () => new HttpResponse(null, { status: 409 })]);
    const { client } = makeClient();
    await expect(dataOrThrow(client.GET('/v1/things'))).rejects.toBeInstanceOf(ConflictError);
    expect(seen).toHaveLength(1);
  });

  it('surfaces the in-flight 409 as a ConflictError once retries are exhausted', async () => {
    const inFlight = () => problemResponse(409, { code: 'idempotency_request_in_flight' });
    const seen = scriptedThings('post', [inFlight, inFlight, inFlight, inFlight]);
    const { client } = makeClient({ maxRetries: 1 });
    const error = await rejectionOf(dataOrThrow(client.POST('/v1/things', { body: { name: 'abc' } })));
    expect(error).toMatchObject({ status: 409, code: 'idempotency_request_in_flight' });
    expect(seen).toHaveLength(2);
  });

  it('retries a connection error and returns the later success', async () => {
    const seen = scriptedThings('get', [() => HttpResponse.error(), () => HttpResponse.error()]);
    const { client, sleep } = makeClient();
    await expect(dataOrThrow(client.GET('/v1/things'))).resolves.toMatchObject({ has_more: false });
    expect(seen).toHaveLength(3);
    expect(sleep.delays).toHaveLength(2);
  });

  it('throws APIConnectionError once connection retries are exhausted, without the key in the message', async () => {
    const seen = scriptedThings('get', Array(5).fill(() => HttpResponse.error()));
    const { client } = makeClient();
    const error = await rejectionOf(client.GET('/v1/things'));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
    expect((error as Error).message).toContain(`GET ${THINGS}`);
    expect((error as Error).message).not.toContain(API_KEY.slice(12));
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(seen).toHaveLength(3);
  });
});

describe('maxRetries', () => {
  it('defaults to 2 retries (3 attempts), then surfaces the last error', async () => {
    const seen = scriptedThings('get', Array(10).fill(status(503)));
    const { client, sleep } = makeClient();
    const error = await rejectionOf(dataOrThrow(client.GET('/v1/things')));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).status).toBe(503);
    expect(seen).toHaveLength(3);
    expect(sleep.delays).toHaveLength(2);
  });

  it('honours the client-wide option', async () => {
    const seen = scriptedThings('get', Array(10).fill(status(500)));
    const { client } = makeClient({ maxRetries: 4 });
    await expect(dataOrThrow(client.GET('/v1/things'))).rejects.toBeInstanceOf(InternalServerError);
    expect(seen).toHaveLength(5);
  });

  it('honours a per-request override, including 0', async () => {
    const seen = scriptedThings('get', Array(10).fill(status(500)));
    const { client } = makeClient({ maxRetries: 4 });
    await expect(dataOrThrow(client.GET('/v1/things', { maxRetries: 0 }))).rejects.toBeInstanceOf(InternalServerError);
    expect(seen).toHaveLength(1);
  });
});

describe('what each attempt sends', () => {
  it('numbers attempts in X-Tessera-Retry-Count, starting at 0', async () => {
    const seen = scriptedThings('get', [status(500), status(500)]);
    const { client } = makeClient();
    await dataOrThrow(client.GET('/v1/things'));
    expect(seen.map((r) => r.headers.get('x-tessera-retry-count'))).toEqual(['0', '1', '2']);
  });

  it('re-sends the same POST body and the same generated Idempotency-Key on every attempt', async () => {
    const seen = scriptedThings('post', [status(503), status(429)]);
    const { client } = makeClient();
    const body = { name: 'ingest pipeline', tags: ['batch', 'ünïcode ✓'] };
    await expect(dataOrThrow(client.POST('/v1/things', { body }))).resolves.toEqual({ id: 'thing_1', name: 'ok' });

    expect(seen).toHaveLength(3);
    expect(seen.map((r) => r.body)).toEqual(Array(3).fill(JSON.stringify(body)));
    const keys = seen.map((r) => r.headers.get('idempotency-key'));
    expect(keys[0]).toMatch(/^tessera-retry-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(keys)).toEqual(new Set([keys[0]]));
    expect(seen.every((r) => r.headers.get('content-type') === 'application/json')).toBe(true);
  });

  it('re-sends a raw binary body byte for byte when the retrying fetch is used directly', async () => {
    const bodies: string[] = [];
    server.use(
      http.post(`${BASE_URL}/upload`, async ({ request }) => {
        bodies.push(Buffer.from(await request.arrayBuffer()).toString('hex'));
        return bodies.length < 3 ? new HttpResponse(null, { status: 502 }) : new HttpResponse(null, { status: 204 });
      }),
    );
    const { transport } = makeClient();
    const response = await transport.fetch(`${BASE_URL}/upload`, { method: 'POST', body: new Uint8Array([0, 1, 254, 255]) });
    expect(response.status).toBe(204);
    expect(bodies).toEqual(['0001feff', '0001feff', '0001feff']);
  });

  it("keeps the caller's own Idempotency-Key on every attempt", async () => {
    const seen = scriptedThings('post', [status(500), status(500)]);
    const { client } = makeClient();
    await dataOrThrow(client.POST('/v1/things', { body: { name: 'abc' }, headers: { 'Idempotency-Key': 'my-key-1' } }));
    expect(seen.map((r) => r.headers.get('idempotency-key'))).toEqual(['my-key-1', 'my-key-1', 'my-key-1']);
  });

  it('gives each POST call its own key and sends none on a GET', async () => {
    const posts = scriptedThings('post', []);
    const { client } = makeClient();
    await dataOrThrow(client.POST('/v1/things', { body: { name: 'one' } }));
    await dataOrThrow(client.POST('/v1/things', { body: { name: 'two' } }));
    expect(posts[0]!.headers.get('idempotency-key')).not.toBe(posts[1]!.headers.get('idempotency-key'));

    const gets = scriptedThings('get', []);
    await dataOrThrow(client.GET('/v1/things'));
    expect(gets[0]!.headers.has('idempotency-key')).toBe(false);
  });

  it('hands the global fetch a URL and an init, never a Request', async () => {
    scriptedThings('post', [status(503)]);
    const { client } = makeClient();
    const inputs: unknown[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = (input, init) => {
      inputs.push(input);
      return original(input, init);
    };
    try {
      await dataOrThrow(client.POST('/v1/things', { body: { name: 'abc' } }));
    } finally {
      globalThis.fetch = original;
    }
    // A Request would cost a body stream, and undici pipes a Request's body through a TransformStream.
    expect(inputs).toEqual([THINGS, THINGS]);
  });

  it('re-sends the body and Idempotency-Key as middleware left them, when middleware gets real Requests', async () => {
    const seen = scriptedThings('post', [status(500), status(429)]);
    const { client } = makeClient();
    const received: unknown[] = [];
    client.use({
      onRequest({ request }) {
        received.push(request);
        request.headers.set('X-Trace', 'abc');
      },
    });
    await dataOrThrow(client.POST('/v1/things', { body: { name: 'abc' } }));
    expect(received).toHaveLength(1);
    expect(received[0]).toBeInstanceOf(Request);
    expect(seen.map((r) => r.body)).toEqual(Array(3).fill('{"name":"abc"}'));
    expect(seen.map((r) => r.headers.get('x-trace'))).toEqual(['abc', 'abc', 'abc']);
    expect(new Set(seen.map((r) => r.headers.get('idempotency-key'))).size).toBe(1);
  });

  it("gives a call's own middleware a real Request, whose edits are re-sent on every attempt", async () => {
    const seen = scriptedThings('post', [status(502)]);
    const { client } = makeClient();
    const received: unknown[] = [];
    const middleware = {
      onRequest({ request }: { request: Request }) {
        received.push(request);
        request.headers.set('X-Trace', `${request.method} ${new URL(request.url).pathname}`);
        return request.clone(); // any Request API works
      },
    };
    await dataOrThrow(client.POST('/v1/things', { body: { name: 'abc' }, middleware: [middleware] }));
    expect(received[0]).toBeInstanceOf(Request);
    expect(seen.map((r) => r.headers.get('x-trace'))).toEqual(['POST /v1/things', 'POST /v1/things']);
    expect(seen.map((r) => r.body)).toEqual(['{"name":"abc"}', '{"name":"abc"}']);
    // An empty list is no middleware; a later call with some gets a Request again.
    const plain: unknown[] = [];
    await dataOrThrow(client.POST('/v1/things', { body: { name: 'def' }, middleware: [] }));
    await dataOrThrow(client.POST('/v1/things', { body: { name: 'ghi' }, middleware: [{ onRequest: ({ request }: { request: Request }) => void plain.push(request) }] }));
    expect(plain[0]).toBeInstanceOf(Request);
  });

  it("gives a call's own fetch a real Request", async () => {
    scriptedThings('post', []);
    const { client } = makeClient();
    const received: unknown[] = [];
    await dataOrThrow(
      client.POST('/v1/things', {
        body: { name: 'abc' },
        fetch: (request: Request) => {
          received.push(request.clone());
          return fetch(request);
        },
      }),
    );
    expect(received[0]).toBeInstanceOf(Request);
    expect(await (received[0] as Request).text()).toBe('{"name":"abc"}');
  });

  it('gives a custom fetch a Request per attempt, with the same body and Idempotency-Key', async () => {
    const seen = scriptedThings('post', [status(503)]);
    const requests: Request[] = [];
    const { client } = makeClient({
      fetch: (request) => {
        requests.push(request);
        return fetch(request);
      },
    });
    await dataOrThrow(client.POST('/v1/things', { body: { name: 'abc' } }));
    expect(requests).toHaveLength(2);
    expect(requests.every((r) => r instanceof Request && r.method === 'POST' && r.url === THINGS)).toBe(true);
    expect(seen.map((r) => r.body)).toEqual(['{"name":"abc"}', '{"name":"abc"}']);
    expect(requests[0]!.headers.get('idempotency-key')).toBe(requests[1]!.headers.get('idempotency-key'));
  });

  it('reads a stream body once and re-sends its bytes on every attempt', async () => {
    const bodies: string[] = [];
    server.use(
      http.post(`${BASE_URL}/upload`, async ({ request }) => {
        bodies.push(await request.text());
        return bodies.length < 2 ? new HttpResponse(null, { status: 503 }) : new HttpResponse(null, { status: 204 });
      }),
    );
    const { transport } = makeClient();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('part one, '));
        controller.enqueue(new TextEncoder().encode('part two'));
        controller.close();
      },
    });
    const response = await transport.fetch(`${BASE_URL}/upload`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(204);
    expect(bodies).toEqual(['part one, part two', 'part one, part two']);
  });

  it('runs openapi-fetch middleware once per call, not once per attempt', async () => {
    scriptedThings('get', [status(500), status(500)]);
    const { client } = makeClient();
    let onRequestCalls = 0;
    client.use({
      onRequest() {
        onRequestCalls++;
      },
    });
    await dataOrThrow(client.GET('/v1/things'));
    expect(onRequestCalls).toBe(1);
  });
});

describe('how long to wait', () => {
  it('waits exactly Retry-After seconds, without jitter', async () => {
    scriptedThings('get', [status(429, { 'Retry-After': '3' })]);
    const { client, sleep } = makeClient();
    await dataOrThrow(client.GET('/v1/things'));
    expect(sleep.delays).toEqual([3000]);
  });

  it('waits until a Retry-After HTTP-date', async () => {
    scriptedThings('get', [status(503, { 'Retry-After': new Date(NOW + 7000).toUTCString() })]);
    const { client, sleep } = makeClient();
    await dataOrThrow(client.GET('/v1/things'));
    expect(sleep.delays).toEqual([7000]);
  });

  it('waits until X-RateLimit-Reset when no requests remain', async () => {
    const reset = String(NOW / 1000 + 12);
    scriptedThings('get', [status(429, { 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': reset })]);
    const { client, sleep } = makeClient();
    await dataOrThrow(client.GET('/v1/things'));
    expect(sleep.delays).toEqual([12_000]);
  });

  it('ignores X-RateLimit-Reset while requests remain, and backs off instead', async () => {
    const reset = String(NOW / 1000 + 30);
    scriptedThings('get', [status(503, { 'X-RateLimit-Remaining': '5', 'X-RateLimit-Reset': reset })]);
    const { client, sleep } = makeClient();
    await dataOrThrow(client.GET('/v1/things'));
    expect(sleep.delays).toEqual([375]); // backoff 500 ms with equal jitter at random() = 0.5
  });

  it('backs off exponentially from 0.5 s with equal jitter', async () => {
    scriptedThings('get', [status(500), status(500), status(500)]);
    const low = makeClient({ maxRetries: 3 }, { random: () => 0 });
    await dataOrThrow(low.client.GET('/v1/things'));
    expect(low.sleep.delays).toEqual([250, 500, 1000]);

    scriptedThings('get', [status(500), status(500), status(500)]);
    const high = makeClient({ maxRetries: 3 }, { random: () => 0.75 });
    await dataOrThrow(high.client.GET('/v1/things'));
    expect(high.sleep.delays).toEqual([437.5, 875, 1750]);
  });

  it('does not retry when Retry-After exceeds the 60 s cap, and surfaces the 429 at once', async () => {
    const seen = scriptedThings('get', [status(429, { 'Retry-After': '120' })]);
    const { client, sleep } = makeClient();
    const error = await rejectionOf(dataOrThrow(client.GET('/v1/things')));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(120);
    expect(seen).toHaveLength(1);
    expect(sleep.delays).toEqual([]);
  });

  it('does not retry when the rate-limit reset is beyond the cap', async () => {
    const reset = String(NOW / 1000 + 61);
    const seen = scriptedThings('get', [status(429, { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': reset })]);
    const { client } = makeClient();
    await expect(dataOrThrow(client.GET('/v1/things'))).rejects.toBeInstanceOf(RateLimitError);
    expect(seen).toHaveLength(1);
  });

  it('applies a custom maxRetryDelay cap', async () => {
    const seen = scriptedThings('get', [status(429, { 'Retry-After': '5' })]);
    const { client } = makeClient({ maxRetryDelay: 2000 });
    await expect(dataOrThrow(client.GET('/v1/things'))).rejects.toBeInstanceOf(RateLimitError);
    expect(seen).toHaveLength(1);
  });

  it('surfaces a RateLimitError with the rate-limit state once 429 retries are exhausted', async () => {
    const headers = { 'Retry-After': '1', 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(NOW / 1000 + 1) };
    const seen = scriptedThings('get', Array(5).fill(status(429, headers)));
    const { client, sleep } = makeClient();
    const error = (await rejectionOf(dataOrThrow(client.GET('/v1/things')))) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.rateLimit).toMatchObject({ limit: 1000, remaining: 0 });
    expect(seen).toHaveLength(3);
    expect(sleep.delays).toEqual([1000, 1000]);
  });
});

describe('timeouts', () => {
  it('times out each attempt, retries, then throws APIConnectionTimeoutError', async () => {
    let attempts = 0;
    server.use(
      api.get('/v1/things', async () => {
        attempts++;
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const { client, sleep } = makeClient({ timeout: 10 });
    const error = await rejectionOf(client.GET('/v1/things'));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect((error as Error).message).toMatch(/timed out after 10 ms: GET http:\/\/tessera\.test\/v1\/things/);
    expect(attempts).toBe(3);
    expect(sleep.delays).toHaveLength(2);
  });

  it('returns the answer when an attempt after a timeout succeeds', async () => {
    let attempts = 0;
    server.use(
      api.get('/v1/things', async () => {
        attempts++;
        if (attempts === 1) await delay('infinite');
        return HttpResponse.json({ data: [{ id: 't', name: 'n' }], has_more: false, next_cursor: null });
      }),
    );
    const { client } = makeClient({ timeout: 50 });
    await expect(dataOrThrow(client.GET('/v1/things'))).resolves.toMatchObject({ data: [{ id: 't' }] });
    expect(attempts).toBe(2);
  });

  it('accepts a per-request timeout that overrides the client-wide one', async () => {
    let attempts = 0;
    server.use(
      api.get('/v1/things', async () => {
        attempts++;
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const { client } = makeClient(); // 60 s client-wide: without the override this test would hang
    await expect(client.GET('/v1/things', { timeout: 10, maxRetries: 1 })).rejects.toBeInstanceOf(APIConnectionTimeoutError);
    expect(attempts).toBe(2);
  });
});

describe('AbortSignal', () => {
  it('sends nothing when the signal is already aborted', async () => {
    const seen = scriptedThings('get', []);
    const { client } = makeClient();
    const controller = new AbortController();
    controller.abort();
    await expect(client.GET('/v1/things', { signal: controller.signal })).rejects.toBeInstanceOf(APIUserAbortError);
    expect(seen).toHaveLength(0);
  });

  it('aborts an in-flight request and does not retry', async () => {
    const controller = new AbortController();
    let attempts = 0;
    server.use(
      api.get('/v1/things', async () => {
        attempts++;
        controller.abort();
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const { client, sleep } = makeClient();
    await expect(client.GET('/v1/things', { signal: controller.signal })).rejects.toBeInstanceOf(APIUserAbortError);
    expect(attempts).toBe(1);
    expect(sleep.delays).toEqual([]);
  });

  it('stops during the wait between attempts', async () => {
    const seen = scriptedThings('get', [status(503), status(503)]);
    const controller = new AbortController();
    const abortingSleep = async () => controller.abort();
    const { client } = makeClient({}, { sleep: abortingSleep });
    await expect(client.GET('/v1/things', { signal: controller.signal })).rejects.toBeInstanceOf(APIUserAbortError);
    expect(seen).toHaveLength(1);
  });

  it('the default sleep rejects as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const sleeping = defaultSleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    await expect(defaultSleep(60_000, controller.signal)).rejects.toThrow('stop');
  });
});
