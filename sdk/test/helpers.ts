import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { generateApiKey } from '../src/key-format.js';
import type { Sleep } from '../src/core/retry.js';

export const BASE_URL = 'http://tessera.test';
export const API_KEY = generateApiKey({ environment: 'test' });

/** An MSW server for one test file: unhandled requests fail the test instead of reaching the network. */
export function useMswServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** A sleep that records the requested delays and returns at once, so retry tests never wait. */
export function recordingSleep(): Sleep & { delays: number[] } {
  const delays: number[] = [];
  const sleep = (async (ms: number) => {
    delays.push(ms);
  }) as Sleep & { delays: number[] };
  sleep.delays = delays;
  return sleep;
}

/** An RFC 9457 problem response as the Tessera server sends it. */
export function problemResponse(
  status: number,
  problem: Record<string, unknown>,
  headers: Record<string, string> = {},
): Response {
  const requestId = (problem.request_id as string | undefined) ?? `req_${status}`;
  return new Response(JSON.stringify({ type: 'about:blank', status, request_id: requestId, ...problem }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', 'X-Request-Id': requestId, ...headers },
  });
}

/** What a handler saw of a request. */
export interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

/** Records a request (body parsed as JSON when there is one) for later assertions. */
export async function record(seen: SeenRequest[], request: Request): Promise<void> {
  const text = await request.text();
  seen.push({ method: request.method, url: new URL(request.url), headers: request.headers, body: text ? (JSON.parse(text) as unknown) : undefined });
}
