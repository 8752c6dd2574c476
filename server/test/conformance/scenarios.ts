/**
 * ONE set of conformance scenarios, run unchanged against every target (the reference server
 * over HTTP behind `prism proxy --errors`, and the in-process app behind MSW). Each scenario is a
 * user story from the brief and the seeds; together they exercise every operation of the spec,
 * and the last test names any operation that no scenario got a clean, documented success from.
 *
 * Every exchange is checked against the spec; after each scenario the suite fails on any
 * violation and on any raw secret shown outside the response that created it.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openapi, operations } from '@tessera/spec';
import { generateApiKey } from '@tessera/sdk/key-format';
import { ConformanceClient, type ConformanceTarget } from './exchange.js';

const KEY_FORMAT = /^sk_(live|test)_[0-9A-Za-z]{36}$/;

/** A local webhook receiver (127.0.0.1 only) for alert deliveries and audit exports. */
export interface Receiver {
  url: string;
  received: Array<{ method: string; path: string; headers: IncomingMessage['headers']; body: string }>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Receiver['received'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += String(chunk)));
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Registers the whole suite for one target. `extraTests` registers tests of the target's own
 * machinery (they run inside the suite, before the coverage check).
 */
export function defineConformanceSuite(name: string, start: () => Promise<ConformanceTarget>, extraTests?: () => void): void {
  describe(`conformance: ${name}`, () => {
    let t: ConformanceClient;
    let receiver: Receiver;
    const ws = () => t.ws;
    const keys = () => `/v1/workspaces/${t.ws}/api-keys`;

    beforeAll(async () => {
      receiver = await startReceiver();
      t = new ConformanceClient(await start());
    });

    afterAll(async () => {
      await t?.target.close();
      await receiver?.close();
    });

    afterEach(() => {
      expect(t.takeProblems(), 'exchanges that break the spec, and raw secrets shown twice').toEqual([]);
    });

    /** Adds scopes of "your product" to the catalog; a scope already there is fine. */
    async function ensureScopes(...names: string[]) {
      for (const scope of names) {
        const res = await t.call('POST', `/v1/workspaces/${ws()}/scopes`, { token: t.admin, body: { name: scope, description: `The ${scope} permission.` } });
        expect([201, 409], res.text).toContain(res.status);
      }
    }

    async function createKey(body: Record<string, unknown>) {
      const res = await t.expect('POST', keys(), 201, { token: t.admin, body });
      return res.body as { id: string; key: string } & Record<string, any>;
    }

    it('operations: health and the OpenAPI document need no credential', async () => {
      const health = await t.expect('GET', '/healthz', 200);
      expect(health.body.status).toBe('ok');
      const document = await t.expect('GET', '/openapi.json', 200);
      expect(document.body.openapi).toBe(openapi.openapi);
      expect(Object.keys(document.body.paths).sort()).toEqual(Object.keys(openapi.paths).sort());
    });

    it('operations: Prometheus metrics in the text format, no credential needed', async () => {
      const metrics = await t.expect('GET', '/metrics', 200);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(metrics.text).toMatch(/^# (HELP|TYPE) /m);
    });

    it('identity and workspaces: who am I, my workspaces, a new workspace with its own admin and rules, and isolation', async () => {
      const me = await t.expect('GET', '/v1/me', 200, { token: t.admin });
      expect(me.body).toMatchObject({ credential: { type: 'member_token' }, workspace: { id: ws() } });
      const mine = await t.expect('GET', '/v1/workspaces?limit=10', 200, { token: t.admin });
      expect(mine.body.data.map((w: { id: string }) => w.id)).toContain(ws());
      const own = await t.expect('GET', `/v1/workspaces/${ws()}`, 200, { token: t.admin });
      expect(own.body.settings).toMatchObject({ key_prefix: 'sk', default_rate_limit: { requests_per_minute: 1000, burst: 100 }, max_key_lifetime_days: 365, api_keys_can_manage_keys: false });

      const staging = await t.expect('POST', '/v1/workspaces', 201, { token: t.admin, body: { name: 'Acme Staging', settings: { key_prefix: 'acme', require_expiry: true } } });
      const other = staging.body.workspace.id as string;
      const otherAdmin = staging.body.admin.token as string;
      expect(staging.body.admin.role).toBe('admin');
      const renamed = await t.expect('PATCH', `/v1/workspaces/${other}`, 200, { token: otherAdmin, body: { name: 'Acme Staging EU', settings: { max_key_lifetime_days: 180 } } });
      expect(renamed.body).toMatchObject({ name: 'Acme Staging EU', settings: { key_prefix: 'acme', require_expiry: true, max_key_lifetime_days: 180 } });
      const never = await t.expect('POST', `/v1/workspaces/${other}/api-keys`, 422, { token: otherAdmin, body: { name: 'Forever', expires_in: 'never' } });
      expect(never.body.code).toBe('expiry_required');
      const tooFar = await t.expect('POST', `/v1/workspaces/${other}/api-keys`, 422, { token: otherAdmin, body: { name: 'Too long', expires_in: '1y' } });
      expect(tooFar.body.code).toBe('expiry_too_far');
      const staged = await t.expect('POST', `/v1/workspaces/${other}/api-keys`, 201, { token: otherAdmin, body: { name: 'Staging deploys', expires_in: '90d' } });
      expect(staged.body.key).toMatch(/^acme_live_[0-9A-Za-z]{36}$/);
      // Anything in another workspace does not exist, as far as the caller can tell.
      expect((await t.expect('GET', `/v1/workspaces/${ws()}`, 404, { token: otherAdmin })).body.code).toBe('workspace_not_found');
      expect((await t.expect('GET', `/v1/workspaces/${other}/api-keys/${staged.body.id}`, 404, { token: t.admin })).body.code).toBe('workspace_not_found');
    });

    it('members: invite with a token shown once, read, change role, deactivate; a deactivated token stops working', async () => {
      const invited = await t.expect('POST', `/v1/workspaces/${ws()}/members`, 201, { token: t.admin, body: { name: 'Grace Hopper', email: 'grace@example.com', role: 'member' } });
      const grace = invited.body as { id: string; token: string; token_prefix: string };
      expect(grace.token.slice(0, 11)).toBe(grace.token_prefix);
      expect((await t.expect('POST', `/v1/workspaces/${ws()}/members`, 409, { token: t.admin, body: { name: 'Grace again', email: 'GRACE@example.com' } })).body.code).toBe('email_taken');
      const listed = await t.expect('GET', `/v1/workspaces/${ws()}/members?limit=100`, 200, { token: t.admin });
      expect(listed.body.data.map((m: { id: string }) => m.id)).toContain(grace.id);
      expect(listed.text).not.toContain('token_digest');
      const read = await t.expect('GET', `/v1/workspaces/${ws()}/members/${grace.id}`, 200, { token: t.admin });
      expect(read.body).not.toHaveProperty('token');
      // A member may read keys but not create them: 403 names the scope.
      expect((await t.expect('GET', keys(), 200, { token: grace.token })).status).toBe(200);
      const denied = await t.expect('POST', keys(), 403, { token: grace.token, body: { name: 'Not allowed' } });
      expect(denied.body).toMatchObject({ code: 'insufficient_scope', required_scopes: ['api_keys.write'] });
      const promoted = await t.expect('PATCH', `/v1/workspaces/${ws()}/members/${grace.id}`, 200, { token: t.admin, body: { role: 'admin' } });
      expect(promoted.body.role).toBe('admin');
      const deactivated = await t.expect('POST', `/v1/workspaces/${ws()}/members/${grace.id}/deactivate`, 200, { token: t.admin });
      expect(deactivated.body).toMatchObject({ status: 'deactivated', deactivated_at: expect.any(String) });
      expect((await t.expect('GET', '/v1/me', 401, { token: grace.token })).body.code).toBe('member_deactivated');
    });

    it('scopes and roles: the product scope catalog and named bundles of scopes; built-ins are protected', async () => {
      const added = await t.expect('POST', `/v1/workspaces/${ws()}/scopes`, 201, { token: t.admin, body: { name: 'dashboards.read', description: 'Read dashboards.' } });
      expect(added.body).toMatchObject({ name: 'dashboards.read', builtin: false });
      const catalog = await t.expect('GET', `/v1/workspaces/${ws()}/scopes?limit=100`, 200, { token: t.admin });
      const names = catalog.body.data.map((s: { name: string }) => s.name);
      expect(names).toEqual(expect.arrayContaining(['api_keys.read', 'api_keys.write', 'keys.verify', 'dashboards.read']));
      const described = await t.expect('PATCH', `/v1/workspaces/${ws()}/scopes/dashboards.read`, 200, { token: t.admin, body: { description: 'Read the monitoring dashboards.' } });
      expect(described.body.description).toBe('Read the monitoring dashboards.');
      expect((await t.expect('PATCH', `/v1/workspaces/${ws()}/scopes/api_keys.read`, 409, { token: t.admin, body: { description: 'x' } })).body.code).toBe('builtin_scope');

      const role = await t.expect('POST', `/v1/workspaces/${ws()}/roles`, 201, { token: t.admin, body: { name: 'Read-Only Access', description: 'For monitoring dashboards.', scopes: ['dashboards.read'] } });
      const roleId = role.body.id as string;
      const roles = await t.expect('GET', `/v1/workspaces/${ws()}/roles`, 200, { token: t.admin });
      expect(roles.body.data.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(['admin', 'member', roleId]));
      expect((await t.expect('GET', `/v1/workspaces/${ws()}/roles/${roleId}`, 200, { token: t.admin })).body.scopes).toEqual(['dashboards.read']);
      const renamed = await t.expect('PATCH', `/v1/workspaces/${ws()}/roles/${roleId}`, 200, { token: t.admin, body: { name: 'Dashboard Readers' } });
      expect(renamed.body.name).toBe('Dashboard Readers');
      expect((await t.expect('DELETE', `/v1/workspaces/${ws()}/roles/admin`, 409, { token: t.admin })).body.code).toBe('builtin_role');
      expect((await t.expect('DELETE', `/v1/workspaces/${ws()}/scopes/dashboards.read`, 409, { token: t.admin })).body.code).toBe('scope_in_use');
      await t.expect('DELETE', `/v1/workspaces/${ws()}/roles/${roleId}`, 204, { token: t.admin });
      await t.expect('DELETE', `/v1/workspaces/${ws()}/scopes/dashboards.read`, 204, { token: t.admin });
      expect((await t.expect('GET', `/v1/workspaces/${ws()}/roles/${roleId}`, 404, { token: t.admin })).body.code).toBe('role_not_found');
    });

    it('API keys: create (shown once), read, list with filters, update, disable, enable, rotate with a grace period, revoke, delete', async () => {
      await ensureScopes('workflows.execute', 'runs.read');
      const ci = await createKey({ name: 'CI/CD Pipeline', description: 'Triggers deploys from GitHub Actions.', scopes: ['workflows.execute', 'runs.read'], expires_in: '90d', rate_limit: { requests_per_minute: 100, burst: 20 }, metadata: { team: 'platform' } });
      expect(ci.key).toMatch(KEY_FORMAT);
      expect(ci.key_prefix).toBe(ci.key.slice(0, 12));
      expect(ci.last_four).toBe(ci.key.slice(-4));
      expect(ci).toMatchObject({ status: 'active', environment: 'live', created_by: expect.stringMatching(/^mem_/) });

      const read = await t.expect('GET', `${keys()}/${ci.id}`, 200, { token: t.admin });
      expect(read.body).not.toHaveProperty('key');
      expect(read.text).not.toContain(ci.key);
      const listed = await t.expect('GET', `${keys()}?status=active&environment=live&search=pipeline&scope=runs.read&limit=5`, 200, { token: t.admin });
      expect(listed.body.data.map((k: { id: string }) => k.id)).toContain(ci.id);
      const updated = await t.expect('PATCH', `${keys()}/${ci.id}`, 200, { token: t.admin, body: { description: 'Deploys from CI.', metadata: { team: 'platform', tier: 'prod' } } });
      expect(updated.body).toMatchObject({ description: 'Deploys from CI.', metadata: { team: 'platform', tier: 'prod' } });

      // The key authenticates, with its rate-limit headers.
      const asKey = await t.expect('GET', '/v1/me', 200, { token: ci.key });
      expect(asKey.body.credential).toMatchObject({ type: 'api_key', id: ci.id });
      expect(asKey.headers.get('x-ratelimit-limit')).toBe('100');
      expect(asKey.headers.get('x-ratelimit-remaining')).not.toBeNull();
      expect(asKey.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);

      const disabled = await t.expect('POST', `${keys()}/${ci.id}/disable`, 200, { token: t.admin });
      expect(disabled.body.status).toBe('disabled');
      expect((await t.expect('GET', '/v1/me', 401, { token: ci.key })).body.code).toBe('key_disabled');
      expect((await t.expect('POST', `${keys()}/${ci.id}/enable`, 200, { token: t.admin })).body.status).toBe('active');

      const rotated = await t.expect('POST', `${keys()}/${ci.id}/rotate`, 201, { token: t.admin, body: { grace_period_seconds: 3600 } });
      expect(rotated.body.key).toMatch(KEY_FORMAT);
      expect(rotated.body).toMatchObject({ rotated_from: ci.id, name: 'CI/CD Pipeline', scopes: ci.scopes, rate_limit: ci.rate_limit, metadata: updated.body.metadata, previous_key: { id: ci.id, rotated_to: rotated.body.id } });
      await t.expect('GET', '/v1/me', 200, { token: ci.key }); // the old key works during the grace period
      await t.expect('GET', '/v1/me', 200, { token: rotated.body.key });

      const revoked = await t.expect('POST', `${keys()}/${ci.id}/revoke`, 200, { token: t.admin });
      expect(revoked.body).toMatchObject({ status: 'revoked', revoked_at: expect.any(String) });
      expect((await t.expect('GET', '/v1/me', 401, { token: ci.key })).body.code).toBe('key_revoked');
      expect((await t.expect('POST', `${keys()}/${ci.id}/enable`, 409, { token: t.admin })).body.code).toBe('key_revoked');
      const deleted = await t.expect('DELETE', `${keys()}/${rotated.body.id}`, 200, { token: t.admin });
      expect(deleted.body).toEqual({ id: rotated.body.id, status: 'revoked' });
      const stillListed = await t.expect('GET', `${keys()}?status=revoked&limit=100`, 200, { token: t.admin });
      expect(stillListed.body.data.map((k: { id: string }) => k.id)).toEqual(expect.arrayContaining([ci.id, rotated.body.id]));
      expect((await t.expect('GET', `${keys()}/key_0000000000000000000000`, 404, { token: t.admin })).body.code).toBe('api_key_not_found');
    });

    it("idempotency: a replayed POST returns the stored response; another body with the same key is refused", async () => {
      const headers = { 'Idempotency-Key': `conformance-${Date.now()}` };
      const first = await t.expect('POST', keys(), 201, { token: t.admin, headers, body: { name: 'Batch ingestion', environment: 'test' } });
      const replay = await t.expect('POST', keys(), 201, { token: t.admin, headers, body: { name: 'Batch ingestion', environment: 'test' } });
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body.id).toBe(first.body.id);
      expect((await t.expect('POST', keys(), 422, { token: t.admin, headers, body: { name: 'Something else' } })).body.code).toBe('idempotency_key_reused');
    });

    it('verify: your backend checks an incoming key against the scopes it needs; a verification spends the rate limit', async () => {
      await ensureScopes('workflows.execute', 'runs.read');
      const key = await createKey({ name: 'Workflow runner', scopes: ['workflows.execute'], metadata: { customer: 'acme' } });
      const valid = await t.expect('POST', '/v1/keys/verify', 200, { token: t.admin, body: { key: key.key, required_scopes: ['workflows.execute'] } });
      expect(valid.body).toMatchObject({ valid: true, code: 'valid', key: { id: key.id, metadata: { customer: 'acme' } }, missing_scopes: [] });
      expect(valid.text).not.toContain(key.key);
      const narrow = await t.expect('POST', '/v1/keys/verify', 200, { token: t.admin, body: { key: key.key, required_scopes: ['workflows.execute', 'runs.read'] } });
      expect(narrow.body).toMatchObject({ valid: false, code: 'insufficient_scope', missing_scopes: ['runs.read'] });
      const unknown = await t.expect('POST', '/v1/keys/verify', 200, { token: t.admin, body: { key: generateApiKey({ prefix: 'sk', environment: 'live' }) } });
      expect(unknown.body).toMatchObject({ valid: false, code: 'not_found', key: null });
      const typo = await t.expect('POST', '/v1/keys/verify', 200, { token: t.admin, body: { key: `${key.key.slice(0, -1)}${key.key.endsWith('a') ? 'b' : 'a'}` } });
      expect(typo.body).toMatchObject({ valid: false, code: 'malformed' });

      const tight = await createKey({ name: 'One a minute', scopes: ['workflows.execute'], rate_limit: { requests_per_minute: 1, burst: 0 } });
      expect((await t.expect('POST', '/v1/keys/verify', 200, { token: t.admin, body: { key: tight.key } })).body.code).toBe('valid');
      const spent = await t.expect('POST', '/v1/keys/verify', 200, { token: t.admin, body: { key: tight.key } });
      expect(spent.body).toMatchObject({ valid: false, code: 'rate_limited', rate_limit: { limit: 1, burst: 0, remaining: 0 } });
      // The key itself is now limited on the API too: 429 with Retry-After and the rate-limit headers.
      const limited = await t.expect('GET', '/v1/me', 429, { token: tight.key });
      expect(limited.body).toMatchObject({ code: 'rate_limited', retry_after: expect.any(Number) });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(limited.headers.get('ratelimit-policy')).toContain('w=60');
    });

    it('authentication and authorization: every 401 and 403 has its own code', async () => {
      const missing = await t.callInvalid('GET', keys());
      expect([missing.status, missing.body?.code]).toEqual([401, 'missing_credentials']);
      expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const basic = await t.callInvalid('GET', keys(), { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
      expect([basic.status, basic.body?.code]).toEqual([401, 'malformed_credentials']);
      const unknown = await t.expect('GET', keys(), 401, { token: generateApiKey({ prefix: 'sk', environment: 'live' }) });
      expect(unknown.body.code).toBe('invalid_credentials');

      await ensureScopes('runs.read');
      const reader = await createKey({ name: 'Monitoring', scopes: ['api_keys.read', 'runs.read'], expires_in: 'never' });
      await t.expect('GET', keys(), 200, { token: reader.key });
      const noScope = await t.expect('GET', `/v1/workspaces/${ws()}/members`, 403, { token: reader.key });
      expect(noScope.body).toMatchObject({ code: 'insufficient_scope', required_scopes: ['members.read'] });
      const writer = await createKey({ name: 'Key manager', scopes: ['api_keys.read', 'api_keys.write'] });
      const mint = await t.expect('POST', keys(), 403, { token: writer.key, body: { name: 'Minted by a key' } });
      expect(mint.body.code).toBe('keys_cannot_manage_keys');
    });

    it('validation: invalid bodies list every field; malformed JSON and other media types are refused', async () => {
      const invalid = await t.callInvalid('POST', keys(), { token: t.admin, body: { name: 'x', expires_in: '2w', surprise: true } });
      expect([invalid.status, invalid.body?.code]).toEqual([400, 'validation_failed']);
      expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['name', 'expires_in']));
      const malformed = await t.callInvalid('POST', keys(), { token: t.admin, rawBody: '{"name": ', headers: { 'content-type': 'application/json' } });
      expect([malformed.status, malformed.body?.code]).toEqual([400, 'invalid_json']);
      const media = await t.callInvalid('POST', keys(), { token: t.admin, rawBody: 'name=CI', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect([media.status, media.body?.code]).toEqual([415, 'unsupported_media_type']);
      const badQuery = await t.callInvalid('GET', `${keys()}?limit=1000`, { token: t.admin });
      expect([badQuery.status, badQuery.body?.code]).toEqual([400, 'validation_failed']);
    });

    it('audit logs: list with filters, export as CSV, NDJSON and CEF, deliver to a webhook, check the hash chain', async () => {
      await createKey({ name: 'Audited key' });
      const created = await t.expect('GET', `/v1/workspaces/${ws()}/audit-logs?event_type=api_key.created&limit=50`, 200, { token: t.admin });
      expect(created.body.data.length).toBeGreaterThan(0);
      expect(created.body.data.every((e: { type: string }) => e.type === 'api_key.created')).toBe(true);
      const byName = await t.expect('GET', `/v1/workspaces/${ws()}/audit-logs?key_name=${encodeURIComponent('Audited key')}&range=24h`, 200, { token: t.admin });
      expect(byName.body.data.some((e: { target: { name: string } | null }) => e.target?.name === 'Audited key')).toBe(true);

      const formats = { csv: /^text\/csv/, ndjson: /^application\/x-ndjson/, cef: /^text\/plain/ } as const;
      for (const [format, type] of Object.entries(formats)) {
        const exported = await t.expect('GET', `/v1/workspaces/${ws()}/audit-logs/export?format=${format}&event_type=api_key.created`, 200, { token: t.admin });
        expect(exported.headers.get('content-type'), format).toMatch(type);
        expect(exported.headers.get('content-disposition'), format).toMatch(/attachment/);
        expect(exported.text, format).toContain('api_key.created');
      }

      const delivery = await t.expect('POST', `/v1/workspaces/${ws()}/audit-logs/exports`, 202, { token: t.admin, body: { format: 'ndjson', destination_url: `${receiver.url}/siem`, filters: { range: '24h' } } });
      expect(delivery.body).toMatchObject({ format: 'ndjson', destination_url: `${receiver.url}/siem` });
      const state = await t.expect('GET', `/v1/workspaces/${ws()}/audit-logs/exports/${delivery.body.id}`, 200, { token: t.admin });
      expect(['pending', 'succeeded', 'failed']).toContain(state.body.status);
      expect((await t.expect('GET', `/v1/workspaces/${ws()}/audit-logs/exports/exp_0000000000000000000000`, 404, { token: t.admin })).body.code).toBe('audit_export_not_found');

      const integrity = await t.expect('GET', `/v1/workspaces/${ws()}/audit-logs/integrity`, 200, { token: t.admin });
      expect(integrity.body).toMatchObject({ intact: true, first_invalid_event_id: null });
      expect(integrity.body.events_checked).toBeGreaterThan(0);
    });

    it('metrics: requests by outcome for the workspace and for one key', async () => {
      const key = await createKey({ name: 'Metered key', scopes: ['api_keys.read'] });
      await t.expect('GET', '/v1/me', 200, { token: key.key });
      const day = new Date().toISOString().slice(0, 10);
      const next = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const all = await t.expect('GET', `/v1/workspaces/${ws()}/metrics?start=${day}&end=${next}&granularity=hour`, 200, { token: t.admin });
      expect(all.body).toMatchObject({ workspace_id: ws(), key_id: null, granularity: 'hour' });
      expect(all.body.totals.used).toBeGreaterThan(0);
      const one = await t.expect('GET', `/v1/workspaces/${ws()}/metrics?start=${day}&end=${next}&key_id=${key.id}`, 200, { token: t.admin });
      expect(one.body).toMatchObject({ key_id: key.id, granularity: 'day' });
      expect(one.body.totals.used).toBeGreaterThanOrEqual(1);
    });

    it('alerts: subscribe a webhook (secret shown once), read, pause, send a test delivery, list deliveries, delete', async () => {
      const created = await t.expect('POST', `/v1/workspaces/${ws()}/alert-subscriptions`, 201, {
        token: t.admin,
        body: { url: `${receiver.url}/alerts`, description: 'Security team channel', events: ['api_key.created', 'auth.failed_burst'], expiry_warning_days: 14 },
      });
      const sub = created.body as { id: string; secret: string };
      expect(sub.secret).toMatch(/^whsec_/);
      const listed = await t.expect('GET', `/v1/workspaces/${ws()}/alert-subscriptions`, 200, { token: t.admin });
      expect(listed.body.data.map((s: { id: string }) => s.id)).toContain(sub.id);
      const read = await t.expect('GET', `/v1/workspaces/${ws()}/alert-subscriptions/${sub.id}`, 200, { token: t.admin });
      expect(read.body).not.toHaveProperty('secret');
      const paused = await t.expect('PATCH', `/v1/workspaces/${ws()}/alert-subscriptions/${sub.id}`, 200, { token: t.admin, body: { enabled: false } });
      expect(paused.body.enabled).toBe(false);
      await t.expect('PATCH', `/v1/workspaces/${ws()}/alert-subscriptions/${sub.id}`, 200, { token: t.admin, body: { enabled: true } });
      const test = await t.expect('POST', `/v1/workspaces/${ws()}/alert-subscriptions/${sub.id}/test`, 202, { token: t.admin });
      expect(test.body).toMatchObject({ subscription_id: sub.id, event: 'alert.test' });
      const deliveries = await t.expect('GET', `/v1/workspaces/${ws()}/alert-subscriptions/${sub.id}/deliveries`, 200, { token: t.admin });
      expect(deliveries.body.data.map((d: { id: string }) => d.id)).toContain(test.body.id);
      await t.expect('DELETE', `/v1/workspaces/${ws()}/alert-subscriptions/${sub.id}`, 204, { token: t.admin });
      expect((await t.expect('GET', `/v1/workspaces/${ws()}/alert-subscriptions/${sub.id}`, 404, { token: t.admin })).body.code).toBe('alert_subscription_not_found');
    });

    extraTests?.();

    it('exercises every operation of the spec (each answered with a documented success that conforms)', () => {
      const missing = t.unexercised().map((id) => `${id} (${operations[id].method.toUpperCase()} ${operations[id].path})`);
      expect(missing, 'operations no scenario exercised').toEqual([]);
    });
  });
}
