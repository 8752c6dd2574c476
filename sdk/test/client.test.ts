import { readFileSync } from 'node:fs';
import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { CLIENT_HEADER, createTransport, dataOrThrow, dataWithResponse } from '../src/core/client.js';
import { APIUserAbortError, ConflictError, NotFoundError, TesseraError } from '../src/core/errors.js';
import { VERSION } from '../src/version.js';
import { API_KEY, BASE_URL, problemResponse, recordingSleep, useMswServer } from './helpers.js';
import { thingsApi, type TestPaths } from './test-paths.js';

const server = useMswServer();

function makeClient(defaultHeaders?: Record<string, string>) {
  const transport = createTransport({ apiKey: API_KEY, baseURL: `${BASE_URL}/`, defaultHeaders }, { sleep: recordingSleep(), globals: {} });
  return { transport, client: transport.createTypedClient<TestPaths>() };
}

function captureHeaders(): Headers[] {
  const seen: Headers[] = [];
  server.use(
    thingsApi.get('/v1/things/{id}', ({ request, params }) => {
      seen.push(request.headers);
      return HttpResponse.json({ id: params.id, name: 'widget' });
    }),
  );
  return seen;
}

describe('createTransport', () => {
  it('sends the key as a Bearer token, the client header and default headers to the base URL', async () => {
    const seen = captureHeaders();
    const { client } = makeClient({ 'X-Trace': 'abc' });
    await expect(dataOrThrow(client.GET('/v1/things/{id}', { params: { path: { id: 'thing_9' } } }))).resolves.toEqual({ id: 'thing_9', name: 'widget' });
    expect(seen[0]!.get('authorization')).toBe(`Bearer ${API_KEY}`);
    expect(seen[0]!.get(CLIENT_HEADER)).toBe(`tessera-sdk/${VERSION}`);
    expect(seen[0]!.get('x-trace')).toBe('abc');
    expect(seen[0]!.get('accept')).toBe('application/json, application/problem+json');
  });

  it('lets a single call use another credential', async () => {
    const seen = captureHeaders();
    const { client } = makeClient();
    await dataOrThrow(client.GET('/v1/things/{id}', { params: { path: { id: 'x' } }, headers: { Authorization: 'Bearer other' } }));
    expect(seen[0]!.get('authorization')).toBe('Bearer other');
  });

  it('keeps the key out of its public config', () => {
    const { transport } = makeClient();
    expect(JSON.stringify(transport.config)).not.toContain(API_KEY.slice(12));
    expect(transport.config.keyHint).toBe(`${API_KEY.slice(0, 12)}…${API_KEY.slice(-4)}`);
    expect(transport.config.baseURL).toBe(BASE_URL);
    expect(Object.isFrozen(transport.config)).toBe(true);
  });

  it('uses the global fetch at call time, so interceptors installed after creation still apply', async () => {
    const seen = captureHeaders();
    const { client } = makeClient();
    const original = globalThis.fetch;
    let calls = 0;
    globalThis.fetch = (input, init) => {
      calls++;
      return original(input, init);
    };
    try {
      await dataOrThrow(client.GET('/v1/things/{id}', { params: { path: { id: 'x' } } }));
    } finally {
      globalThis.fetch = original;
    }
    expect(calls).toBe(1);
    expect(seen).toHaveLength(1);
  });
});

describe('dataOrThrow / dataWithResponse', () => {
  it('throws the error class of the status with the problem details', async () => {
    server.use(thingsApi.get('/v1/things/{id}', () => problemResponse(404, { code: 'not_found', detail: 'No such thing.', request_id: 'req_404' })));
    const { client } = makeClient();
    const error = await dataOrThrow(client.GET('/v1/things/{id}', { params: { path: { id: 'nope' } } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'not_found', requestId: 'req_404' });
    expect((error as Error).message).toBe('404 not_found: No such thing. (request id: req_404)');
  });

  it('throws for an error status with an empty body too', async () => {
    server.use(thingsApi.get('/v1/things/{id}', () => new HttpResponse(null, { status: 409, headers: { 'X-Request-Id': 'req_e' } })));
    const { client } = makeClient();
    const error = await dataOrThrow(client.GET('/v1/things/{id}', { params: { path: { id: 'x' } }, maxRetries: 0 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ requestId: 'req_e' });
  });

  it('returns undefined data for a 204', async () => {
    server.use(thingsApi.delete('/v1/things/{id}', () => new HttpResponse(null, { status: 204 })));
    const { client } = makeClient();
    await expect(dataOrThrow(client.DELETE('/v1/things/{id}', { params: { path: { id: 'x' } } }))).resolves.toBeUndefined();
  });

  it('returns the request id, rate-limit state and replay flag alongside the data', async () => {
    server.use(
      thingsApi.post('/v1/things', () =>
        HttpResponse.json(
          { id: 'thing_1', name: 'replayed' },
          { status: 201, headers: { 'X-Request-Id': 'req_r', 'Idempotent-Replayed': 'true', 'X-RateLimit-Remaining': '99' } },
        ),
      ),
    );
    const { client } = makeClient();
    const { data, meta, response } = await dataWithResponse(client.POST('/v1/things', { body: { name: 'abc' } }));
    expect(data).toEqual({ id: 'thing_1', name: 'replayed' });
    expect(response.status).toBe(201);
    expect(meta).toMatchObject({ requestId: 'req_r', idempotentReplayed: true, rateLimit: { remaining: 99 } });
  });

  it('wraps failures after the response (invalid JSON) in a TesseraError', async () => {
    server.use(thingsApi.get('/v1/things/{id}', () => new Response('{not json', { status: 200, headers: { 'Content-Type': 'application/json' } })));
    const { client } = makeClient();
    const error = await dataOrThrow(client.GET('/v1/things/{id}', { params: { path: { id: 'x' } } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TesseraError);
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
  });

  it('turns an abort while the body is read into APIUserAbortError', async () => {
    const failing = Promise.reject(new DOMException('The operation was aborted.', 'AbortError'));
    await expect(dataOrThrow(failing)).rejects.toBeInstanceOf(APIUserAbortError);
  });
});

describe('VERSION', () => {
  it('matches package.json, since it is sent as the User-Agent', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
