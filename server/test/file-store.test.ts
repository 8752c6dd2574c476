import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { DATA_FILE_NAME, LAST_USED_FILE_NAME, openFileStore } from '../src/data/open.js';
import { bootstrap } from '../src/domain/workspaces.js';
import type { TesseraStore } from '../src/data/store.js';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'tessera-store-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

async function open() {
  const store = await openFileStore(dir, { checkpointIntervalMs: 60_000 });
  const { app } = createApp({ store, events: { record() {} }, logError: (e) => { throw e; } });
  return { store, app };
}

async function request(app: ReturnType<typeof createApp>['app'], method: string, path: string, token: string, body?: unknown) {
  const res = await app.request(path, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, body: (await res.json()) as any };
}

describe('the durable file store', () => {
  it('keeps workspaces, members, keys and last-used times across a restart, and never stores a raw key', async () => {
    let { store, app } = await open();
    const boot = (await bootstrap(store, new Date()))!;
    const ws = boot.workspace.id;
    const created = await request(app, 'POST', `/v1/workspaces/${ws}/api-keys`, boot.token!, { name: 'Survivor', scopes: ['api_keys.read'] });
    expect(created.status).toBe(201);
    const revoked = await request(app, 'POST', `/v1/workspaces/${ws}/api-keys`, boot.token!, { name: 'Gone' });
    await request(app, 'DELETE', `/v1/workspaces/${ws}/api-keys/${revoked.body.id}`, boot.token!);
    expect((await request(app, 'GET', '/v1/me', created.body.key)).status).toBe(200);
    await store.close();

    const file = await readFile(join(dir, DATA_FILE_NAME), 'utf8');
    expect(file).not.toContain(created.body.key);
    expect(file).not.toContain(boot.token!);
    expect(await readFile(join(dir, LAST_USED_FILE_NAME), 'utf8')).toContain(created.body.id);

    ({ store, app } = await open());
    expect((await request(app, 'GET', '/v1/me', created.body.key)).status).toBe(200);
    expect((await request(app, 'GET', '/v1/me', revoked.body.key)).body.code).toBe('key_revoked');
    const again = await request(app, 'GET', `/v1/workspaces/${ws}/api-keys/${created.body.id}`, boot.token!);
    expect(again.body.last_used_at).not.toBeNull();
    expect(await bootstrap(store, new Date())).toBeUndefined();
    await store.close();
  });

  it('refuses a corrupt data file with an error naming it, and leaves it exactly as it was', async () => {
    const path = join(dir, DATA_FILE_NAME);
    const damaged = '{"schema_version":1,"workspaces":{"ws_1":';
    await writeFile(path, damaged);
    await expect(openFileStore(dir)).rejects.toThrow(path);
    expect(await readFile(path, 'utf8')).toBe(damaged);
    await writeFile(path, '{"something":"else"}');
    await expect(openFileStore(dir)).rejects.toThrow(/not a Tessera data file/);
    expect(await readFile(path, 'utf8')).toBe('{"something":"else"}');
  });

  it('refuses a second owner of the same data folder', async () => {
    const first: TesseraStore = await openFileStore(dir);
    await expect(openFileStore(dir)).rejects.toThrow(/another Tessera server/i);
    await first.close();
    const second = await openFileStore(dir);
    await second.close();
  });

  it('groups concurrent creations into far fewer writes, all durable', async () => {
    const { store, app } = await open();
    const boot = (await bootstrap(store, new Date()))!;
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => request(app, 'POST', `/v1/workspaces/${boot.workspace.id}/api-keys`, boot.token!, { name: `Parallel ${i}` })),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    await store.close();
    const data = JSON.parse(await readFile(join(dir, DATA_FILE_NAME), 'utf8'));
    expect(Object.keys(data.api_keys)).toHaveLength(100);
  });
});
