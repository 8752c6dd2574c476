/**
 * The SDK against the real reference server, in process on 127.0.0.1 with a free port: create, list, verify,
 * rotate, revoke, me, typed errors, audit events, and a forced 429 that the SDK rides out; health, the OpenAPI
 * document and the Prometheus metrics.
 */
import {
  AuthenticationError,
  ConflictError,
  NotFoundError,
  RateLimitError,
  Tessera,
  VERSION,
  isWellFormedKey,
  type ApiKeyCreated,
  type FetchLike,
} from '@tessera/sdk';
import { tesseraAuth } from '@tessera/sdk/hono';
import { Hono } from 'hono';
import { bootstrap, listen, openMemoryStore, type AuditEventInput, type RunningServer, type TesseraStore } from '@tessera/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: RunningServer;
let store: TesseraStore;
let admin: Tessera;
let workspaceId: string;
let adminToken: string;
const events: AuditEventInput[] = [];

/** A fetch that records each attempt's method, path and status (the SDK retries below it). */
function recordingFetch(log: Array<{ method: string; path: string; status: number }>): FetchLike {
  return async (request) => {
    const response = await fetch(request);
    log.push({ method: request.method, path: new URL(request.url).pathname, status: response.status });
    return response;
  };
}

beforeAll(async () => {
  store = openMemoryStore();
  const boot = await bootstrap(store, new Date());
  if (!boot?.token) throw new Error('bootstrap did not create an admin');
  adminToken = boot.token;
  workspaceId = boot.workspace.id;
  server = await listen({ store, events: { record: (event) => events.push(event) }, logError: () => {} });
  admin = new Tessera({ apiKey: adminToken, baseURL: server.url, workspaceId });
});

afterAll(async () => {
  await server?.close();
  await store?.close();
});

describe('the SDK against the reference server', () => {
  it('me() describes the admin token', async () => {
    const me = await admin.me();
    expect(me.credential.type).toBe('member_token');
    expect(me.workspace.id).toBe(workspaceId);
    expect(me.member.role).toBe('admin');
  });

  it('reads the server\'s health, its OpenAPI document and its Prometheus metrics', async () => {
    const health = await admin.health();
    expect(health.status).toBe('ok');
    expect(health.uptime_seconds).toBeGreaterThanOrEqual(0);
    const doc = await admin.openapiDocument();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/healthz', '/openapi.json', '/metrics', '/v1/me']));
    const { data: text, response } = await admin.metrics.prometheus().withResponse();
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text).toContain('# TYPE tessera_http_requests_total counter');
    expect(text).toContain('# TYPE tessera_api_keys gauge');
  });

  it('creates keys and lists them all with for await, across pages', async () => {
    const created: ApiKeyCreated[] = [];
    for (const name of ['Pipeline one', 'Pipeline two', 'Pipeline three']) {
      created.push(await admin.apiKeys.create({ name, scopes: ['api_keys.read'], expires_in: '30d', metadata: { suite: 'sdk' } }));
    }
    for (const key of created) {
      expect(isWellFormedKey(key.key)).toBe(true);
      expect(key.key.startsWith(key.key_prefix)).toBe(true);
      expect(key.status).toBe('active');
    }

    const seen: string[] = [];
    for await (const key of admin.apiKeys.list({ limit: 2 })) seen.push(key.id);
    expect(seen).toEqual(expect.arrayContaining(created.map((k) => k.id)));
    expect(new Set(seen).size).toBe(seen.length);

    const first = await admin.apiKeys.list({ limit: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.hasNextPage()).toBe(true);

    const fetched = await admin.apiKeys.get(created[0]!.id);
    expect(fetched).toMatchObject({ id: created[0]!.id, name: 'Pipeline one', metadata: { suite: 'sdk' } });
    expect(JSON.stringify(fetched)).not.toContain(created[0]!.key);
  });

  it('verifies a key against required scopes', async () => {
    const key = await admin.apiKeys.create({ name: 'Verify me', scopes: ['api_keys.read'], expires_in: '30d' });
    const valid = await admin.keys.verify({ key: key.key, required_scopes: ['api_keys.read'] });
    expect(valid).toMatchObject({ valid: true, code: 'valid', key: { id: key.id, name: 'Verify me' } });
    expect(valid.rate_limit?.limit).toBeGreaterThan(0);

    const lacking = await admin.keys.verify({ key: key.key, required_scopes: ['api_keys.write'] });
    expect(lacking).toMatchObject({ valid: false, code: 'insufficient_scope', missing_scopes: ['api_keys.write'] });

    const unknown = await admin.keys.verify({ key: 'sk_live_' + 'A'.repeat(36) });
    expect(unknown.valid).toBe(false);
    expect(['not_found', 'malformed']).toContain(unknown.code);
  });

  it('rotates a key: the new key works, the old one is revoked at once with a zero grace period', async () => {
    const old = await admin.apiKeys.create({ name: 'Rotate me', scopes: ['api_keys.read'], expires_in: '30d' });
    const rotated = await admin.apiKeys.rotate(old.id, { grace_period_seconds: 0 });
    expect(rotated.key).not.toBe(old.key);
    expect(rotated.rotated_from).toBe(old.id);
    expect(rotated.previous_key).toMatchObject({ id: old.id, rotated_to: rotated.id });
    expect(await admin.keys.verify({ key: rotated.key })).toMatchObject({ valid: true, code: 'valid' });
    expect(await admin.keys.verify({ key: old.key })).toMatchObject({ valid: false });

    // A second rotation of the old key is a business conflict: thrown at once, not retried.
    const log: Array<{ method: string; path: string; status: number }> = [];
    const counted = new Tessera({ apiKey: adminToken, baseURL: server.url, workspaceId, fetch: recordingFetch(log) });
    const error = await counted.apiKeys.rotate(old.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(log.filter((r) => r.path.endsWith('/rotate'))).toHaveLength(1);
  });

  it('revokes a key: verify says revoked, and the key can no longer call the API', async () => {
    const key = await admin.apiKeys.create({ name: 'Revoke me', scopes: ['api_keys.read'], expires_in: '30d' });
    const asKey = new Tessera({ apiKey: key.key, baseURL: server.url, workspaceId });
    expect(await asKey.me()).toMatchObject({ credential: { type: 'api_key', id: key.id } });

    expect(await admin.apiKeys.revoke(key.id)).toMatchObject({ id: key.id, status: 'revoked' });
    expect(await admin.keys.verify({ key: key.key })).toMatchObject({ valid: false, code: 'revoked' });
    const denied = await asKey.me().catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(AuthenticationError);
    expect(denied).toMatchObject({ status: 401, code: 'key_revoked' });
    expect((denied as AuthenticationError).requestId).toMatch(/\S/);

    // Enabling a revoked key is a business conflict: a ConflictError, not retried.
    await expect(admin.apiKeys.enable(key.id)).rejects.toMatchObject({ status: 409, code: 'key_revoked' });
    expect(await admin.apiKeys.delete(key.id)).toEqual({ id: key.id, status: 'revoked' });
  });

  it('disables and enables a key, and updates it', async () => {
    const key = await admin.apiKeys.create({ name: 'Toggle me', scopes: ['api_keys.read'], expires_in: '30d' });
    expect(await admin.apiKeys.disable(key.id)).toMatchObject({ status: 'disabled' });
    expect(await admin.keys.verify({ key: key.key })).toMatchObject({ code: 'disabled' });
    expect(await admin.apiKeys.enable(key.id)).toMatchObject({ status: 'active' });
    const updated = await admin.apiKeys.update(key.id, { name: 'Toggled', rate_limit: { requests_per_minute: 120, burst: 10 } });
    expect(updated).toMatchObject({ name: 'Toggled', rate_limit: { requests_per_minute: 120, burst: 10 } });
  });

  it('throws NotFoundError for a key of nowhere, with the request id', async () => {
    const error = await admin.apiKeys.get('key_0000000000000000000000').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).requestId).toMatch(/\S/);
  });

  it('replays a POST with the same Idempotency-Key instead of creating twice', async () => {
    const idempotencyKey = `sdk-integration-${Date.now()}`;
    const first = await admin.apiKeys.create({ name: 'Once only', expires_in: '30d' }, { idempotencyKey }).withResponse();
    const again = await admin.apiKeys.create({ name: 'Once only', expires_in: '30d' }, { idempotencyKey }).withResponse();
    expect(again.data.id).toBe(first.data.id);
    expect(first.meta.idempotentReplayed).toBe(false);
    expect(again.meta.idempotentReplayed).toBe(true);
    expect(again.meta.requestId).toMatch(/\S/);
  });

  it('records audit events for what the SDK did, never with a raw key', async () => {
    const key = await admin.apiKeys.create({ name: 'Audited', scopes: ['api_keys.read'], expires_in: '30d' });
    await admin.keys.verify({ key: key.key });
    await admin.apiKeys.rotate(key.id, { grace_period_seconds: 60 });
    await admin.apiKeys.revoke(key.id);
    const about = events.filter((e) => e.target?.id === key.id);
    expect(about.map((e) => e.type)).toEqual(expect.arrayContaining(['api_key.created', 'api_key.used', 'api_key.rotated', 'api_key.revoked']));
    const created = about.find((e) => e.type === 'api_key.created')!;
    expect(created).toMatchObject({ workspace_id: workspaceId, method: 'POST', status: 201, actor: { type: 'member' }, user_agent: `tessera-sdk/${VERSION}` });
    expect(JSON.stringify(events)).not.toContain(key.key);
  });

  it('protects a Hono app with the workspace\'s keys', async () => {
    const app = new Hono();
    app.use('/api/*', tesseraAuth({ client: admin, requiredScopes: ['api_keys.read'] }));
    app.get('/api/whoami', (c) => c.json({ key: c.get('tesseraKey').id }));
    const call = (key?: string) => app.request('/api/whoami', { headers: key ? { Authorization: `Bearer ${key}` } : {} });

    const reader = await admin.apiKeys.create({ name: 'Reader', scopes: ['api_keys.read'], expires_in: '30d' });
    const ok = await call(reader.key);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ key: reader.id });
    expect(Number(ok.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0);

    const noScope = await admin.apiKeys.create({ name: 'No scope', scopes: ['api_keys.write'], expires_in: '30d' });
    const forbidden = await call(noScope.key);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ code: 'insufficient_scope', missing_scopes: ['api_keys.read'] });

    await admin.apiKeys.revoke(reader.id);
    const revoked = await call(reader.key);
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ code: 'key_revoked' });

    expect(await (await call()).json()).toMatchObject({ code: 'missing_credentials' });
    const unknown = await call(`sk_live_${'A'.repeat(36)}`);
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
  });

  it('rides out a 429: waits Retry-After, retries, and returns the answer', async () => {
    // 60 requests a minute and no burst: once the allowance is spent, one request a second passes.
    const limited = await admin.apiKeys.create({ name: 'Rate limited', expires_in: '30d', rate_limit: { requests_per_minute: 60, burst: 0 } });
    const log: Array<{ method: string; path: string; status: number }> = [];
    const client = new Tessera({ apiKey: limited.key, baseURL: server.url, workspaceId, fetch: recordingFetch(log) });

    let rodeOut: { attempts: number[]; remaining: number | null | undefined } | undefined;
    for (let i = 0; i < 200 && !rodeOut; i++) {
      const before = log.length;
      const { data, meta } = await client.me().withResponse();
      expect(data.credential.id).toBe(limited.id);
      const attempts = log.slice(before).map((r) => r.status);
      if (attempts.includes(429)) rodeOut = { attempts, remaining: meta.rateLimit?.remaining };
    }
    expect(rodeOut, 'the allowance never ran out').toBeDefined();
    expect(rodeOut!.attempts).toEqual([429, 200]);
    expect(rodeOut!.remaining).toBe(0);

    // Without retries, the same situation surfaces as a RateLimitError carrying Retry-After and the state.
    const error = await client.me({ maxRetries: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBeGreaterThanOrEqual(1);
    expect((error as RateLimitError).rateLimit).toMatchObject({ limit: 60, remaining: 0 });
  });
});
