/**
 * An example of testing application code against Tessera with no server and no port: a tiny
 * "billing service" that charges a customer's API call only when Tessera says the key is valid.
 * The stateful mock (the real app, in memory, behind MSW) gives real keys and real verdicts; typed
 * one-off overrides (openapi-msw) force the answers that are hard to provoke: a 429, a 500.
 * Copy this file's pattern into your own tests; see docs/guides/testing-with-mocks.md.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { specValidator } from '@tessera/spec';
import { createTesseraMock, problemBody, problemHeaders, tesseraHttp, type TesseraMock } from './index.js';

// ---------------------------------------------------------------------------------------------
// The application code under test. It knows nothing about mocks: plain fetch to its Tessera URL.

type ChargeResult =
  | { charged: true; customer: string; cents: number }
  | { charged: false; reason: string }
  | { charged: false; reason: 'retry_later'; retryAfterSeconds: number };

interface BillingConfig {
  tesseraUrl: string;
  /** The billing backend's own credential, allowed to verify keys (`keys.verify`). */
  serviceToken: string;
}

/** Charges `cents` to the customer owning `apiKey`, if the key is valid and may `billing.charge`. */
async function chargeApiCall(config: BillingConfig, apiKey: string, cents: number): Promise<ChargeResult> {
  const response = await fetch(`${config.tesseraUrl}/v1/keys/verify`, {
    method: 'POST',
    headers: { authorization: `Bearer ${config.serviceToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ key: apiKey, required_scopes: ['billing.charge'] }),
  });
  if (response.status === 429) {
    return { charged: false, reason: 'retry_later', retryAfterSeconds: Number(response.headers.get('retry-after') ?? '1') };
  }
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { code?: string; request_id?: string };
    throw new Error(`Tessera answered ${response.status} ${problem.code ?? ''} (request ${problem.request_id ?? response.headers.get('x-request-id')})`);
  }
  const verdict = (await response.json()) as { valid: boolean; code: string; key: { metadata: Record<string, unknown> } | null };
  if (!verdict.valid) return { charged: false, reason: verdict.code };
  return { charged: true, customer: String(verdict.key!.metadata.customer), cents };
}

// ---------------------------------------------------------------------------------------------
// The tests.

const baseUrl = 'http://tessera.test';
let tessera: TesseraMock;
const server = setupServer();
const http = tesseraHttp(baseUrl);
const config = () => ({ tesseraUrl: baseUrl, serviceToken: tessera.token });
const violations: string[] = [];

/** Test setup through the same URL: the admin adds the product's scope and creates a customer key. */
async function customerKey(body: Record<string, unknown> = {}): Promise<{ id: string; key: string }> {
  const headers = { authorization: `Bearer ${tessera.token}`, 'content-type': 'application/json' };
  const scopes = await fetch(`${baseUrl}/v1/workspaces/${tessera.workspaceId}/scopes`, { method: 'POST', headers, body: JSON.stringify({ name: 'billing.charge' }) });
  expect([201, 409]).toContain(scopes.status);
  const created = await fetch(`${baseUrl}/v1/workspaces/${tessera.workspaceId}/api-keys`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'Acme production', scopes: ['billing.charge'], metadata: { customer: 'acme' }, ...body }),
  });
  expect(created.status).toBe(201);
  return (await created.json()) as { id: string; key: string };
}

beforeAll(async () => {
  tessera = await createTesseraMock({ baseUrl });
  server.use(...tessera.handlers);
  // Every answer the application sees, mocked or real, must be one the spec allows.
  server.events.on('response:mocked', async ({ request, response }) => {
    const text = await response.clone().text();
    const body = text && /^application\/([a-z.+-]+\+)?json\b/i.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text || undefined;
    violations.push(...specValidator().checkExchange({ method: request.method, path: new URL(request.url).pathname, status: response.status, headers: response.headers, body }));
  });
  server.listen({ onUnhandledRequest: 'error' });
});

afterEach(async () => {
  expect(violations.splice(0), 'answers that break the spec').toEqual([]);
  expect(tessera.errors, 'unexpected server errors').toEqual([]);
  server.resetHandlers(...tessera.handlers);
  await tessera.reset();
});

afterAll(async () => {
  server.close();
  await tessera.close();
});

describe('chargeApiCall, against the stateful in-process mock', () => {
  it('charges the customer of a valid key', async () => {
    const { key } = await customerKey();
    await expect(chargeApiCall(config(), key, 25)).resolves.toEqual({ charged: true, customer: 'acme', cents: 25 });
  });

  it('refuses a revoked key, a key without the scope, and a key it never heard of', async () => {
    const { id, key } = await customerKey();
    const narrow = await customerKey({ name: 'Read only', scopes: [] });
    await fetch(`${baseUrl}/v1/workspaces/${tessera.workspaceId}/api-keys/${id}/revoke`, { method: 'POST', headers: { authorization: `Bearer ${tessera.token}` } });
    await expect(chargeApiCall(config(), key, 25)).resolves.toEqual({ charged: false, reason: 'revoked' });
    await expect(chargeApiCall(config(), narrow.key, 25)).resolves.toEqual({ charged: false, reason: 'insufficient_scope' });
    await expect(chargeApiCall(config(), 'sk_live_notARealKey', 25)).resolves.toEqual({ charged: false, reason: 'malformed' });
  });

  it('keeps state between calls and forgets it on reset()', async () => {
    const { key } = await customerKey();
    await chargeApiCall(config(), key, 1);
    expect(tessera.events.some((e) => e.type === 'api_key.used')).toBe(true);
    const workspace = tessera.workspaceId;
    await tessera.reset();
    expect(tessera.workspaceId).toBe(workspace);
    expect(tessera.events).toEqual([]);
    await expect(chargeApiCall(config(), key, 1)).resolves.toEqual({ charged: false, reason: 'not_found' });
  });
});

describe('chargeApiCall, with typed one-off overrides', () => {
  it('asks the caller to retry later when Tessera rate-limits the verification (429 with Retry-After)', async () => {
    const { key } = await customerKey();
    server.use(
      http.post('/v1/keys/verify', ({ response }) =>
        response(429).json(problemBody(429, 'rate_limited', { retry_after: 7 }), {
          headers: problemHeaders({ 'Retry-After': '7', 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '1773931935' }),
        }),
      ),
    );
    await expect(chargeApiCall(config(), key, 25)).resolves.toEqual({ charged: false, reason: 'retry_later', retryAfterSeconds: 7 });
  });

  it('fails loudly, quoting the request id, when Tessera answers 500', async () => {
    const { key } = await customerKey();
    const problem = problemBody(500, 'internal_error');
    server.use(http.post('/v1/keys/verify', ({ response }) => response(500).json(problem, { headers: problemHeaders({ 'X-Request-Id': problem.request_id }) }), { once: true }));
    await expect(chargeApiCall(config(), key, 25)).rejects.toThrow(`Tessera answered 500 internal_error (request ${problem.request_id})`);
    // `once`: the next call reaches the stateful mock again.
    await expect(chargeApiCall(config(), key, 25)).resolves.toMatchObject({ charged: true });
  });
});
