/**
 * Each resource method sends the right method, path, query and body, and returns the data; typed MSW handlers
 * (openapi-msw) answer with responses shaped by the spec.
 */
import { HttpResponse, delay } from 'msw';
import { createOpenApiHttp } from 'openapi-msw';
import { describe, expect, it } from 'vitest';
import { Tessera } from '../src/client.js';
import { APIConnectionTimeoutError, APIUserAbortError, AuthenticationError, ConflictError, InternalServerError, NotFoundError, TesseraError } from '../src/core/errors.js';
import { APIPromise } from '../src/resources/shared.js';
import type { paths } from '../src/types.js';
import * as fx from './fixtures.js';
import { API_KEY, BASE_URL, problemResponse, record, recordingSleep, useMswServer, type SeenRequest } from './helpers.js';

const server = useMswServer();
const http = createOpenApiHttp<paths>({ baseUrl: BASE_URL });
const WS = fx.WS;
const KEY_ID = 'key_4Rt7Yu1Io5Pa8Sd2Fg6Hj9';

function makeClient(options: ConstructorParameters<typeof Tessera>[0] = {}, globals: object = {}) {
  const sleep = recordingSleep();
  const tessera = new Tessera({ apiKey: API_KEY, baseURL: BASE_URL, workspaceId: WS, ...options }, { sleep, random: () => 0.5, globals, idempotencyKey: () => 'generated-key' });
  return { tessera, sleep };
}

describe('apiKeys', () => {
  it('create POSTs the body with an Idempotency-Key and returns the created key', async () => {
    const seen: SeenRequest[] = [];
    server.use(
      http.post('/v1/workspaces/{workspace_id}/api-keys', async ({ request, params, response }) => {
        await record(seen, request);
        expect(params.workspace_id).toBe(WS);
        return response(201).json({ ...fx.apiKey({ name: 'CI/CD Pipeline' }), key: 'sk_live_new' });
      }),
    );
    const { tessera } = makeClient();
    const body = { name: 'CI/CD Pipeline', scopes: ['workflows.execute'], expires_in: '90d' as const, rate_limit: { requests_per_minute: 100, burst: 20 } };
    const created = await tessera.apiKeys.create(body);
    expect(created).toMatchObject({ name: 'CI/CD Pipeline', key: 'sk_live_new' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.body).toEqual(body);
    expect(seen[0]!.headers.get('idempotency-key')).toBe('generated-key');
    expect(seen[0]!.headers.get('authorization')).toBe(`Bearer ${API_KEY}`);
    expect(seen[0]!.headers.get('content-type')).toBe('application/json');
  });

  it('get, update, rotate, disable, enable, revoke and delete hit their paths', async () => {
    const seen: SeenRequest[] = [];
    const path = '/v1/workspaces/{workspace_id}/api-keys/{key_id}' as const;
    server.use(
      http.get(path, async ({ request, response }) => (await record(seen, request), response(200).json(fx.apiKey()))),
      http.patch(path, async ({ request, response }) => (await record(seen, request), response(200).json(fx.apiKey({ name: 'Renamed' })))),
      http.delete(path, async ({ request, response }) => (await record(seen, request), response(200).json({ id: KEY_ID, status: 'revoked' }))),
      http.post(`${path}/rotate`, async ({ request, response }) =>
        (await record(seen, request), response(201).json({ ...fx.apiKey({ id: 'key_new' }), key: 'sk_live_rotated', previous_key: fx.apiKey({ rotated_to: 'key_new' }) })),
      ),
      http.post(`${path}/disable`, async ({ request, response }) => (await record(seen, request), response(200).json(fx.apiKey({ status: 'disabled' })))),
      http.post(`${path}/enable`, async ({ request, response }) => (await record(seen, request), response(200).json(fx.apiKey({ status: 'active' })))),
      http.post(`${path}/revoke`, async ({ request, response }) => (await record(seen, request), response(200).json(fx.apiKey({ status: 'revoked' })))),
    );
    const { tessera } = makeClient();
    expect(await tessera.apiKeys.get(KEY_ID)).toMatchObject({ id: KEY_ID });
    expect(await tessera.apiKeys.update(KEY_ID, { name: 'Renamed', rate_limit: null })).toMatchObject({ name: 'Renamed' });
    expect(await tessera.apiKeys.rotate(KEY_ID, { grace_period_seconds: 3600 })).toMatchObject({ key: 'sk_live_rotated', previous_key: { rotated_to: 'key_new' } });
    expect(await tessera.apiKeys.rotate(KEY_ID)).toMatchObject({ id: 'key_new' });
    expect(await tessera.apiKeys.disable(KEY_ID)).toMatchObject({ status: 'disabled' });
    expect(await tessera.apiKeys.enable(KEY_ID)).toMatchObject({ status: 'active' });
    expect(await tessera.apiKeys.revoke(KEY_ID)).toMatchObject({ status: 'revoked' });
    expect(await tessera.apiKeys.delete(KEY_ID)).toEqual({ id: KEY_ID, status: 'revoked' });

    const base = `/v1/workspaces/${WS}/api-keys/${KEY_ID}`;
    expect(seen.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      `GET ${base}`,
      `PATCH ${base}`,
      `POST ${base}/rotate`,
      `POST ${base}/rotate`,
      `POST ${base}/disable`,
      `POST ${base}/enable`,
      `POST ${base}/revoke`,
      `DELETE ${base}`,
    ]);
    expect(seen[1]!.body).toEqual({ name: 'Renamed', rate_limit: null });
    expect(seen[2]!.body).toEqual({ grace_period_seconds: 3600 });
    expect(seen[3]!.body).toEqual({});
    expect(seen[4]!.body).toBeUndefined();
    // POSTs carry an Idempotency-Key; GET, PATCH and DELETE do not.
    expect(seen.map((r) => r.headers.has('idempotency-key'))).toEqual([false, false, true, true, true, true, true, false]);
  });

  it('list sends the filters, and `for await` walks every page following next_cursor', async () => {
    const seen: SeenRequest[] = [];
    const pages: Record<string, { ids: string[]; next: string | null }> = {
      first: { ids: ['key_a', 'key_b'], next: 'c2' },
      c2: { ids: ['key_c', 'key_d'], next: 'c3' },
      c3: { ids: ['key_e'], next: null },
    };
    server.use(
      http.get('/v1/workspaces/{workspace_id}/api-keys', async ({ request, query, response }) => {
        await record(seen, request);
        const page = pages[query.get('cursor') ?? 'first']!;
        return response(200).json({ data: page.ids.map((id) => fx.apiKey({ id })), has_more: page.next !== null, next_cursor: page.next });
      }),
    );
    const { tessera } = makeClient();
    const ids: string[] = [];
    for await (const key of tessera.apiKeys.list({ status: 'active', environment: 'live', limit: 2 })) ids.push(key.id);
    expect(ids).toEqual(['key_a', 'key_b', 'key_c', 'key_d', 'key_e']);
    expect(seen.map((r) => r.url.searchParams.get('cursor'))).toEqual([null, 'c2', 'c3']);
    for (const r of seen) {
      expect(r.url.searchParams.get('status')).toBe('active');
      expect(r.url.searchParams.get('environment')).toBe('live');
      expect(r.url.searchParams.get('limit')).toBe('2');
    }
  });

  it('list gives page-level access when awaited', async () => {
    server.use(
      http.get('/v1/workspaces/{workspace_id}/api-keys', ({ query, response }) =>
        response(200).json(
          query.get('cursor') === 'next'
            ? { data: [fx.apiKey({ id: 'key_2' })], has_more: false, next_cursor: null }
            : { data: [fx.apiKey({ id: 'key_1' })], has_more: true, next_cursor: 'next' },
        ),
      ),
    );
    const { tessera } = makeClient();
    const page = await tessera.apiKeys.list();
    expect(page.data.map((k) => k.id)).toEqual(['key_1']);
    expect(page.hasNextPage()).toBe(true);
    const next = await page.getNextPage();
    expect(next.data.map((k) => k.id)).toEqual(['key_2']);
    expect(next.hasNextPage()).toBe(false);
  });

  it('starts a list at a given cursor', async () => {
    const cursors: Array<string | null> = [];
    server.use(
      http.get('/v1/workspaces/{workspace_id}/api-keys', ({ query, response }) => {
        cursors.push(query.get('cursor'));
        return response(200).json({ data: [], has_more: false, next_cursor: null });
      }),
    );
    const { tessera } = makeClient();
    await tessera.apiKeys.list({ cursor: 'resume_here' });
    expect(cursors).toEqual(['resume_here']);
  });
});

describe('keys.verify and me', () => {
  it('verify POSTs the key and the required scopes', async () => {
    const seen: SeenRequest[] = [];
    server.use(
      http.post('/v1/keys/verify', async ({ request, response }) => {
        await record(seen, request);
        return response(200).json(fx.verifyResult('valid'));
      }),
    );
    const { tessera } = makeClient({ workspaceId: null });
    const result = await tessera.keys.verify({ key: 'sk_live_incoming', required_scopes: ['workflows.execute'] });
    expect(result).toMatchObject({ valid: true, code: 'valid', key: { name: 'CI/CD Pipeline' } });
    expect(seen[0]!.body).toEqual({ key: 'sk_live_incoming', required_scopes: ['workflows.execute'] });
  });

  it('me GETs /v1/me without needing a workspace', async () => {
    server.use(http.get('/v1/me', ({ response }) => response(200).json(fx.me())));
    const { tessera } = makeClient({ workspaceId: null });
    expect(await tessera.me()).toMatchObject({ workspace: { id: WS }, scopes: ['*'] });
  });
});

describe('workspaces', () => {
  it('list, create, get and update', async () => {
    const seen: SeenRequest[] = [];
    server.use(
      http.get('/v1/workspaces', async ({ request, response }) => (await record(seen, request), response(200).json({ data: [fx.workspace()], has_more: false, next_cursor: null }))),
      http.post('/v1/workspaces', async ({ request, response }) =>
        (await record(seen, request), response(201).json({ workspace: fx.workspace({ id: fx.OTHER_WS }), admin: { ...fx.member(), token: 'tpat_x' } })),
      ),
      http.get('/v1/workspaces/{workspace_id}', async ({ request, params, response }) => (await record(seen, request), response(200).json(fx.workspace({ id: params.workspace_id })))),
      http.patch('/v1/workspaces/{workspace_id}', async ({ request, params, response }) => (await record(seen, request), response(200).json(fx.workspace({ id: params.workspace_id, name: 'New' })))),
    );
    const { tessera } = makeClient();
    const all = [];
    for await (const w of tessera.workspaces.list()) all.push(w.id);
    expect(all).toEqual([WS]);
    expect(await tessera.workspaces.create({ name: 'Acme Staging', settings: { require_expiry: true } })).toMatchObject({ workspace: { id: fx.OTHER_WS }, admin: { token: 'tpat_x' } });
    expect(await tessera.workspaces.get()).toMatchObject({ id: WS });
    expect(await tessera.workspaces.get({ workspaceId: fx.OTHER_WS })).toMatchObject({ id: fx.OTHER_WS });
    expect(await tessera.workspaces.update({ name: 'New' })).toMatchObject({ name: 'New' });
    expect(seen.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      'GET /v1/workspaces',
      'POST /v1/workspaces',
      `GET /v1/workspaces/${WS}`,
      `GET /v1/workspaces/${fx.OTHER_WS}`,
      `PATCH /v1/workspaces/${WS}`,
    ]);
    expect(seen[1]!.body).toEqual({ name: 'Acme Staging', settings: { require_expiry: true } });
    expect(seen[4]!.body).toEqual({ name: 'New' });
  });

  it('list and create need no workspace id', async () => {
    server.use(
      http.get('/v1/workspaces', ({ response }) => response(200).json({ data: [fx.workspace()], has_more: false, next_cursor: null })),
      http.post('/v1/workspaces', ({ response }) => response(201).json({ workspace: fx.workspace(), admin: { ...fx.member(), token: 'tpat_x' } })),
    );
    const { tessera } = makeClient({ workspaceId: undefined });
    expect((await tessera.workspaces.list()).data).toHaveLength(1);
    expect(await tessera.workspaces.create({ name: 'Acme Staging' })).toMatchObject({ admin: { token: 'tpat_x' } });
    await expect(tessera.workspaces.get()).rejects.toThrow(/TESSERA_WORKSPACE_ID/);
  });
});

describe('members, roles and scopes', () => {
  it('members: list, create, get, update, deactivate', async () => {
    const seen: SeenRequest[] = [];
    const one = '/v1/workspaces/{workspace_id}/members/{member_id}' as const;
    server.use(
      http.get('/v1/workspaces/{workspace_id}/members', async ({ request, response }) => (await record(seen, request), response(200).json({ data: [fx.member()], has_more: false, next_cursor: null }))),
      http.post('/v1/workspaces/{workspace_id}/members', async ({ request, response }) => (await record(seen, request), response(201).json({ ...fx.member({ role: 'member' }), token: 'tpat_new' }))),
      http.get(one, async ({ request, response }) => (await record(seen, request), response(200).json(fx.member()))),
      http.patch(one, async ({ request, response }) => (await record(seen, request), response(200).json(fx.member({ role: 'member' })))),
      http.post(`${one}/deactivate`, async ({ request, response }) => (await record(seen, request), response(200).json(fx.member({ status: 'deactivated' })))),
    );
    const { tessera } = makeClient();
    expect((await tessera.members.list()).data).toHaveLength(1);
    expect(await tessera.members.create({ name: 'Grace Hopper', email: 'grace@example.com' })).toMatchObject({ token: 'tpat_new' });
    expect(await tessera.members.get(fx.MEMBER_ID)).toMatchObject({ id: fx.MEMBER_ID });
    expect(await tessera.members.update(fx.MEMBER_ID, { role: 'member' })).toMatchObject({ role: 'member' });
    expect(await tessera.members.deactivate(fx.MEMBER_ID)).toMatchObject({ status: 'deactivated' });
    const m = `/v1/workspaces/${WS}/members`;
    expect(seen.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([`GET ${m}`, `POST ${m}`, `GET ${m}/${fx.MEMBER_ID}`, `PATCH ${m}/${fx.MEMBER_ID}`, `POST ${m}/${fx.MEMBER_ID}/deactivate`]);
    expect(seen[1]!.body).toEqual({ name: 'Grace Hopper', email: 'grace@example.com' });
    expect(seen[3]!.body).toEqual({ role: 'member' });
  });

  it('roles: list, create, get, update, delete', async () => {
    const seen: SeenRequest[] = [];
    const one = '/v1/workspaces/{workspace_id}/roles/{role_id}' as const;
    server.use(
      http.get('/v1/workspaces/{workspace_id}/roles', async ({ request, response }) => (await record(seen, request), response(200).json({ data: [fx.role()], has_more: false, next_cursor: null }))),
      http.post('/v1/workspaces/{workspace_id}/roles', async ({ request, response }) => (await record(seen, request), response(201).json(fx.role()))),
      http.get(one, async ({ request, response }) => (await record(seen, request), response(200).json(fx.role()))),
      http.patch(one, async ({ request, response }) => (await record(seen, request), response(200).json(fx.role({ scopes: ['metrics.read', 'runs.read'] })))),
      http.delete(one, async ({ request, response }) => (await record(seen, request), response(204).empty())),
    );
    const { tessera } = makeClient();
    const id = 'role_3Fg6Hj9Kl2Zx5Cv8Bn1Mq4';
    expect((await tessera.roles.list()).data[0]).toMatchObject({ id });
    expect(await tessera.roles.create({ name: 'Read-Only Access', scopes: ['metrics.read'] })).toMatchObject({ id });
    expect(await tessera.roles.get(id)).toMatchObject({ id });
    expect(await tessera.roles.update(id, { scopes: ['metrics.read', 'runs.read'] })).toMatchObject({ scopes: ['metrics.read', 'runs.read'] });
    await expect(tessera.roles.delete(id)).resolves.toBeUndefined();
    const r = `/v1/workspaces/${WS}/roles`;
    expect(seen.map((s) => `${s.method} ${s.url.pathname}`)).toEqual([`GET ${r}`, `POST ${r}`, `GET ${r}/${id}`, `PATCH ${r}/${id}`, `DELETE ${r}/${id}`]);
    expect(seen[1]!.body).toEqual({ name: 'Read-Only Access', scopes: ['metrics.read'] });
  });

  it('scopes: list, create, update, delete', async () => {
    const seen: SeenRequest[] = [];
    const one = '/v1/workspaces/{workspace_id}/scopes/{scope_name}' as const;
    server.use(
      http.get('/v1/workspaces/{workspace_id}/scopes', async ({ request, response }) => (await record(seen, request), response(200).json({ data: [fx.scope()], has_more: false, next_cursor: null }))),
      http.post('/v1/workspaces/{workspace_id}/scopes', async ({ request, response }) => (await record(seen, request), response(201).json(fx.scope()))),
      http.patch(one, async ({ request, response }) => (await record(seen, request), response(200).json(fx.scope({ description: 'New' })))),
      http.delete(one, async ({ request, response }) => (await record(seen, request), response(204).empty())),
    );
    const { tessera } = makeClient();
    expect((await tessera.scopes.list()).data[0]).toMatchObject({ name: 'workflows.execute' });
    expect(await tessera.scopes.create({ name: 'workflows.execute', description: 'Trigger workflow runs.' })).toMatchObject({ builtin: false });
    expect(await tessera.scopes.update('workflows.execute', { description: 'New' })).toMatchObject({ description: 'New' });
    await expect(tessera.scopes.delete('workflows.execute')).resolves.toBeUndefined();
    const s = `/v1/workspaces/${WS}/scopes`;
    expect(seen.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([`GET ${s}`, `POST ${s}`, `PATCH ${s}/workflows.execute`, `DELETE ${s}/workflows.execute`]);
    expect(seen[2]!.body).toEqual({ description: 'New' });
  });
});

describe('auditLogs', () => {
  it('list sends comma-separated event types and the filters, and iterates every page', async () => {
    const seen: SeenRequest[] = [];
    server.use(
      http.get('/v1/workspaces/{workspace_id}/audit-logs', async ({ request, query, response }) => {
        await record(seen, request);
        return query.get('cursor')
          ? response(200).json({ data: [fx.auditEvent({ id: 'evt_2' })], has_more: false, next_cursor: null })
          : response(200).json({ data: [fx.auditEvent({ id: 'evt_1' })], has_more: true, next_cursor: 'p2' });
      }),
    );
    const { tessera } = makeClient();
    const ids: string[] = [];
    for await (const event of tessera.auditLogs.list({ event_type: ['api_key.created', 'api_key.rotated'], key_id: KEY_ID, range: '7d' })) ids.push(event.id);
    expect(ids).toEqual(['evt_1', 'evt_2']);
    expect(seen).toHaveLength(2);
    const q = seen[1]!.url.searchParams;
    expect(q.get('event_type')).toBe('api_key.created,api_key.rotated');
    expect(q.getAll('event_type')).toHaveLength(1);
    expect(q.get('key_id')).toBe(KEY_ID);
    expect(q.get('range')).toBe('7d');
    expect(q.get('cursor')).toBe('p2');
  });

  it('export streams the body as bytes, asking for the format with Accept', async () => {
    const csv = 'id,occurred_at,type\nevt_1,2026-03-19T14:32:15Z,api_key.created\n';
    const seen: SeenRequest[] = [];
    server.use(
      http.get('/v1/workspaces/{workspace_id}/audit-logs/export', async ({ request, response }) => {
        await record(seen, request);
        return response.untyped(
          new HttpResponse(csv, { status: 200, headers: { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="tessera-audit.csv"', 'X-Request-Id': 'req_exp' } }),
        );
      }),
    );
    const { tessera } = makeClient();
    const stream = await tessera.auditLogs.export({ format: 'csv', range: '24h' });
    expect(stream).toBeInstanceOf(ReadableStream);
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    expect(new TextDecoder().decode(bytes)).toBe(csv);
    expect(seen[0]!.headers.get('accept')).toBe('text/csv, application/problem+json');
    expect(seen[0]!.url.searchParams.get('format')).toBe('csv');
    expect(seen[0]!.url.searchParams.get('range')).toBe('24h');

    const { data, response, meta } = await tessera.auditLogs.export({ format: 'ndjson' }).withResponse();
    expect(response.headers.get('content-disposition')).toContain('tessera-audit.csv');
    expect(meta.requestId).toBe('req_exp');
    expect(await new Response(data).text()).toBe(csv);
    expect(seen[1]!.headers.get('accept')).toBe('application/x-ndjson, application/problem+json');
  });

  it('export of nothing is an empty stream, and an error status is a typed error', async () => {
    server.use(
      http.get('/v1/workspaces/{workspace_id}/audit-logs/export', ({ query, response }) =>
        query.get('format') === 'cef'
          ? response.untyped(new HttpResponse(null, { status: 200, headers: { 'Content-Type': 'text/plain', 'Content-Length': '0' } }))
          : response.untyped(problemResponse(404, { code: 'workspace_not_found', detail: 'No such workspace.' })),
      ),
    );
    const { tessera } = makeClient();
    expect(await new Response(await tessera.auditLogs.export({ format: 'cef' })).text()).toBe('');
    await expect(tessera.auditLogs.export({ format: 'csv' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('createExport, getExport and checkIntegrity', async () => {
    const seen: SeenRequest[] = [];
    server.use(
      http.post('/v1/workspaces/{workspace_id}/audit-logs/exports', async ({ request, response }) => (await record(seen, request), response(202).json(fx.auditExport()))),
      http.get('/v1/workspaces/{workspace_id}/audit-logs/exports/{export_id}', async ({ request, params, response }) =>
        (await record(seen, request), response(200).json(fx.auditExport({ id: params.export_id, status: 'succeeded', event_count: 3 }))),
      ),
      http.get('/v1/workspaces/{workspace_id}/audit-logs/integrity', async ({ request, response }) =>
        (await record(seen, request), response(200).json({ intact: true, events_checked: 3, first_invalid_event_id: null, checked_at: '2026-03-19T15:00:00Z' })),
      ),
    );
    const { tessera } = makeClient();
    const body = { format: 'cef' as const, destination_url: 'https://siem.example.com/ingest', filters: { range: '24h' as const } };
    expect(await tessera.auditLogs.createExport(body)).toMatchObject({ status: 'pending' });
    expect(await tessera.auditLogs.getExport('exp_2Wq4Er6Ty8Ui0Op2As4Df6')).toMatchObject({ status: 'succeeded', event_count: 3 });
    expect(await tessera.auditLogs.checkIntegrity()).toMatchObject({ intact: true, events_checked: 3 });
    const a = `/v1/workspaces/${WS}/audit-logs`;
    expect(seen.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([`POST ${a}/exports`, `GET ${a}/exports/exp_2Wq4Er6Ty8Ui0Op2As4Df6`, `GET ${a}/integrity`]);
    expect(seen[0]!.body).toEqual(body);
  });
});

describe('metrics and alertSubscriptions', () => {
  it('metrics.get sends the range, granularity and key', async () => {
    const seen: SeenRequest[] = [];
    server.use(http.get('/v1/workspaces/{workspace_id}/metrics', async ({ request, response }) => (await record(seen, request), response(200).json(fx.usageMetrics({ granularity: 'hour' })))));
    const { tessera } = makeClient();
    expect(await tessera.metrics.get({ start: '2026-03-18', end: '2026-03-20', granularity: 'hour', key_id: KEY_ID })).toMatchObject({ granularity: 'hour' });
    expect(Object.fromEntries(seen[0]!.url.searchParams)).toEqual({ start: '2026-03-18', end: '2026-03-20', granularity: 'hour', key_id: KEY_ID });
  });

  it('alertSubscriptions: list, create, get, update, delete, test, listDeliveries', async () => {
    const seen: SeenRequest[] = [];
    const one = '/v1/workspaces/{workspace_id}/alert-subscriptions/{subscription_id}' as const;
    server.use(
      http.get('/v1/workspaces/{workspace_id}/alert-subscriptions', async ({ request, response }) =>
        (await record(seen, request), response(200).json({ data: [fx.alertSubscription()], has_more: false, next_cursor: null })),
      ),
      http.post('/v1/workspaces/{workspace_id}/alert-subscriptions', async ({ request, response }) =>
        (await record(seen, request), response(201).json({ ...fx.alertSubscription(), secret: 'whsec_x' })),
      ),
      http.get(one, async ({ request, response }) => (await record(seen, request), response(200).json(fx.alertSubscription()))),
      http.patch(one, async ({ request, response }) => (await record(seen, request), response(200).json(fx.alertSubscription({ enabled: false })))),
      http.delete(one, async ({ request, response }) => (await record(seen, request), response(204).empty())),
      http.post(`${one}/test`, async ({ request, response }) => (await record(seen, request), response(202).json(fx.alertDelivery()))),
      http.get(`${one}/deliveries`, async ({ request, response }) => (await record(seen, request), response(200).json({ data: [fx.alertDelivery()], has_more: false, next_cursor: null }))),
    );
    const { tessera } = makeClient();
    const id = 'sub_2Wq4Er6Ty8Ui0Op2As4Df6';
    expect((await tessera.alertSubscriptions.list()).data).toHaveLength(1);
    expect(await tessera.alertSubscriptions.create({ url: 'https://hooks.example.com/tessera', events: ['api_key.created'] })).toMatchObject({ secret: 'whsec_x' });
    expect(await tessera.alertSubscriptions.get(id)).toMatchObject({ id });
    expect(await tessera.alertSubscriptions.update(id, { enabled: false })).toMatchObject({ enabled: false });
    await expect(tessera.alertSubscriptions.delete(id)).resolves.toBeUndefined();
    expect(await tessera.alertSubscriptions.test(id)).toMatchObject({ event: 'alert.test' });
    const deliveries = [];
    for await (const d of tessera.alertSubscriptions.listDeliveries(id, { limit: 10 })) deliveries.push(d.id);
    expect(deliveries).toEqual(['dlv_1']);
    const s = `/v1/workspaces/${WS}/alert-subscriptions`;
    expect(seen.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      `GET ${s}`,
      `POST ${s}`,
      `GET ${s}/${id}`,
      `PATCH ${s}/${id}`,
      `DELETE ${s}/${id}`,
      `POST ${s}/${id}/test`,
      `GET ${s}/${id}/deliveries`,
    ]);
    expect(seen[1]!.body).toEqual({ url: 'https://hooks.example.com/tessera', events: ['api_key.created'] });
    expect(seen[3]!.body).toEqual({ enabled: false });
    expect(seen[6]!.url.searchParams.get('limit')).toBe('10');
  });
});

describe('health, openapiDocument and metrics.prometheus', () => {
  const internalError = { type: 'https://tessera.dev/problems/internal_error', title: 'Internal error', status: 500 as const, detail: 'Boom.', code: 'internal_error' as const, request_id: 'req_500' };

  it('health GETs /healthz without needing a workspace, and returns the typed body', async () => {
    const seen: SeenRequest[] = [];
    server.use(http.get('/healthz', async ({ request, response }) => (await record(seen, request), response(200).json({ status: 'ok', version: '0.1.0', uptime_seconds: 3600 }))));
    const { tessera } = makeClient({ workspaceId: null });
    const health = await tessera.health();
    expect(health).toEqual({ status: 'ok', version: '0.1.0', uptime_seconds: 3600 });
    const status: 'ok' = health.status;
    const uptime: number = health.uptime_seconds;
    expect([status, uptime]).toEqual(['ok', 3600]);
    expect(seen.map((r) => `${r.method} ${r.url.pathname}`)).toEqual(['GET /healthz']);
    expect(seen[0]!.headers.get('accept')).toBe('application/json, application/problem+json');
  });

  it('health: a 500 is retried, then rejects with an InternalServerError', async () => {
    let attempts = 0;
    server.use(http.get('/healthz', ({ response }) => (attempts++, response(500).json(internalError, { headers: { 'X-Request-Id': 'req_500' } }))));
    const { tessera, sleep } = makeClient();
    const error = await tessera.health().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 500, code: 'internal_error', requestId: 'req_500' });
    expect(attempts).toBe(3);
    expect(sleep.delays).toHaveLength(2);
  });

  it('openapiDocument GETs /openapi.json and returns the parsed document', async () => {
    const seen: SeenRequest[] = [];
    const document = { openapi: '3.1.0', info: { title: 'Tessera API', version: '0.1.0' }, paths: {} };
    // Untyped: the generated type reads the spec's bare `info: { type: object }` as `Record<string, never>`.
    server.use(
      http.get('/openapi.json', async ({ request, response }) =>
        (await record(seen, request), response.untyped(HttpResponse.json({ ...document, components: { schemas: {} } }, { headers: { 'X-Request-Id': 'req_doc' } })))),
    );
    const { tessera } = makeClient({ workspaceId: null });
    const doc = await tessera.openapiDocument();
    const version: string = doc.openapi;
    expect(version).toBe('3.1.0');
    expect(doc.info.title).toBe('Tessera API');
    expect(doc.components).toEqual({ schemas: {} }); // fields beyond the spec's three pass through
    const { data, meta } = await tessera.openapiDocument({ headers: { 'X-Trace-Id': 'trace-doc' } }).withResponse();
    expect(data.paths).toEqual({});
    expect(meta.requestId).toBe('req_doc');
    expect(seen.map((r) => `${r.method} ${r.url.pathname}`)).toEqual(['GET /openapi.json', 'GET /openapi.json']);
    expect(seen[1]!.headers.get('x-trace-id')).toBe('trace-doc');
  });

  it('openapiDocument: a 401 problem (say, from a gateway in front of the server) is an AuthenticationError', async () => {
    server.use(http.get('/openapi.json', ({ response }) => response.untyped(problemResponse(401, { code: 'missing_credentials', title: 'Unauthorized', detail: 'No credential.' }))));
    const { tessera } = makeClient();
    const error = await tessera.openapiDocument().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'missing_credentials', requestId: 'req_401' });
  });

  it('metrics.prometheus GETs /metrics asking for text/plain, and returns the exact text', async () => {
    const text = [
      '# HELP tessera_http_requests_total HTTP requests by route and status.',
      '# TYPE tessera_http_requests_total counter',
      'tessera_http_requests_total{method="POST",route="/v1/keys/verify",status="200"} 1523',
      '',
    ].join('\n');
    const seen: SeenRequest[] = [];
    server.use(
      http.get('/metrics', async ({ request, response }) =>
        (await record(seen, request), response(200).text(text, { headers: { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'X-Request-Id': 'req_prom' } }))),
    );
    const { tessera } = makeClient({ workspaceId: null });
    const scraped: string = await tessera.metrics.prometheus();
    expect(scraped).toBe(text);
    expect(seen.map((r) => `${r.method} ${r.url.pathname}`)).toEqual(['GET /metrics']);
    expect(seen[0]!.headers.get('accept')).toBe('text/plain, application/problem+json');
    expect(seen[0]!.headers.get('authorization')).toBe(`Bearer ${API_KEY}`);

    const call = tessera.metrics.prometheus({ headers: { Accept: 'text/plain;version=0.0.4' } });
    expect(call).toBeInstanceOf(APIPromise);
    const { data, response, meta } = await call.withResponse();
    expect(data).toBe(text);
    expect(response.headers.get('content-type')).toContain('version=0.0.4');
    expect(meta.requestId).toBe('req_prom');
    expect(seen[1]!.headers.get('accept')).toBe('text/plain;version=0.0.4');
  });

  it('metrics.prometheus: an empty body is an empty string, a JSON-looking body stays text', async () => {
    let body: 'empty' | 'json' = 'empty';
    server.use(
      http.get('/metrics', ({ response }) =>
        body === 'empty'
          ? response.untyped(new HttpResponse(null, { status: 200, headers: { 'Content-Type': 'text/plain', 'Content-Length': '0' } }))
          : response(200).text('{"not":"parsed"}'),
      ),
    );
    const { tessera } = makeClient();
    expect(await tessera.metrics.prometheus()).toBe('');
    body = 'json';
    expect(await tessera.metrics.prometheus()).toBe('{"not":"parsed"}');
  });

  it('metrics.prometheus: a problem+json error is parsed into a typed error, not returned as text', async () => {
    let attempts = 0;
    server.use(http.get('/metrics', ({ response }) => (attempts++, response(500).json(internalError))));
    const { tessera } = makeClient();
    const error = await tessera.metrics.prometheus({ maxRetries: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 500, code: 'internal_error', requestId: 'req_500' });
    expect(attempts).toBe(1);
  });
});

describe('the workspace of a call', () => {
  it('comes from TESSERA_WORKSPACE_ID when the option is not set', async () => {
    const paths: string[] = [];
    server.use(http.get('/v1/workspaces/{workspace_id}/api-keys/{key_id}', ({ request, response }) => (paths.push(new URL(request.url).pathname), response(200).json(fx.apiKey()))));
    const { tessera } = makeClient({ workspaceId: undefined }, { process: { env: { TESSERA_WORKSPACE_ID: `  ${fx.OTHER_WS}\n` } } });
    await tessera.apiKeys.get(KEY_ID);
    expect(paths).toEqual([`/v1/workspaces/${fx.OTHER_WS}/api-keys/${KEY_ID}`]);
  });

  it('can be overridden per call', async () => {
    const paths: string[] = [];
    server.use(http.post('/v1/workspaces/{workspace_id}/api-keys/{key_id}/revoke', ({ request, response }) => (paths.push(new URL(request.url).pathname), response(200).json(fx.apiKey()))));
    const { tessera } = makeClient();
    await tessera.apiKeys.revoke(KEY_ID, { workspaceId: fx.OTHER_WS });
    expect(paths).toEqual([`/v1/workspaces/${fx.OTHER_WS}/api-keys/${KEY_ID}/revoke`]);
  });

  it('missing everywhere: rejects with an error naming the option and the variable, sending nothing', async () => {
    const { tessera } = makeClient({ workspaceId: undefined });
    const promise = tessera.apiKeys.get(KEY_ID); // a rejection, not a synchronous throw
    await expect(promise).rejects.toThrow(TesseraError);
    await expect(promise).rejects.toThrow(/workspaceId.*TESSERA_WORKSPACE_ID/s);
    await expect(tessera.apiKeys.list().then(() => 'sent')).rejects.toThrow(/TESSERA_WORKSPACE_ID/);
    await expect(async () => {
      for await (const key of tessera.auditLogs.list()) void key;
    }).rejects.toThrow(/TESSERA_WORKSPACE_ID/);
    // onUnhandledRequest: 'error' would have failed the test had anything been sent.
  });
});

describe('per-request options', () => {
  it('idempotencyKey is sent on a POST and kept across retries', async () => {
    const keys: Array<string | null> = [];
    server.use(
      http.post('/v1/workspaces/{workspace_id}/api-keys', ({ request, response }) => {
        keys.push(request.headers.get('idempotency-key'));
        return keys.length === 1 ? response(500).json({ type: 'about:blank', title: 'x', status: 500, detail: 'x', code: 'internal_error', request_id: 'r' }) : response(201).json({ ...fx.apiKey(), key: 'sk' });
      }),
    );
    const { tessera } = makeClient();
    await tessera.apiKeys.create({ name: 'abc' }, { idempotencyKey: 'deploy-2026-03-19' });
    expect(keys).toEqual(['deploy-2026-03-19', 'deploy-2026-03-19']);
  });

  it('maxRetries overrides the client setting for one call', async () => {
    let attempts = 0;
    server.use(http.get('/v1/me', ({ response }) => (attempts++, response(500).json({ type: 'about:blank', title: 'x', status: 500, detail: 'boom', code: 'internal_error', request_id: 'r' }))));
    const { tessera } = makeClient({ maxRetries: 3 });
    await expect(tessera.me({ maxRetries: 0 })).rejects.toMatchObject({ status: 500 });
    expect(attempts).toBe(1);
    attempts = 0;
    await expect(tessera.me()).rejects.toMatchObject({ status: 500 });
    expect(attempts).toBe(4);
  });

  it('timeout overrides the client setting for one call', async () => {
    server.use(http.get('/v1/workspaces/{workspace_id}/api-keys/{key_id}', async ({ response }) => (await delay('infinite'), response(200).json(fx.apiKey()))));
    const { tessera } = makeClient(); // 60 s client-wide: the test would hang without the override
    await expect(tessera.apiKeys.get(KEY_ID, { timeout: 10, maxRetries: 0 })).rejects.toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('signal aborts a call', async () => {
    const controller = new AbortController();
    server.use(http.get('/v1/me', async ({ response }) => (controller.abort(), await delay('infinite'), response(200).json(fx.me()))));
    const { tessera } = makeClient();
    await expect(tessera.me({ signal: controller.signal })).rejects.toBeInstanceOf(APIUserAbortError);
  });

  it('headers adds headers to one call', async () => {
    const seen: SeenRequest[] = [];
    server.use(http.get('/v1/me', async ({ request, response }) => (await record(seen, request), response(200).json(fx.me()))));
    const { tessera } = makeClient();
    await tessera.me({ headers: { 'X-Trace-Id': 'trace-1' } });
    expect(seen[0]!.headers.get('x-trace-id')).toBe('trace-1');
  });
});

describe('results', () => {
  it('withResponse() gives the raw response and its metadata', async () => {
    server.use(
      http.post('/v1/workspaces/{workspace_id}/api-keys', ({ response }) =>
        response(201).json(
          { ...fx.apiKey(), key: 'sk_live_x' },
          { headers: { 'X-Request-Id': 'req_42', 'Idempotent-Replayed': 'true', 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '999', 'X-RateLimit-Reset': '1773931935' } },
        ),
      ),
    );
    const { tessera } = makeClient();
    const call = tessera.apiKeys.create({ name: 'abc' });
    expect(call).toBeInstanceOf(APIPromise);
    const { data, response, meta } = await call.withResponse();
    expect(data.key).toBe('sk_live_x');
    expect(response.status).toBe(201);
    expect(meta).toEqual({ requestId: 'req_42', idempotentReplayed: true, rateLimit: expect.objectContaining({ limit: 1000, remaining: 999, reset: 1773931935 }) });
    // Awaiting the same call gives the data, from the same single request.
    expect((await call).key).toBe('sk_live_x');
  });

  it('errors are typed, with the problem code and request id', async () => {
    server.use(
      http.get('/v1/workspaces/{workspace_id}/api-keys/{key_id}', ({ response }) =>
        response(404).json({ type: 'https://tessera.dev/problems/api_key_not_found', title: 'Not found', status: 404, detail: 'No such key.', code: 'api_key_not_found', request_id: 'req_404' }),
      ),
    );
    const { tessera } = makeClient();
    const error = await tessera.apiKeys.get('key_missing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'api_key_not_found', requestId: 'req_404' });
  });

  it('a business-conflict 409 is thrown at once; an in-flight 409 is ridden out', async () => {
    let enables = 0;
    let creates = 0;
    const conflict = (code: 'key_revoked' | 'idempotency_request_in_flight') => ({ type: 'about:blank', title: 'Conflict', status: 409 as const, detail: code, code, request_id: 'req_409' });
    server.use(
      http.post('/v1/workspaces/{workspace_id}/api-keys/{key_id}/enable', ({ response }) => (enables++, response(409).json(conflict('key_revoked')))),
      http.post('/v1/workspaces/{workspace_id}/api-keys', ({ response }) => (++creates < 3 ? response(409).json(conflict('idempotency_request_in_flight')) : response(201).json({ ...fx.apiKey(), key: 'sk' }))),
    );
    const { tessera, sleep } = makeClient();
    await expect(tessera.apiKeys.enable(KEY_ID)).rejects.toBeInstanceOf(ConflictError);
    expect(enables).toBe(1);
    expect(sleep.delays).toEqual([]);
    await expect(tessera.apiKeys.create({ name: 'abc' })).resolves.toMatchObject({ key: 'sk' });
    expect(creates).toBe(3);
    expect(sleep.delays).toHaveLength(2);
  });
});

describe('new Tessera()', () => {
  const ENV_KEY = API_KEY;

  it('reads TESSERA_API_KEY, TESSERA_BASE_URL and TESSERA_WORKSPACE_ID', async () => {
    const seen: SeenRequest[] = [];
    server.use(http.get('/v1/workspaces/{workspace_id}', async ({ request, response }) => (await record(seen, request), response(200).json(fx.workspace()))));
    const tessera = new Tessera({}, { globals: { process: { env: { TESSERA_API_KEY: ENV_KEY, TESSERA_BASE_URL: ` ${BASE_URL}/ `, TESSERA_WORKSPACE_ID: WS } } } });
    expect(tessera.config).toMatchObject({ baseURL: BASE_URL, workspaceId: WS });
    await tessera.workspaces.get();
    expect(seen[0]!.headers.get('authorization')).toBe(`Bearer ${ENV_KEY}`);
    expect(seen[0]!.url.pathname).toBe(`/v1/workspaces/${WS}`);
  });

  it('names the variable and the option when the key is missing', () => {
    expect(() => new Tessera({}, { globals: { process: { env: { TESSERA_API_KEY: '   ' } } } })).toThrow(/TESSERA_API_KEY.*`apiKey` option/s);
  });

  it('explains a malformed key before any request', () => {
    const typo = `${API_KEY.slice(0, -1)}${API_KEY.endsWith('A') ? 'B' : 'A'}`;
    expect(() => new Tessera({ apiKey: typo }, { globals: {} })).toThrow(/checksum/i);
    expect(() => new Tessera({ apiKey: `${API_KEY.slice(0, 20)} ${API_KEY.slice(20)}` }, { globals: {} })).toThrow(/whitespace|space/i);
  });

  it('refuses to run in a browser unless dangerouslyAllowBrowser is set', () => {
    const browser = { window: {}, document: {} };
    expect(() => new Tessera({ apiKey: API_KEY }, { globals: browser })).toThrow(/browser/);
    expect(() => new Tessera({ apiKey: API_KEY, dangerouslyAllowBrowser: true }, { globals: browser })).not.toThrow();
  });

  it('exposes the raw typed client, sharing auth and base URL', async () => {
    const seen: SeenRequest[] = [];
    server.use(http.get('/healthz', async ({ request, response }) => (await record(seen, request), response(200).json({ status: 'ok', version: '0.1.0', uptime_seconds: 1 }))));
    const { tessera } = makeClient();
    const { data } = await tessera.raw.GET('/healthz');
    expect(data).toEqual({ status: 'ok', version: '0.1.0', uptime_seconds: 1 });
    expect(seen[0]!.headers.get('authorization')).toBe(`Bearer ${API_KEY}`);
  });
});
