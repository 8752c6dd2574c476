/**
 * Hundreds of parallel requests on the same key, through the app: one consistent end state, no
 * 5xx, no lost update, at most one rotation, a revocation that sticks, a rate limiter that lets
 * exactly limit + burst through, and an idempotency key that creates exactly one key.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiKeyRecord } from '../../src/domain/model.js';
import type { TesseraStore } from '../../src/data/store.js';
import { keysOf, startTestServer, type TestServer } from '../harness.js';
import { countBy, rng, seedFromEnv, send, stubOutboundFetch, type Sent } from './support.js';

const SEED = seedFromEnv('CONCURRENCY_SEED');
const random = rng(SEED);
const lines: string[] = [];
beforeAll(() => void stubOutboundFetch());
afterAll(() => {
  vi.unstubAllGlobals();
  console.log(`[concurrency] seed ${SEED} (rerun: TESSERA_TEST_SEED=${SEED})`);
  for (const line of lines) console.log(line);
});

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Records the key's state after every committed transaction, in commit order. */
function commitLog(store: TesseraStore, keyId: string) {
  const states: ApiKeyRecord[] = [];
  const original = store.transact.bind(store);
  store.transact = ((work: Parameters<TesseraStore['transact']>[0]) =>
    original(async (tx) => {
      const result = await work(tx);
      const key = await tx.apiKey(keyId);
      const last = states.at(-1);
      if (key && JSON.stringify(key) !== JSON.stringify(last)) states.push(key);
      return result;
    })) as TesseraStore['transact'];
  return { states, restore: () => (store.transact = original) };
}

type Op = { kind: string; run: () => Promise<Sent>; detail?: string };
type Done = { kind: string; res: Sent; detail?: string };

/**
 * Fires all `ops` concurrently, in a seeded random order. Ops of the kinds in `late` are held back
 * until the first half of the others is under way, so they land in the middle of the storm.
 */
async function storm(ops: Op[], late: string[] = []): Promise<Done[]> {
  const start = (op: Op) => op.run().then((res) => ({ kind: op.kind, res, detail: op.detail }));
  const early = shuffle(ops.filter((op) => !late.includes(op.kind)));
  const held = ops.filter((op) => late.includes(op.kind));
  const half = Math.floor(early.length / 2);
  const first = early.slice(0, half).map(start);
  await new Promise((resolve) => setImmediate(resolve));
  const second = shuffle([...early.slice(half), ...held]).map(start);
  return Promise.all([...first, ...second]);
}

const outcome = (d: Done) => `${d.kind} ${d.res.status}${d.res.status >= 400 ? ` ${d.res.body?.code}` : ''}`;

function expectOnly(results: Done[], allowed: Record<string, string[]>) {
  const bad = results.filter((d) => d.res.status >= 500 || !(allowed[d.kind] ?? []).includes(`${d.res.status}${d.res.status >= 400 ? ` ${d.res.body?.code}` : ''}`));
  expect(bad.map((d) => `${outcome(d)} ${d.res.text.slice(0, 200)}`), 'unexpected answers').toEqual([]);
  expect(results.flatMap((d) => d.res.violations), 'answers that break the spec').toEqual([]);
}

describe('concurrency on one key', () => {
  let s: TestServer;

  it('parallel updates, rotations, disables and enables end in one consistent state with no lost update', async () => {
    s = await startTestServer();
    const key = await s.createKey({ name: 'Contended Key' });
    const path = `${s.keysPath}/${key.id}`;
    const log = commitLog(s.store, key.id);
    const names = Array.from({ length: 200 }, (_, i) => `Name ${i}`);
    const admin = s.admin;
    const ops: Op[] = [
      ...names.map((name) => ({ kind: 'rename', detail: name, run: () => send(s.app, 'PATCH', path, { token: admin, body: { name } }) })),
      { kind: 'describe', run: () => send(s.app, 'PATCH', path, { token: admin, body: { description: 'final description' } }) },
      { kind: 'label', run: () => send(s.app, 'PATCH', path, { token: admin, body: { metadata: { owner: 'team-a' } } }) },
      { kind: 'limit', run: () => send(s.app, 'PATCH', path, { token: admin, body: { rate_limit: { requests_per_minute: 500, burst: 50 } } }) },
      ...Array.from({ length: 50 }, () => ({ kind: 'rotate', run: () => send(s.app, 'POST', `${path}/rotate`, { token: admin, body: { grace_period_seconds: 3600 } }) })),
      ...Array.from({ length: 60 }, () => ({ kind: 'disable', run: () => send(s.app, 'POST', `${path}/disable`, { token: admin }) })),
      ...Array.from({ length: 60 }, () => ({ kind: 'enable', run: () => send(s.app, 'POST', `${path}/enable`, { token: admin }) })),
    ];
    const results = await storm(ops);
    log.restore();
    expectOnly(results, {
      rename: ['200'],
      describe: ['200'],
      label: ['200'],
      limit: ['200'],
      rotate: ['201', '409 already_rotated'],
      disable: ['200'],
      enable: ['200'],
    });

    const final = (await s.store.apiKey(key.id))!;
    const renamed = results.filter((d) => d.kind === 'rename' && d.res.status === 200);
    // Each answer describes its own write, not a mix with another.
    expect(renamed.filter((d) => d.res.body.name !== d.detail).map((d) => `${d.detail} answered ${d.res.body.name}`)).toEqual([]);
    // The last committed name wins, and it is one of the names that were acknowledged.
    expect(renamed.map((d) => d.detail)).toContain(final.name);
    expect(final.name).toBe(log.states.at(-1)!.name);
    // No lost update: the single writes to other fields all survived 200 renames around them.
    expect([final.description, final.metadata, final.rate_limit]).toEqual(['final description', { owner: 'team-a' }, { requests_per_minute: 500, burst: 50 }]);

    // At most one rotation, and it copied the key as it was at that moment.
    const rotations = results.filter((d) => d.kind === 'rotate' && d.res.status === 201);
    expect(rotations).toHaveLength(1);
    const fresh = (await s.store.apiKey(rotations[0]!.res.body.id))!;
    const atRotation = log.states.find((k) => k.rotated_to !== null)!;
    expect([final.rotated_to, fresh.rotated_from, fresh.name, fresh.status]).toEqual([fresh.id, key.id, atRotation.name, atRotation.status]);

    // The audit trail agrees with the answers and with the final state.
    const events = s.events.filter((e) => e.target?.id === key.id);
    const count = countBy(events, (e) => e.type);
    const updates200 = results.filter((d) => ['rename', 'describe', 'label', 'limit'].includes(d.kind) && d.res.status === 200).length;
    expect(count['api_key.updated']).toBe(updates200);
    expect(count['api_key.rotated']).toBe(1);
    const disabledEvents = count['api_key.disabled'] ?? 0;
    const enabledEvents = count['api_key.enabled'] ?? 0;
    expect(disabledEvents - enabledEvents).toBe(final.status === 'disabled' ? 1 : 0);
    const transitions = log.states.filter((k, i) => i > 0 && k.status !== log.states[i - 1]!.status).length + (log.states[0]!.status === 'disabled' ? 1 : 0);
    expect(disabledEvents + enabledEvents).toBe(transitions);

    // What verify says is what the record says (the old key is within its hour of grace).
    const verdict = await send(s.app, 'POST', '/v1/keys/verify', { token: admin, body: { key: key.key } });
    expect(verdict.body.code).toBe(final.status === 'disabled' ? 'disabled' : 'valid');
    lines.push(
      `[concurrency] one key, ${ops.length} parallel requests (200 renames, 3 other updates, 50 rotations, 60 disables, 60 enables): ${JSON.stringify(countBy(results, outcome))}; ` +
        `${log.states.length} committed states; final name "${final.name}", status ${final.status}; events ${JSON.stringify(count)}`,
    );
    await s.checkInvariants();
  });

  it('a revocation in the middle of the storm sticks: nothing changes a revoked key, verify says revoked', async () => {
    s = await startTestServer();
    const key = await s.createKey({ name: 'Doomed Key' });
    const path = `${s.keysPath}/${key.id}`;
    const log = commitLog(s.store, key.id);
    const admin = s.admin;
    const ops: Op[] = [
      ...Array.from({ length: 100 }, (_, i) => ({ kind: 'rename', detail: `Renamed ${i}`, run: () => send(s.app, 'PATCH', path, { token: admin, body: { name: `Renamed ${i}` } }) })),
      ...Array.from({ length: 30 }, () => ({ kind: 'rotate', run: () => send(s.app, 'POST', `${path}/rotate`, { token: admin, body: { grace_period_seconds: 3600 } }) })),
      ...Array.from({ length: 30 }, () => ({ kind: 'disable', run: () => send(s.app, 'POST', `${path}/disable`, { token: admin }) })),
      ...Array.from({ length: 30 }, () => ({ kind: 'enable', run: () => send(s.app, 'POST', `${path}/enable`, { token: admin }) })),
      ...Array.from({ length: 20 }, () => ({ kind: 'revoke', run: () => send(s.app, 'POST', `${path}/revoke`, { token: admin }) })),
      ...Array.from({ length: 10 }, () => ({ kind: 'delete', run: () => send(s.app, 'DELETE', path, { token: admin }) })),
      ...Array.from({ length: 100 }, () => ({ kind: 'verify', run: () => send(s.app, 'POST', '/v1/keys/verify', { token: admin, body: { key: key.key } }) })),
      ...Array.from({ length: 50 }, () => ({ kind: 'use', run: () => send(s.app, 'GET', '/v1/me', { token: key.key }) })),
    ];
    const results = await storm(ops, ['revoke', 'delete']);
    log.restore();
    expectOnly(results, {
      rename: ['200', '409 key_revoked'],
      rotate: ['201', '409 already_rotated', '409 key_revoked'],
      disable: ['200', '409 key_revoked'],
      enable: ['200', '409 key_revoked'],
      revoke: ['200'],
      delete: ['200'],
      verify: ['200'],
      use: ['200', '401 key_disabled', '401 key_revoked'],
    });
    expect(results.filter((d) => d.kind === 'verify' && !['valid', 'disabled', 'revoked'].includes(d.res.body.code)).map((d) => d.res.body.code)).toEqual([]);
    expect(results.filter((d) => (d.kind === 'revoke' || d.kind === 'delete') && d.res.body.status !== 'revoked')).toEqual([]);
    expect(results.filter((d) => d.kind === 'rotate' && d.res.status === 201).length).toBeLessThanOrEqual(1);

    // Once revoked, every later committed state of the key is the same revoked record.
    const firstRevoked = log.states.findIndex((k) => k.status === 'revoked');
    expect(firstRevoked).toBeGreaterThanOrEqual(0);
    const afterRevoke = log.states.slice(firstRevoked).map((k) => JSON.stringify(k));
    expect(new Set(afterRevoke).size).toBe(1);
    const final = (await s.store.apiKey(key.id))!;
    expect(final.status).toBe('revoked');
    expect(JSON.stringify(final)).toBe(afterRevoke[0]);
    // Acknowledged renames all happened before the revocation, and the last of them is the name.
    const renamed = results.filter((d) => d.kind === 'rename' && d.res.status === 200);
    expect(renamed.filter((d) => d.res.body.status === 'revoked')).toEqual([]);
    if (renamed.length > 0) expect(renamed.map((d) => d.detail)).toContain(final.name);
    expect(final.name).toBe(log.states[firstRevoked]!.name);

    const events = s.events.filter((e) => e.target?.id === key.id);
    const count = countBy(events, (e) => e.type);
    expect(count['api_key.revoked']).toBe(1);
    expect(count['api_key.updated'] ?? 0).toBe(renamed.length);
    expect((await send(s.app, 'POST', '/v1/keys/verify', { token: admin, body: { key: key.key } })).body.code).toBe('revoked');
    const use = await send(s.app, 'GET', '/v1/me', { token: key.key });
    expect([use.status, use.body.code]).toEqual([401, 'key_revoked']);
    lines.push(`[concurrency] revoke mid-storm, ${ops.length} parallel requests: ${JSON.stringify(countBy(results, outcome))}; verify codes ${JSON.stringify(countBy(results.filter((d) => d.kind === 'verify'), (d) => d.res.body.code))}; events ${JSON.stringify(count)}`);
    await s.checkInvariants();
  });

  it('never leaves a workspace without an active admin when admins deactivate each other at once', async () => {
    s = await startTestServer();
    const admins = [{ id: (await s.call('GET', '/v1/me', { token: s.admin })).body.member.id as string, token: s.admin }];
    for (let i = 0; i < 9; i++) admins.push(await s.createMember('admin'));
    const ops: Op[] = admins.flatMap((actor) =>
      admins.filter((t) => t.id !== actor.id).map((t) => ({ kind: 'deactivate', run: () => send(s.app, 'POST', `/v1/workspaces/${s.ws}/members/${t.id}/deactivate`, { token: actor.token }) })),
    );
    const results = await storm(ops);
    expectOnly(results, { deactivate: ['200', '409 last_admin', '401 member_deactivated'] });
    const active = (await s.store.members(s.ws)).filter((m) => m.role === 'admin' && m.status === 'active');
    expect(active.length).toBeGreaterThanOrEqual(1);
    lines.push(`[concurrency] 10 admins deactivating each other, ${ops.length} parallel requests: ${JSON.stringify(countBy(results, outcome))}; ${active.length} active admin(s) left`);
    await s.checkInvariants();
  });
});

describe('concurrency across requests', () => {
  it('the rate limiter lets exactly limit + burst through 2,000 concurrent requests', async () => {
    const s = await startTestServer();
    const own = await s.createKey({ name: 'Limited Key', rate_limit: { requests_per_minute: 60, burst: 40 } });
    const byDefault = await s.createKey({ name: 'Default Limit Key' });
    const verified = await s.createKey({ name: 'Verified Key', rate_limit: { requests_per_minute: 30, burst: 5 } });
    const N = 2000;
    const [ownResults, defaultResults, verifyResults] = await Promise.all([
      Promise.all(Array.from({ length: N }, () => send(s.app, 'GET', '/v1/me', { token: own.key }))),
      Promise.all(Array.from({ length: N }, () => send(s.app, 'GET', '/v1/me', { token: byDefault.key }))),
      Promise.all(Array.from({ length: N / 2 }, () => send(s.app, 'POST', '/v1/keys/verify', { token: s.admin, body: { key: verified.key } }))),
    ]);
    const passed = (rs: Sent[]) => rs.filter((r) => r.status === 200).length;
    expect(ownResults.filter((r) => r.status !== 200 && r.status !== 429)).toEqual([]);
    expect(passed(ownResults)).toBe(100);
    expect(passed(defaultResults)).toBe(1100);
    expect(verifyResults.filter((r) => r.body?.code === 'valid').length).toBe(35);
    expect(verifyResults.filter((r) => r.body?.code !== 'valid' && r.body?.code !== 'rate_limited')).toEqual([]);
    // Every permit was handed out once: the remaining counts of the successes are all distinct.
    const remaining = ownResults.filter((r) => r.status === 200).map((r) => Number(r.headers.get('x-ratelimit-remaining')));
    expect(new Set(remaining).size).toBe(100);
    expect(Math.min(...remaining)).toBe(0);
    const refusals = ownResults.filter((r) => r.status === 429);
    expect(refusals.filter((r) => !Number(r.headers.get('retry-after')) || r.body?.code !== 'rate_limited')).toEqual([]);
    expect([...ownResults, ...defaultResults, ...verifyResults].flatMap((r) => r.violations)).toEqual([]);
    const limitedEvents = s.events.filter((e) => e.type === 'api_key.rate_limited' && e.target?.id === own.id).length;
    expect(limitedEvents).toBe(N - 100);
    lines.push(
      `[concurrency] rate limiter, ${N} concurrent requests per key: 60+40 -> ${passed(ownResults)} passed, ${refusals.length} x 429; default 1000+100 -> ${passed(defaultResults)} passed; ` +
        `${N / 2} concurrent verifies of a 30+5 key -> ${verifyResults.filter((r) => r.body?.code === 'valid').length} valid; ${limitedEvents} rate_limited events`,
    );
    await s.checkInvariants();
  });

  it('one Idempotency-Key sent 100 times at once creates exactly one key', async () => {
    const s = await startTestServer();
    const body = { name: 'Exactly Once', scopes: ['api_keys.read'] };
    const results = await Promise.all(Array.from({ length: 100 }, () => send(s.app, 'POST', s.keysPath, { token: s.admin, body, headers: { 'idempotency-key': 'concurrent-create-1' } })));
    const statuses = countBy(results, (r) => `${r.status}${r.status >= 400 ? ` ${r.body?.code}` : ''}`);
    expect(Object.keys(statuses).filter((k) => k !== '201' && k !== '409 idempotency_request_in_flight')).toEqual([]);
    const created = results.filter((r) => r.status === 201);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect(created.filter((r) => r.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    const stored = (await keysOf(s.store, s.ws)).filter((k) => k.name === 'Exactly Once');
    expect(stored).toHaveLength(1);
    expect(s.events.filter((e) => e.type === 'api_key.created' && e.target?.name === 'Exactly Once')).toHaveLength(1);
    expect(results.flatMap((r) => r.violations)).toEqual([]);
    lines.push(`[concurrency] one idempotency key x 100 concurrent creates: ${JSON.stringify(statuses)}; ${stored.length} key stored`);
  });

  it('300 parallel creates give 300 distinct keys that all verify', async () => {
    const s = await startTestServer();
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => send(s.app, 'POST', s.keysPath, { token: s.admin, body: { name: `Parallel ${i}` } })));
    expect(results.filter((r) => r.status !== 201).map((r) => r.text)).toEqual([]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(300);
    expect(new Set(results.map((r) => r.body.key)).size).toBe(300);
    expect(await keysOf(s.store, s.ws)).toHaveLength(300);
    const verdicts = await Promise.all(results.map((r) => send(s.app, 'POST', '/v1/keys/verify', { token: s.admin, body: { key: r.body.key } })));
    const codes = countBy(verdicts, (v) => v.body.code);
    expect(codes).toEqual({ valid: 300 });
    expect(verdicts.every((v, i) => v.body.key.id === results[i]!.body.id)).toBe(true);
    lines.push(`[concurrency] 300 parallel creates: ${new Set(results.map((r) => r.body.id)).size} distinct keys stored, verify ${JSON.stringify(codes)}`);
  });
});
