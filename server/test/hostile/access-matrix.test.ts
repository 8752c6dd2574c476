/**
 * Every operation x every kind of credential, with the exact status and problem code of each
 * cell; and the timing of verify for unknown keys vs near misses of stored keys.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checksumOf, generateApiKey, generatePersonalAccessToken } from '@tessera/sdk/key-format';
import { operations, type OperationId } from '@tessera/spec';
import { lookUpKey } from '../../src/domain/credentials.js';
import { startTestServer, type TestServer } from '../harness.js';
import { allOperationIds, countBy, fillPath, median, mountedOperationIds, parametersOf, placeholderFor, requestExamples, send, snapshot, stubOutboundFetch, type Sent } from './support.js';

/**
 * Operations of the spec the app does not serve yet (their routes are being added). The matrix
 * covers every mounted operation; an unmounted operation missing from this list fails the
 * suite, and so does a listed operation that is now mounted: remove it from the list.
 */
const PENDING_ROUTES: readonly OperationId[] = [
  // All 45 operations are mounted. (Audit logs, metrics, alert subscriptions and /metrics landed.)
];

/** What the built-in `member` role may do (PRODUCT.md: members read, and verify keys). */
const MEMBER_ROLE_SCOPES = ['workspaces.read', 'members.read', 'roles.read', 'api_keys.read', 'keys.verify', 'audit_logs.read', 'metrics.read', 'alerts.read'];
const TESSERA_SCOPES = [
  'workspaces.read', 'workspaces.write', 'members.read', 'members.write', 'roles.read', 'roles.write', 'api_keys.read', 'api_keys.write',
  'keys.verify', 'audit_logs.read', 'audit_logs.export', 'metrics.read', 'alerts.read', 'alerts.write',
];
/** "You can't mint a key with a key": what API keys may not do unless the workspace allows it. */
// Operations that mint or manage credentials: refused to API keys unless the workspace allows
// keys to manage keys (a member token is a credential too).
const KEY_MANAGEMENT: ReadonlySet<OperationId> = new Set(['createApiKey', 'updateApiKey', 'deleteApiKey', 'rotateApiKey', 'disableApiKey', 'enableApiKey', 'revokeApiKey', 'createMember']);

type Expectation = { allowed: true } | { allowed: false; status: number; code: string };
const allowed: Expectation = { allowed: true };
const refused = (status: number, code: string): Expectation => ({ allowed: false, status, code });

interface Credential {
  name: string;
  /** Authorization header value (undefined = none). */
  header: (op: OperationId) => string | undefined;
  isKey: boolean;
  expect: (op: OperationId) => Expectation;
}

let s: TestServer;
let mounted: Set<OperationId>;
const summary: string[] = [];

beforeAll(async () => {
  stubOutboundFetch();
  s = await startTestServer();
  mounted = mountedOperationIds(s.app);
});
afterAll(() => {
  vi.unstubAllGlobals();
  for (const line of summary) console.log(line);
});

describe('the access matrix', () => {
  it('lists exactly the unmounted operations as pending', async () => {
    const unmounted = allOperationIds.filter((id) => !mounted.has(id));
    const unlisted = unmounted.filter((id) => !PENDING_ROUTES.includes(id));
    const landed = PENDING_ROUTES.filter((id) => mounted.has(id));
    // A pending operation really answers route_not_found (and /v1 ones still demand a credential first).
    const probes: string[] = [];
    for (const id of unmounted) {
      const op = operations[id];
      const path = fillPath(op.path, Object.fromEntries(parametersOf(id).filter((p) => p.in === 'path').map((p) => [p.name, p.name === 'workspace_id' ? s.ws : placeholderFor(p.schema)])));
      const res = await send(s.app, op.method.toUpperCase(), path, { token: s.admin, ...(op.hasBody ? { body: requestExamples(id)[0] ?? {} } : {}) });
      if (res.status !== 404 || res.body?.code !== 'route_not_found') probes.push(`${id}: ${res.status} ${res.body?.code}`);
    }
    summary.push(`[access-matrix] ${allOperationIds.length} operations in the spec, ${mounted.size} mounted and covered; skipped as unmounted (${unmounted.length}): ${unmounted.join(', ') || 'none'}`);
    expect(unlisted, 'operations that are not mounted and not listed in PENDING_ROUTES').toEqual([]);
    expect(landed, 'operations listed in PENDING_ROUTES that are now mounted: remove them from the list').toEqual([]);
    expect(probes, 'unmounted operations that do not answer 404 route_not_found').toEqual([]);
  });

  it('answers every operation x credential cell with the exact status and code', async () => {
    const { admin, ws, clock } = s;
    const call = (method: string, path: string, token: string, body?: unknown) => s.call(method, path, { token, ...(body === undefined ? {} : { body }) });
    const ok = <R extends { status: number; text: string }>(res: R, what: string): R => {
      if (res.status >= 300) throw new Error(`setup: ${what} answered ${res.status}: ${res.text}`);
      return res;
    };

    // Catalog scopes the spec's request examples name, so that those examples can succeed.
    for (const name of ['workflows.execute', 'runs.read', 'workflows.read']) ok(await call('POST', `/v1/workspaces/${ws}/scopes`, admin, { name }), `scope ${name}`);

    // Credentials in every state. The expired key first, then the clock moves past its expiry.
    const expired = await s.createKey({ name: 'Expired Key', expires_at: new Date(clock.now() + 60_000).toISOString() });
    clock.advance(120_000);
    const revoked = await s.createKey({ name: 'Revoked Key' });
    ok(await call('POST', `${s.keysPath}/${revoked.id}/revoke`, admin), 'revoke');
    const disabled = await s.createKey({ name: 'Disabled Key' });
    ok(await call('POST', `${s.keysPath}/${disabled.id}/disable`, admin), 'disable');
    const gone = await s.createMember('member');
    ok(await call('POST', `/v1/workspaces/${ws}/members/${gone.id}/deactivate`, admin), 'deactivate');
    const member = await s.createMember('member');
    const orphanCreator = await s.createMember('admin');
    const orphanKey = await s.createKey({ name: 'Orphaned Key', scopes: ['*'] }, orphanCreator.token);
    ok(await call('POST', `/v1/workspaces/${ws}/members/${orphanCreator.id}/deactivate`, admin), 'deactivate creator');
    const fullKey = await s.createKey({ name: 'Full Key', scopes: ['*'] });
    const emptyKey = await s.createKey({ name: 'Empty Key', scopes: [] });
    const stored = await s.createKey({ name: 'Typo Source' });
    const lastChar = stored.key.at(-1)!;
    const badChecksum = stored.key.slice(0, -1) + (lastChar === 'A' ? 'B' : 'A');
    const unknownKey = generateApiKey({ prefix: 'sk', environment: 'live' });
    const unknownToken = generatePersonalAccessToken();

    // Another workspace, its admin token and a key with every right in it.
    const other = ok(await call('POST', '/v1/workspaces', admin, { name: 'Other Workspace' }), 'other workspace').body;
    const otherAdmin: string = other.admin.token;
    const otherKey = ok(await call('POST', `/v1/workspaces/${other.workspace.id}/api-keys`, otherAdmin, { name: 'Other Key', scopes: ['*'] }), 'other key').body.key as string;

    // Custom roles that keys holding only the operation's scope can grant.
    const roleFor = new Map<string, string>();
    for (const scope of ['members.write']) roleFor.set(scope, ok(await call('POST', `/v1/workspaces/${ws}/roles`, admin, { name: `Only ${scope}`, scopes: [scope] }), 'role').body.id);

    // Keys with exactly an operation's scopes, with the resource wildcard, and with everything else.
    const scopeKeys = new Map<string, { exact: string; wildcard: string; without: string }>();
    for (const id of mounted) {
      const required = [...operations[id].requiredScopes] as string[];
      const tag = required.join(',');
      if (scopeKeys.has(tag)) continue;
      const exact = await s.createKey({ name: `Exact ${tag || 'none'}`.slice(0, 50), scopes: required });
      const wildcard = await s.createKey({ name: `Wildcard ${tag || 'none'}`.slice(0, 50), scopes: [...new Set(required.map((r) => `${r.split('.')[0]}.*`))] });
      const without = await s.createKey({ name: `All but ${tag || 'none'}`.slice(0, 50), scopes: TESSERA_SCOPES.filter((t) => !required.includes(t)) });
      scopeKeys.set(tag, { exact: exact.key, wildcard: wildcard.key, without: without.key });
    }
    const keysFor = (op: OperationId) => scopeKeys.get((operations[op].requiredScopes as readonly string[]).join(','))!;

    const required = (op: OperationId) => operations[op].requiredScopes as readonly string[];
    const inWorkspace = (op: OperationId) => operations[op].path.includes('{workspace_id}');
    const publicOp = (op: OperationId) => !operations[op].authenticated;
    const asKeyWith = (op: OperationId): Expectation =>
      KEY_MANAGEMENT.has(op) ? refused(403, 'keys_cannot_manage_keys') : op === 'createWorkspace' ? refused(403, 'member_token_required') : allowed;
    const needsScope = (op: OperationId, otherwise: Expectation): Expectation => (required(op).length > 0 ? refused(403, 'insufficient_scope') : otherwise);
    const unauthenticated = (code: string) => () => refused(401, code);
    const bearer = (token: string) => () => `Bearer ${token}`;

    const credentials: Credential[] = [
      { name: 'none', header: () => undefined, isKey: false, expect: unauthenticated('missing_credentials') },
      { name: 'malformed header (Basic)', header: () => 'Basic dXNlcjpwYXNz', isKey: false, expect: unauthenticated('malformed_credentials') },
      { name: 'malformed header (two tokens)', header: () => `Bearer ${admin} ${admin}`, isKey: false, expect: unauthenticated('malformed_credentials') },
      { name: 'bad checksum', header: bearer(badChecksum), isKey: true, expect: unauthenticated('malformed_credentials') },
      { name: 'unknown key', header: bearer(unknownKey), isKey: true, expect: unauthenticated('invalid_credentials') },
      { name: 'unknown token', header: bearer(unknownToken), isKey: false, expect: unauthenticated('invalid_credentials') },
      { name: 'expired key', header: bearer(expired.key), isKey: true, expect: unauthenticated('key_expired') },
      { name: 'revoked key', header: bearer(revoked.key), isKey: true, expect: unauthenticated('key_revoked') },
      { name: 'disabled key', header: bearer(disabled.key), isKey: true, expect: unauthenticated('key_disabled') },
      { name: 'deactivated member token', header: bearer(gone.token), isKey: false, expect: unauthenticated('member_deactivated') },
      { name: 'member token', header: bearer(member.token), isKey: false, expect: (op) => (required(op).every((r) => MEMBER_ROLE_SCOPES.includes(r)) ? allowed : refused(403, 'insufficient_scope')) },
      { name: 'admin token', header: bearer(admin), isKey: false, expect: () => allowed },
      { name: 'key with the exact scopes', header: (op) => `Bearer ${keysFor(op).exact}`, isKey: true, expect: asKeyWith },
      { name: 'key with resource.* scopes', header: (op) => `Bearer ${keysFor(op).wildcard}`, isKey: true, expect: asKeyWith },
      { name: 'key with * scope', header: bearer(fullKey.key), isKey: true, expect: asKeyWith },
      { name: 'key with every other scope', header: (op) => `Bearer ${keysFor(op).without}`, isKey: true, expect: (op) => needsScope(op, asKeyWith(op)) },
      { name: 'key with no scopes', header: bearer(emptyKey.key), isKey: true, expect: (op) => needsScope(op, asKeyWith(op)) },
      { name: 'key of a deactivated creator', header: bearer(orphanKey.key), isKey: true, expect: (op) => needsScope(op, asKeyWith(op)) },
      { name: 'admin token of another workspace', header: bearer(otherAdmin), isKey: false, expect: (op) => (inWorkspace(op) ? refused(404, 'workspace_not_found') : allowed) },
      {
        name: 'key of another workspace',
        header: bearer(otherKey),
        isKey: true,
        expect: (op) => (inWorkspace(op) ? refused(404, 'workspace_not_found') : asKeyWith(op)),
      },
    ];

    // Path ids: shared fixtures for refused cells, fresh objects for allowed ones (they act on them).
    let counter = 0;
    const fresh = async (name: string, schema: Record<string, any>): Promise<string> => {
      counter += 1;
      switch (name) {
        case 'workspace_id':
          return ws;
        case 'key_id':
          return (await s.createKey({ name: `Target ${counter}`, expires_in: '90d' })).id;
        case 'member_id':
          return (await s.createMember('member')).id;
        case 'role_id':
          return ok(await call('POST', `/v1/workspaces/${ws}/roles`, admin, { name: `Target Role ${counter}`, scopes: ['metrics.read'] }), 'role').body.id;
        case 'scope_name': {
          const scope = `target.s${counter}`;
          ok(await call('POST', `/v1/workspaces/${ws}/scopes`, admin, { name: scope }), 'scope');
          return scope;
        }
        case 'subscription_id':
          return ok(await call('POST', `/v1/workspaces/${ws}/alert-subscriptions`, admin, requestExamples('createAlertSubscription')[0]), 'subscription').body.id;
        case 'export_id':
          return ok(await call('POST', `/v1/workspaces/${ws}/audit-logs/exports`, admin, requestExamples('createAuditExport')[0]), 'audit export').body.id;
        default:
          return placeholderFor(schema);
      }
    };
    const shared = new Map<string, string>();
    const sharedId = async (name: string, schema: Record<string, any>) => {
      if (!shared.has(name)) shared.set(name, await fresh(name, schema));
      return shared.get(name)!;
    };
    /** Objects this suite knows how to create, so an admin's call on them must succeed. */
    const creatable = new Set(['workspace_id', 'key_id', 'member_id', 'role_id', 'scope_name', 'subscription_id', 'export_id']);

    const bodyFor = (op: OperationId, credential: Credential): unknown => {
      if (!operations[op].hasBody) return undefined;
      const base = (requestExamples(op)[0] ?? {}) as Record<string, any>;
      const n = ++counter;
      switch (op) {
        case 'createWorkspace':
          return { ...base, name: `${base.name} ${n}` };
        case 'createMember':
          return { ...base, email: `grace+${n}@example.com`, role: credential.isKey ? roleFor.get('members.write') : base.role };
        case 'updateMember':
          return credential.isKey ? { role: roleFor.get('members.write') } : base;
        case 'createRole':
          return { ...base, name: `${base.name} ${n}`, ...(credential.isKey ? { scopes: ['roles.write'] } : {}) };
        case 'updateRole':
          return credential.isKey ? { scopes: ['roles.write'] } : base;
        case 'createScope':
          return { ...base, name: `${base.name}${n}` };
        default:
          return base;
      }
    };

    const failures: string[] = [];
    const outcomes: string[] = [];
    const allowedStatuses: number[] = [];
    let cells = 0;
    const covered = allOperationIds.filter((id) => mounted.has(id));
    for (const op of covered) {
      const spec = operations[op];
      const params = parametersOf(op).filter((p) => p.in === 'path');
      for (const credential of credentials) {
        const expectation = publicOp(op) ? allowed : credential.expect(op);
        const values: Record<string, string> = {};
        for (const p of params) values[p.name] = expectation.allowed ? await fresh(p.name, p.schema) : await sharedId(p.name, p.schema);
        const path = fillPath(spec.path, values) + requiredQuery(op);
        const header = credential.header(op);
        const body = bodyFor(op, credential);
        const before = expectation.allowed ? undefined : await snapshot(s.store);
        const res: Sent = await send(s.app, spec.method.toUpperCase(), path, { headers: header === undefined ? {} : { authorization: header }, ...(body === undefined ? {} : { body }) });
        cells += 1;
        const where = `${op} x ${credential.name}: ${res.status} ${res.body?.code ?? ''}`;
        failures.push(...res.violations.map((v) => `${where}: ${v}`));
        if (res.status >= 500) failures.push(`${where}: server error ${res.text}`);
        if (expectation.allowed) {
          allowedStatuses.push(res.status);
          outcomes.push('allowed');
          if (res.status === 401 || res.status === 403) failures.push(`${where}: expected to be allowed (${res.text})`);
          const knowsFixtures = params.every((p) => creatable.has(p.name));
          if (knowsFixtures && credential.name === 'admin token' && res.status >= 300) failures.push(`${where}: the admin's valid request on real objects should succeed (${res.text})`);
        } else {
          outcomes.push(`${expectation.status} ${expectation.code}`);
          if (res.status !== expectation.status || res.body?.code !== expectation.code) failures.push(`${where}: expected ${expectation.status} ${expectation.code}`);
          if (res.status === 401 && !/^Bearer /.test(res.headers.get('www-authenticate') ?? '')) failures.push(`${where}: 401 without WWW-Authenticate: Bearer`);
          if (res.body?.code === 'insufficient_scope' && JSON.stringify(res.body.required_scopes) !== JSON.stringify(spec.requiredScopes)) {
            failures.push(`${where}: required_scopes ${JSON.stringify(res.body.required_scopes)} is not the operation's ${JSON.stringify(spec.requiredScopes)}`);
          }
          if ((await snapshot(s.store)) !== before) failures.push(`${where}: a refused request changed the stored data`);
        }
      }
    }
    const byOutcome = countBy(outcomes, (o) => o);
    const statuses = countBy(allowedStatuses, String);
    summary.push(
      `[access-matrix] ${cells} cells = ${covered.length} operations x ${credentials.length} credentials; expected outcomes ${JSON.stringify(byOutcome)}; ` +
        `statuses of allowed cells ${JSON.stringify(statuses)}; ${failures.length} failures`,
    );
    for (const f of failures.slice(0, 40)) summary.push(`[access-matrix]   FAIL ${f}`);
    expect(failures).toEqual([]);
    await s.checkInvariants();
  });
});

/** Valid values for an operation's required query parameters (e.g. a metrics range). */
function requiredQuery(op: OperationId): string {
  const known: Record<string, string> = { start: '2026-02-01', end: '2026-03-01', from: '2026-02-01T00:00:00Z', to: '2026-03-01T00:00:00Z' };
  const params = parametersOf(op).filter((p) => p.in === 'query' && p.required);
  if (params.length === 0) return '';
  const value = (p: (typeof params)[number]) => known[p.name] ?? (p.schema.enum ? String(p.schema.enum[0]) : p.schema.pattern ? placeholderFor(p.schema) : 'x');
  return `?${new URLSearchParams(params.map((p) => [p.name, value(p)]))}`;
}

describe('verify timing', () => {
  it('shows no usable difference between an unknown key and a near miss of a stored key', async () => {
    const t = await startTestServer();
    const stored: string[] = [];
    for (let i = 0; i < 200; i++) stored.push((await t.createKey({ name: `Timing ${i}` })).key);
    const N = 2000;
    const BATCH = 50;
    // A near miss: a stored key with one character of its random part changed and a valid
    // checksum, so it passes the offline check and is looked up (and not found).
    const nearMiss = (key: string, i: number) => {
      const body = key.slice(0, -6);
      const at = body.length - 1 - (i % 20);
      const changed = body.slice(0, at) + (body[at] === 'x' ? 'y' : 'x') + body.slice(at + 1);
      return changed + checksumOf(changed);
    };
    const kinds = {
      unknown: Array.from({ length: N }, () => generateApiKey({ prefix: 'sk', environment: 'live' })),
      nearMiss: Array.from({ length: N }, (_, i) => nearMiss(stored[i % stored.length]!, i)),
      control: Array.from({ length: N }, () => generateApiKey({ prefix: 'sk', environment: 'live' })),
    };
    type Kind = keyof typeof kinds;
    const now = new Date(t.clock.now());

    async function measure(run: (key: string) => Promise<void>): Promise<Record<Kind, number>> {
      for (let i = 0; i < 300; i++) await run(kinds.control[i]!); // warm up
      const perBatch: Record<Kind, number[]> = { unknown: [], nearMiss: [], control: [] };
      const order: Kind[][] = [
        ['unknown', 'nearMiss', 'control'],
        ['nearMiss', 'control', 'unknown'],
        ['control', 'unknown', 'nearMiss'],
      ];
      for (let b = 0; b < N / BATCH; b++) {
        // The control (a second set of unknown keys) only estimates noise: every other batch is enough.
        for (const kind of order[b % 3]!.filter((k) => k !== 'control' || b % 2 === 0)) {
          const keys = kinds[kind].slice(b * BATCH, (b + 1) * BATCH);
          const start = process.hrtime.bigint();
          for (const key of keys) await run(key);
          perBatch[kind].push(Number(process.hrtime.bigint() - start) / BATCH / 1000);
        }
      }
      return { unknown: median(perBatch.unknown), nearMiss: median(perBatch.nearMiss), control: median(perBatch.control) };
    }

    const lookups = await measure(async (key) => {
      if ((await lookUpKey(t.store, key, now)) !== undefined) throw new Error('a timing key was found');
    });
    const verifies = await measure(async (key) => {
      const res = await t.app.request('/v1/keys/verify', { method: 'POST', headers: { authorization: `Bearer ${t.admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ key }) });
      const body = (await res.json()) as { code: string };
      if (body.code !== 'not_found') throw new Error(`verify answered ${body.code}`);
    });

    // Loose on purpose: the difference must stay within the noise (unknown vs control, same
    // kind) and well under half the cost of a call, or under an absolute floor.
    const verdict = (m: Record<Kind, number>, floorUs: number) => {
      const difference = Math.abs(m.unknown - m.nearMiss);
      const noise = Math.abs(m.unknown - m.control);
      const bound = Math.max(4 * noise, 0.5 * Math.min(m.unknown, m.nearMiss), floorUs);
      return { difference, noise, bound };
    };
    const l = verdict(lookups, 2);
    const v = verdict(verifies, 20);
    const fmt = (n: number) => n.toFixed(2);
    console.log(
      `[access-matrix] verify timing, ${N} unknown and ${N} near-miss keys (+${N / 2} control) in interleaved batches of ${BATCH} (median µs per call): ` +
        `lookUpKey unknown ${fmt(lookups.unknown)} near-miss ${fmt(lookups.nearMiss)} control ${fmt(lookups.control)} -> diff ${fmt(l.difference)} (bound ${fmt(l.bound)}); ` +
        `POST /v1/keys/verify unknown ${fmt(verifies.unknown)} near-miss ${fmt(verifies.nearMiss)} control ${fmt(verifies.control)} -> diff ${fmt(v.difference)} (bound ${fmt(v.bound)})`,
    );
    expect(l.difference).toBeLessThan(l.bound);
    expect(v.difference).toBeLessThan(v.bound);
  });
});
