/**
 * A caller's AbortSignal against a real HTTP server (not MSW, whose mocked bodies do not follow an abort): what it
 * aborts once the headers are in, and that calls sharing one long-lived signal do not leave listeners on it.
 */
import { getEventListeners } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransport, dataOrThrow } from '../src/core/client.js';
import { APIUserAbortError } from '../src/core/errors.js';
import { API_KEY } from './helpers.js';
import type { TestPaths } from './test-paths.js';

let server: Server;
let baseURL: string;
/** Responses whose body the server has begun and holds open until the test ends. */
const heldOpen: ServerResponse[] = [];
let flakyCalls = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    if (request.url?.startsWith('/v1/things/slow')) {
      // The headers and the start of the body, then nothing: the client is left reading.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"data":[');
      heldOpen.push(response);
      return;
    }
    if (request.url?.startsWith('/v1/things/flaky')) {
      // Every other call: a 503 first, which the client retries.
      flakyCalls += 1;
      if (flakyCalls % 2 === 1) {
        response.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '0' }).end('{"status":503,"code":"unavailable","title":"Try again"}');
        return;
      }
    }
    if (request.url?.startsWith('/v1/things/garbled')) {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{not json');
      return;
    }
    if (request.url?.startsWith('/v1/things/dropped')) {
      // The headers and part of the body, then the connection is cut.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"id":');
      setTimeout(() => response.socket?.destroy(), 5);
      return;
    }
    if (request.method === 'DELETE') {
      response.writeHead(204).end();
      return;
    }
    if (request.url?.startsWith('/v1/things/missing')) {
      response.writeHead(404, { 'content-type': 'application/problem+json' }).end('{"status":404,"code":"not_found","title":"Not found"}');
      return;
    }
    response.writeHead(request.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
    response.end(request.method === 'POST' ? '{"id":"thing_1","name":"ok"}' : '{"data":[],"has_more":false,"next_cursor":null}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const response of heldOpen) response.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const typedClient = () => createTransport({ apiKey: API_KEY, baseURL }, { globals: {} }).createTypedClient<TestPaths>();
const abortListeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

describe("a caller's signal", () => {
  it('leaves no listener behind on a signal shared by many calls: answered, retried, failed while the body was read', async () => {
    const client = typedClient();
    const shared = new AbortController().signal;
    const thing = (id: string) => ({ params: { path: { id } }, signal: shared });
    for (let i = 0; i < 15; i++) {
      await dataOrThrow(client.GET('/v1/things', { signal: shared }));
      await dataOrThrow(client.GET('/v1/things/{id}', thing('flaky')));
      await expect(dataOrThrow(client.GET('/v1/things/{id}', thing('garbled')))).rejects.toThrow();
      await expect(dataOrThrow(client.GET('/v1/things/{id}', thing('dropped')))).rejects.toThrow();
      await dataOrThrow(client.POST('/v1/things', { body: { name: `thing ${i}` }, signal: shared }));
      await client.DELETE('/v1/things/{id}', { params: { path: { id: 'thing_1' } }, signal: shared });
      await client.GET('/v1/things/{id}', { params: { path: { id: 'missing' } }, signal: shared });
    }
    expect(abortListeners(shared)).toBe(0);
  });

  it('stays linked to a body handed back as a stream, and aborts its read', async () => {
    const client = typedClient();
    const controller = new AbortController();
    const { data } = await client.GET('/v1/things/{id}', { params: { path: { id: 'slow' } }, parseAs: 'stream', signal: controller.signal });
    expect(abortListeners(controller.signal)).toBe(1);
    const reader = (data as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    controller.abort(new Error('shutting down'));
    const error = await reader.read().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect((error as APIUserAbortError).cause).toEqual(new Error('shutting down'));
  });

  it('turns an abort while the body is read, with a reason of its own, into APIUserAbortError', async () => {
    const realFetch = globalThis.fetch;
    let headersArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (headersArrived = resolve));
    globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
      const response = await realFetch(...args);
      headersArrived();
      return response;
    };
    try {
      const client = typedClient();
      const controller = new AbortController();
      const call = dataOrThrow(client.GET('/v1/things/{id}', { params: { path: { id: 'slow' } }, signal: controller.signal }));
      await arrived;
      // A turn of the event loop: the client has the headers and is reading the body, which never ends.
      await new Promise((resolve) => setImmediate(resolve));
      controller.abort(new Error('shutting down'));
      const error = await call.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(APIUserAbortError);
      expect((error as APIUserAbortError).cause).toEqual(new Error('shutting down'));
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});
