/**
 * Idempotent replays across a restart of the real server (`startTessera` on a temp data folder):
 * after a graceful stop, after a crash (the folder copied as it is, without stopping), with
 * expired entries, and with responses that revealed a secret, which must never reach the disk.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { specValidator } from '@tessera/spec';
import { LAST_USED_FILE_NAME } from '../src/data/open.js';
import { startTessera, type RunningTessera } from '../src/runtime.js';
import { DATA_DIR_LOCK_NAME } from '../src/storage/data-dir-lock.js';
import { IDEMPOTENCY_LOG_FILE_NAME, IDEMPOTENCY_SNAPSHOT_FILE_NAME } from '../src/traffic/idempotency-files.js';
import { ManualClock } from '../src/traffic/index.js';
import { T0 } from './harness.js';

const HOUR = 3_600_000;
const ROLE = { name: 'Dashboard Readers', scopes: ['api_keys.read'] };

let dirs: string[];
let running: RunningTessera[];
let clock: ManualClock;

beforeEach(() => {
  dirs = [];
  running = [];
  clock = new ManualClock(T0);
});

afterEach(async () => {
  for (const server of running.splice(0).reverse()) await server.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** Background saves wait an hour: only `flush()` and `close()` save, so what is on disk is known. */
async function start(dataDir: string, configureApp?: Parameters<typeof startTessera>[2]): Promise<RunningTessera> {
  const server = await startTessera({ port: 0, host: '127.0.0.1', dataDir, adminToken: undefined }, clock, configureApp, { idempotencySaveIntervalMs: HOUR });
  running.push(server);
  return server;
}

async function stop(server: RunningTessera): Promise<void> {
  running.splice(running.indexOf(server), 1);
  await server.close();
}

interface Answer {
  status: number;
  replayed: string | null;
  text: string;
  body: any;
}

async function call(server: RunningTessera, token: string, path: string, body: unknown, idempotencyKey?: string, method = 'POST'): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
  const response = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  expect(specValidator().checkExchange({ method, path, status: response.status, headers: response.headers, body: parsed }), 'spec violations').toEqual([]);
  return { status: response.status, replayed: response.headers.get('idempotent-replayed'), text, body: parsed };
}

/** Every file under `dir`, as text. */
async function folderText(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  return (await Promise.all(files.map((file) => readFile(file, 'latin1')))).join('\n');
}

/** The idempotency files (snapshot, log, anything set aside), as text. */
async function idempotencyText(dir: string): Promise<string> {
  const names = (await readdir(dir)).filter((name) => name.startsWith('idempotency'));
  return (await Promise.all(names.map((name) => readFile(join(dir, name), 'latin1')))).join('\n');
}

/** A first start: the workspace and its admin's token. */
async function firstStart(dataDir: string) {
  const server = await start(dataDir);
  const { workspace, token } = server.bootstrapped!;
  return { server, ws: workspace.id, admin: token! };
}

describe('idempotent replays across a restart', () => {
  it('replay the stored response after a graceful restart, per credential, and refuse the key with another body', async () => {
    const dir = await tempDir('tessera-idem-restart-');
    const { server, ws, admin } = await firstStart(dir);
    const rolesPath = `/v1/workspaces/${ws}/roles`;
    const other = await call(server, admin, `/v1/workspaces/${ws}/members`, { name: 'Ada', email: 'ada@example.com', role: 'admin' });
    expect(other.status).toBe(201);
    const mine = await call(server, admin, rolesPath, ROLE, 'same-key');
    const theirs = await call(server, other.body.token, rolesPath, { ...ROLE, name: 'Billing Readers' }, 'same-key');
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    await stop(server);

    const restarted = await start(dir);
    const replay = await call(restarted, admin, rolesPath, ROLE, 'same-key');
    expect([replay.status, replay.replayed, replay.text]).toEqual([201, 'true', mine.text]);
    const theirReplay = await call(restarted, other.body.token, rolesPath, { ...ROLE, name: 'Billing Readers' }, 'same-key');
    expect([theirReplay.status, theirReplay.replayed, theirReplay.text]).toEqual([201, 'true', theirs.text]);
    const reused = await call(restarted, admin, rolesPath, { ...ROLE, name: 'Something Else' }, 'same-key');
    expect([reused.status, reused.body.code]).toEqual([422, 'idempotency_key_reused']);
    const roles = await call(restarted, admin, rolesPath, undefined, undefined, 'GET');
    expect(roles.body.data.filter((role: { name: string }) => role.name === ROLE.name)).toHaveLength(1);
  });

  it('never write a raw secret to the data folder, and answer 409 idempotency_response_unavailable after a restart instead of creating a second key', async () => {
    const dir = await tempDir('tessera-idem-secrets-');
    const { server, ws, admin } = await firstStart(dir);
    const keysPath = `/v1/workspaces/${ws}/api-keys`;
    const created = await call(server, admin, keysPath, { name: 'CI Pipeline' }, 'create-1');
    expect(created.status).toBe(201);
    // Until the restart, the response is replayed in full (it is only in memory).
    expect(await call(server, admin, keysPath, { name: 'CI Pipeline' }, 'create-1')).toEqual({ ...created, replayed: 'true' });
    const rotated = await call(server, admin, `${keysPath}/${created.body.id}/rotate`, {}, 'rotate-1');
    const member = await call(server, admin, `/v1/workspaces/${ws}/members`, { name: 'Grace', email: 'grace@example.com' }, 'member-1');
    const subscription = await call(server, admin, `/v1/workspaces/${ws}/alert-subscriptions`, { url: 'http://127.0.0.1:9/alerts', events: ['auth.failed_burst'] }, 'alert-1');
    const workspace = await call(server, admin, '/v1/workspaces', { name: 'Acme Staging' }, 'workspace-1');
    expect([rotated.status, member.status, subscription.status, workspace.status]).toEqual([201, 201, 201, 201]);
    const credentials = [created.body.key, rotated.body.key, member.body.token, workspace.body.admin.token] as string[];
    // The signing secret is kept in alerts.json by design (deliveries are signed with it), but
    // not in the idempotency files.
    const signingSecret = subscription.body.secret as string;
    expect([...credentials, signingSecret].every((secret) => typeof secret === 'string' && secret.length >= 36)).toBe(true);
    await server.flush(); // the background save (to the log)…
    await stop(server); // …and the last one

    const saved = await folderText(dir);
    const idempotencyFiles = await idempotencyText(dir);
    // The entries were saved (withheld), so the secrets' absence is not for want of saving anything.
    for (const key of ['create-1', 'rotate-1', 'member-1', 'alert-1', 'workspace-1']) expect(idempotencyFiles).toContain(`"key":"${key}"`);
    for (const secret of credentials) expect(saved.includes(secret), 'a raw credential in the data folder').toBe(false);
    expect(idempotencyFiles.includes(signingSecret), 'the signing secret in the idempotency files').toBe(false);

    const restarted = await start(dir);
    const retried = await call(restarted, admin, keysPath, { name: 'CI Pipeline' }, 'create-1');
    expect([retried.status, retried.replayed, retried.body.code]).toEqual([409, null, 'idempotency_response_unavailable']);
    expect(retried.body.detail).toMatch(/already completed \(status 201\)/);
    const reused = await call(restarted, admin, keysPath, { name: 'Another' }, 'create-1');
    expect([reused.status, reused.body.code]).toEqual([422, 'idempotency_key_reused']);
    const keys = await call(restarted, admin, keysPath, undefined, undefined, 'GET');
    // The created key, rotated once: two records, no third from the retry.
    expect(keys.body.data).toHaveLength(2);
    await stop(restarted);
    const afterRestart = await folderText(dir);
    for (const secret of credentials) expect(afterRestart.includes(secret), 'a raw credential in the data folder').toBe(false);
    expect((await idempotencyText(dir)).includes(signingSecret), 'the signing secret in the idempotency files').toBe(false);
  });

  it('do not replay an entry that expired (24 h after completion) while the server was stopped', async () => {
    const dir = await tempDir('tessera-idem-expiry-');
    const { server, ws, admin } = await firstStart(dir);
    const rolesPath = `/v1/workspaces/${ws}/roles`;
    const first = await call(server, admin, rolesPath, ROLE, 'role-1');
    expect(first.status).toBe(201);
    await stop(server);

    clock.advance(24 * HOUR - 1);
    const sameDay = await start(dir);
    expect((await call(sameDay, admin, rolesPath, ROLE, 'role-1')).replayed).toBe('true');
    await stop(sameDay);

    clock.advance(1);
    const nextDay = await start(dir);
    // Not a replay: the request ran again, and found the role it created the first time.
    const rerun = await call(nextDay, admin, rolesPath, ROLE, 'role-1');
    expect([rerun.status, rerun.replayed, rerun.body.code]).toEqual([409, null, 'name_taken']);
  });

  it('save the completion of a request still running when the server is asked to stop', async () => {
    const dir = await tempDir('tessera-idem-stop-');
    let entered!: () => void;
    const handling = new Promise<void>((resolve) => (entered = resolve));
    let finish!: () => void;
    const finishing = new Promise<void>((resolve) => (finish = resolve));
    let runs = 0;
    const server = await start(dir, (app) =>
      app.post('/v1/slow', async (c) => {
        runs += 1;
        entered();
        await finishing;
        return c.json({ run: runs }, 201);
      }),
    );
    const admin = server.bootstrapped!.token!;
    const slow = (target: RunningTessera) =>
      fetch(`${target.url}/v1/slow`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'idempotency-key': 'slow-1' }, body: '{}' });
    const answer = slow(server);
    await handling;
    running.splice(running.indexOf(server), 1);
    const stopping = server.close();
    finish();
    expect((await answer).status).toBe(201);
    await stopping;

    const restarted = await start(dir, (app) => app.post('/v1/slow', (c) => c.json({ run: (runs += 1) }, 201)));
    const replay = await slow(restarted);
    expect([replay.status, replay.headers.get('idempotent-replayed'), await replay.text(), runs]).toEqual([201, 'true', '{"run":1}', 1]);
  });

  it('after a crash, replay what the last save wrote and run the rest again', async () => {
    const dir = await tempDir('tessera-idem-crash-');
    const { server, ws, admin } = await firstStart(dir);
    const rolesPath = `/v1/workspaces/${ws}/roles`;
    const saved = await call(server, admin, rolesPath, ROLE, 'saved');
    await server.flush();
    const unsaved = await call(server, admin, rolesPath, { ...ROLE, name: 'Billing Readers' }, 'unsaved');
    expect([saved.status, unsaved.status]).toEqual([201, 201]);
    // The folder as a crash right now would leave it: a copy, without this process's lock.
    const crashed = await tempDir('tessera-idem-crashed-');
    await cp(dir, crashed, { recursive: true, filter: (source) => !source.endsWith(DATA_DIR_LOCK_NAME) && !source.includes(`${DATA_DIR_LOCK_NAME}/`) });

    const restarted = await start(crashed);
    const replay = await call(restarted, admin, rolesPath, ROLE, 'saved');
    expect([replay.status, replay.replayed, replay.text]).toEqual([201, 'true', saved.text]);
    // Its completion was not saved: the retry runs again (and the role, acknowledged, is there).
    const rerun = await call(restarted, admin, rolesPath, { ...ROLE, name: 'Billing Readers' }, 'unsaved');
    expect([rerun.status, rerun.replayed, rerun.body.code]).toEqual([409, null, 'name_taken']);
  });

  it('start with a damaged idempotency file moved aside and a warning, instead of refusing to start', async () => {
    const dir = await tempDir('tessera-idem-corrupt-');
    const { server, admin } = await firstStart(dir);
    await stop(server);
    const damaged = '{"format":"tessera-idempotency","version":1,"seq":1,"entries":1}\n{"scope":\n';
    await writeFile(join(dir, IDEMPOTENCY_SNAPSHOT_FILE_NAME), damaged);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const restarted = await start(dir);
      expect((await call(restarted, admin, '/v1/me', undefined, undefined, 'GET')).status).toBe(200);
      expect(errors.mock.calls.map((args) => String(args[0]))).toEqual([expect.stringMatching(/^tessera-server: .*idempotency\.ndjson is unusable: line 2 is damaged.*Moved it to/)]);
    } finally {
      errors.mockRestore();
    }
    const names = await readdir(dir);
    const aside = names.find((name) => name.startsWith(`${IDEMPOTENCY_SNAPSHOT_FILE_NAME}.corrupt-`));
    expect(aside).toBeDefined();
    expect(await readFile(join(dir, aside!), 'utf8')).toBe(damaged);
  });
});

describe('stopping when the last idempotency save fails', () => {
  /** A log past the 1 MiB at which the next save is a compaction: a new snapshot, which a folder in its place makes fail. */
  async function writeLogDueForCompaction(dir: string): Promise<void> {
    const expiresAt = new Date(T0 + HOUR).toISOString();
    const body = JSON.stringify('x'.repeat(64 * 1024));
    const records = Array.from({ length: 17 }, (_, i) =>
      JSON.stringify({ seq: i + 1, scope: 'member:mem_seed', key: `seed-${i}`, fingerprint: 'fp', expires_at: expiresAt, status: 201, headers: {}, body }),
    );
    await writeFile(join(dir, IDEMPOTENCY_LOG_FILE_NAME), `${records.join('\n')}\n`);
  }

  it('flush and stop still save the rest (last-used times) and release the data folder, then report the failure', async () => {
    const dir = await tempDir('tessera-idem-stop-fails-');
    await writeLogDueForCompaction(dir);
    const { server, ws, admin } = await firstStart(dir);
    const keysPath = `/v1/workspaces/${ws}/api-keys`;
    const created = await call(server, admin, keysPath, { name: 'CI Pipeline', scopes: ['api_keys.read'] });
    expect((await call(server, created.body.key, keysPath, undefined, undefined, 'GET')).status).toBe(200);
    expect((await call(server, admin, `/v1/workspaces/${ws}/roles`, ROLE, 'role-1')).status).toBe(201);
    await mkdir(join(dir, IDEMPOTENCY_SNAPSHOT_FILE_NAME));

    await expect(server.flush()).rejects.toThrow(/EISDIR/);
    expect(await readFile(join(dir, LAST_USED_FILE_NAME), 'utf8')).toContain(created.body.id);
    await expect(stop(server)).rejects.toThrow(/EISDIR/);

    await rm(join(dir, IDEMPOTENCY_SNAPSHOT_FILE_NAME), { recursive: true });
    // Starting again on the folder at all shows its lock was released.
    const restarted = await start(dir);
    const key = await call(restarted, admin, `${keysPath}/${created.body.id}`, undefined, undefined, 'GET');
    expect(key.body.last_used_at).toBe(new Date(T0).toISOString());
  });
});
