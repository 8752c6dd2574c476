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
  it('leaves no listener behind on a signal shared by many calls, whatever they answer', async () => {
    const client = typedClient();
    const shared = new AbortController().signal;
    for (let i = 0; i < 15; i++) {
      await dataOrThrow(client.GET('/v1/things', { signal: shared }));
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
    const client = typedClient();
    const controller = new AbortController();
    const begun = heldOpen.length;
    const call = dataOrThrow(client.GET('/v1/things/{id}', { params: { path: { id: 'slow' } }, signal: controller.signal }));
    // Abort once the headers are in and the body is being read.
    while (heldOpen.length === begun) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort(new Error('shutting down'));
    const error = await call.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect((error as APIUserAbortError).cause).toEqual(new Error('shutting down'));
  });
});
