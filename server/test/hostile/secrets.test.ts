/**
 * After a scenario that creates, rotates, verifies, revokes and fails authentication with many
 * keys, no raw key or token appears anywhere except in the responses that hand it out: not in
 * other responses (bodies or headers), not in the audit events, not in the data folder's files.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checksumOf, generateApiKey, generatePersonalAccessToken } from '@tessera/sdk/key-format';
import { createApp } from '../../src/app.js';
import type { AuditEventInput, EventSink } from '../../src/audit/types.js';
import { openFileStore, openMemoryStore } from '../../src/data/open.js';
import type { TesseraStore } from '../../src/data/store.js';
import { bootstrap } from '../../src/domain/workspaces.js';
import { openEventPipeline, type EventPipeline } from '../../src/events.js';
import { ManualClock } from '../../src/traffic/index.js';
import { T0 } from '../harness.js';
import { send, stubOutboundFetch, type Sent } from './support.js';

/** Anything shaped like a Tessera API key or personal access token. */
const SECRET_SHAPE = /[a-z][a-z0-9]{1,15}_(?:live|test)_[0-9A-Za-z]{36}|tpat_[0-9A-Za-z]{36}/g;
const lines: string[] = [];
beforeAll(() => void stubOutboundFetch());
afterAll(() => {
  vi.unstubAllGlobals();
  lines.forEach((l) => console.log(l));
});

interface Exchange {
  label: string;
  res: Sent;
  /** The one secret this response hands out (create, rotate, member or workspace creation). */
  handsOut?: string;
}

/** The secret part of a credential, in windows long enough that no display prefix can match. */
function fragments(secret: string): string[] {
  const body = secret.replace(/^(tpat_|[a-z][a-z0-9]{1,15}_(?:live|test)_)/, '');
  return [body.slice(0, 16), body.slice(10, 26), body.slice(20, 36)];
}

async function scenario(name: string, store: TesseraStore, clock: ManualClock, makePipeline?: (observer: EventSink) => Promise<EventPipeline>) {
  const events: AuditEventInput[] = [];
  const logged: unknown[] = [];
  const observer = { record: (e: AuditEventInput) => void events.push(e) };
  const pipeline = await makePipeline?.(observer);
  const { app } = createApp({ store, clock, ...(pipeline ? { pipeline } : { events: observer }), logError: (e) => logged.push(e) });
  const boot = (await bootstrap(store, new Date(clock.now())))!;
  const admin = boot.token!;
  const ws = boot.workspace.id;
  const keysPath = `/v1/workspaces/${ws}/api-keys`;
  const issued = new Set<string>([admin]);
  const presented = new Set<string>();
  const exchanges: Exchange[] = [];
  const call = async (label: string, method: string, path: string, init: Parameters<typeof send>[3] = {}, handsOut?: (res: Sent) => string | undefined) => {
    const res = await send(app, method, path, init);
    const secret = handsOut?.(res);
    if (secret) issued.add(secret);
    exchanges.push({ label, res, ...(secret ? { handsOut: secret } : {}) });
    return res;
  };
  const newKey = (res: Sent) => (res.status === 201 ? (res.body.key as string) : undefined);

  // Keys of every kind, a member with a token, a second workspace with its admin token.
  await call('add scope', 'POST', `/v1/workspaces/${ws}/scopes`, { token: admin, body: { name: 'workflows.execute' } });
  const keys: Array<{ id: string; key: string }> = [];
  for (let i = 0; i < 40; i++) {
    const body = { name: `Scenario Key ${i}`, environment: i % 3 === 0 ? 'test' : 'live', scopes: i % 2 ? ['api_keys.read', 'keys.verify'] : ['workflows.execute'], ...(i % 5 === 0 ? { expires_in: '15d' } : {}) };
    const res = await call('create key', 'POST', keysPath, { token: admin, body, headers: { 'idempotency-key': `create-${i}` } }, newKey);
    keys.push({ id: res.body.id, key: res.body.key });
  }
  // An idempotent replay hands the same key out again (it is the create response).
  await call('replayed create', 'POST', keysPath, { token: admin, body: { name: 'Scenario Key 0', environment: 'test', scopes: ['workflows.execute'], expires_in: '15d' }, headers: { 'idempotency-key': 'create-0' } }, newKey);
  const member = await call('create member', 'POST', `/v1/workspaces/${ws}/members`, { token: admin, body: { name: 'Grace', email: 'grace@example.com', role: 'member' } }, (r) => r.body?.token);
  const leaver = await call('create member', 'POST', `/v1/workspaces/${ws}/members`, { token: admin, body: { name: 'Leaver', email: 'leaver@example.com', role: 'admin' } }, (r) => r.body?.token);
  const other = await call('create workspace', 'POST', '/v1/workspaces', { token: admin, body: { name: 'Second Workspace' } }, (r) => r.body?.admin?.token);
  await call('create key elsewhere', 'POST', `/v1/workspaces/${other.body.workspace.id}/api-keys`, { token: other.body.admin.token, body: { name: 'Elsewhere' } }, newKey);

  // Verify and use them.
  for (const k of keys) {
    await call('verify', 'POST', '/v1/keys/verify', { token: admin, body: { key: k.key, required_scopes: ['workflows.execute'] } });
    await call('use key', 'GET', '/v1/me', { token: k.key });
    await call('verify by a key', 'POST', '/v1/keys/verify', { token: keys[1]!.key, body: { key: k.key } });
  }
  await call('use token', 'GET', keysPath, { token: member.body.token });

  // Rotate (with and without grace), disable, enable, revoke, delete.
  const rotated: string[] = [];
  for (const [i, k] of keys.slice(0, 15).entries()) {
    const res = await call('rotate', 'POST', `${keysPath}/${k.id}/rotate`, { token: admin, body: { grace_period_seconds: i % 2 ? 0 : 3600 } }, newKey);
    rotated.push(res.body.key);
    await call('verify old after rotation', 'POST', '/v1/keys/verify', { token: admin, body: { key: k.key } });
    await call('verify new after rotation', 'POST', '/v1/keys/verify', { token: admin, body: { key: res.body.key } });
  }
  for (const k of keys.slice(15, 20)) {
    await call('disable', 'POST', `${keysPath}/${k.id}/disable`, { token: admin });
    await call('use disabled', 'GET', '/v1/me', { token: k.key });
    await call('enable', 'POST', `${keysPath}/${k.id}/enable`, { token: admin });
  }
  for (const [i, k] of keys.slice(20, 30).entries()) {
    await call('revoke', i % 2 ? 'DELETE' : 'POST', i % 2 ? `${keysPath}/${k.id}` : `${keysPath}/${k.id}/revoke`, { token: admin });
  }
  await call('deactivate member', 'POST', `/v1/workspaces/${ws}/members/${leaver.body.id}/deactivate`, { token: admin });

  // Failed authentication of every kind, and keys where no key belongs.
  clock.advance(16 * 86_400_000); // every fifth key has expired
  const typo = (key: string) => key.slice(0, 20) + (key[20] === 'a' ? 'b' : 'a') + key.slice(21);
  const nearMiss = (key: string) => {
    const body = key.slice(0, -7) + (key.at(-7) === 'x' ? 'y' : 'x');
    return body + checksumOf(body);
  };
  for (const k of keys) {
    const wrong = [typo(k.key), nearMiss(k.key), `${k.key}x`, k.key.slice(0, -1)];
    for (const w of wrong) presented.add(w);
    await call('revoked/expired/plain key as credential', 'GET', keysPath, { token: k.key });
    for (const w of wrong) {
      await call('wrong key as credential', 'GET', `/v1/workspaces/${ws}/members`, { token: w });
      await call('wrong key verified', 'POST', '/v1/keys/verify', { token: admin, body: { key: w } });
    }
    await call('key with whitespace verified', 'POST', '/v1/keys/verify', { token: admin, body: { key: ` ${k.key}\n` } });
    await call('key in the Authorization header twice', 'GET', '/v1/me', { headers: { authorization: `Bearer ${k.key} ${k.key}` } });
    await call('key without Bearer', 'GET', '/v1/me', { headers: { authorization: k.key } });
    await call('key in the query string', 'GET', `${keysPath}?api_key=${k.key}`, { token: admin });
  }
  for (let i = 0; i < 20; i++) {
    const unknown = [generateApiKey({ prefix: 'sk', environment: 'live' }), generatePersonalAccessToken()];
    for (const u of unknown) {
      presented.add(u);
      await call('unknown credential', 'GET', keysPath, { token: u });
    }
  }
  await call('deactivated token', 'GET', keysPath, { token: leaver.body.token });
  // The raw key where its id belongs (a common mistake), by a key and with a failing credential.
  for (const k of keys.slice(30, 35)) {
    await call('raw key as key id (by a key)', 'GET', `${keysPath}/${k.key}`, { token: keys[31]!.key });
    await call('raw key as key id (bad credential)', 'GET', `${keysPath}/${k.key}`, { token: typo(k.key) });
  }
  // Read the audit trail back: every page of the list, and every export format.
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await call('list audit events', 'GET', `/v1/workspaces/${ws}/audit-logs?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token: admin });
    if (page.status !== 200) throw new Error(`audit list answered ${page.status}: ${page.text.slice(0, 300)}`);
    cursor = page.body.next_cursor ?? undefined;
    pages += 1;
  } while (cursor && pages < 100);
  for (const format of ['csv', 'ndjson', 'cef']) {
    const exported = await call(`export audit events (${format})`, 'GET', `/v1/workspaces/${ws}/audit-logs/export?format=${format}`, { token: admin });
    if (exported.status !== 200 || exported.text.length < 1000) throw new Error(`audit export ${format} answered ${exported.status} with ${exported.text.length} bytes`);
  }
  await store.flush();
  await pipeline?.flush();
  return { app, events, logged, exchanges, issued, presented, rotated, pages, pipeline };
}

/** Every place a secret was found where it must not be. */
function leaks(where: string, text: string, secrets: Set<string>, allowed?: string): string[] {
  const found: string[] = [];
  for (const match of text.match(SECRET_SHAPE) ?? []) {
    if (match !== allowed) found.push(`${where}: a credential-shaped string ${match.slice(0, 12)}…${secrets.has(match) ? ' (one of ours)' : ''}`);
  }
  for (const secret of secrets) {
    // A mistyped copy of the handed-out secret shares most of it: it is that secret's business.
    if (allowed !== undefined && fragments(secret).some((f) => allowed.includes(f))) continue;
    if (fragments(secret).some((f) => text.includes(f))) found.push(`${where}: part of the secret ${secret.slice(0, 12)}…`);
  }
  return found;
}

async function filesIn(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesIn(full)));
    else out.push(full);
  }
  return out;
}

function check(name: string, run: Awaited<ReturnType<typeof scenario>>, files: Array<{ path: string; text: string }>) {
  const all = new Set([...run.issued, ...run.presented]);
  const found: string[] = [];
  let handedOut = 0;
  for (const { label, res, handsOut } of run.exchanges) {
    const headers = [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n');
    found.push(...leaks(`${name} response to "${label}" (${res.status}) headers`, headers, all));
    found.push(...leaks(`${name} response to "${label}" (${res.status})`, res.text, all, handsOut));
    if (handsOut) {
      handedOut += 1;
      if (!res.text.includes(handsOut)) found.push(`${name} response to "${label}" does not hand out its secret`);
    }
  }
  found.push(...leaks(`${name} audit events`, JSON.stringify(run.events), all));
  found.push(...leaks(`${name} error log`, run.logged.map(String).join('\n'), all));
  for (const file of files) found.push(...leaks(`${name} data file ${file.path}`, file.text, all));
  const unique = [...new Set(found)];
  lines.push(
    `[secrets] ${name}: ${run.exchanges.length} responses (${handedOut} hand out a secret; incl. ${run.pages} audit-log pages and 3 exports), ${run.events.length} audit events, ${files.length} data files (${files.reduce((n, f) => n + f.text.length, 0)} bytes) ` +
      `scanned for ${run.issued.size} issued and ${run.presented.size} presented credentials; ${unique.length} leaks`,
  );
  for (const leak of unique.slice(0, 40)) lines.push(`[secrets]   LEAK ${leak}`);
  return unique;
}

describe('secrets', () => {
  it('in memory: no raw credential outside the responses that hand it out', async () => {
    const clock = new ManualClock(T0);
    const run = await scenario('in-memory', openMemoryStore(), clock);
    expect(run.logged, 'unexpected server errors').toEqual([]);
    expect(run.exchanges.filter((e) => e.res.status >= 500).map((e) => e.label)).toEqual([]);
    expect(check('in-memory', run, [])).toEqual([]);
  });

  it('on the file store: the data folder, the events and the responses hold no raw credential', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-secrets-'));
    try {
      const clock = new ManualClock(T0);
      const store = await openFileStore(dir, { checkpointIntervalMs: 50 });
      const errors: Error[] = [];
      const run = await scenario('file store', store, clock, (observer) => openEventPipeline({ dataDir: dir, store, clock, observer, expiryScanIntervalMs: 0, onError: (e) => errors.push(e) }));
      await run.pipeline!.close();
      await store.close();
      expect(errors.map(String)).toEqual([]);
      const files = await Promise.all((await filesIn(dir)).map(async (path) => ({ path: path.slice(dir.length + 1), text: await readFile(path, 'latin1') })));
      expect(files.map((f) => f.path)).toContain('tessera.json');
      expect(run.logged, 'unexpected server errors').toEqual([]);
      expect(check('file store', run, files)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
