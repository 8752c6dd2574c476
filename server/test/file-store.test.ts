import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { DATA_FILE_NAME, LAST_USED_FILE_NAME, openFileStore } from '../src/data/open.js';
import { bootstrap } from '../src/domain/workspaces.js';
import type { TesseraStore } from '../src/data/store.js';
import { DATA_DIR_LOCK_NAME } from '../src/storage/index.js';
import { emptyData, type TesseraData } from '../src/domain/model.js';

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

  it('groups concurrent creations into journal appends, never rewriting the data file per request', async () => {
    const { store, app } = await open();
    const boot = (await bootstrap(store, new Date()))!;
    const before = await readFile(join(dir, DATA_FILE_NAME));
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => request(app, 'POST', `/v1/workspaces/${boot.workspace.id}/api-keys`, boot.token!, { name: `Parallel ${i}` })),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    // Every creation is durable in the journal; the data file itself was not rewritten.
    expect(await readFile(join(dir, DATA_FILE_NAME))).toEqual(before);
    const journal = (await readdir(dir)).filter((name) => name.includes('journal'));
    expect(journal).toEqual(['tessera-journal-000001.ndjson']);
    const lines = (await readFile(join(dir, journal[0]!), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(101); // the bootstrap and the 100 creations
    await store.close();
    // Closing folds the journal into the data file.
    expect((await readdir(dir)).filter((name) => name.includes('journal'))).toEqual([]);
    const data = JSON.parse(await readFile(join(dir, DATA_FILE_NAME), 'utf8'));
    expect(Object.keys(data.api_keys)).toHaveLength(100);
  });

  it('after a crash, a restart sees every acknowledged write (snapshot plus journal)', async () => {
    const { store, app } = await open();
    const boot = (await bootstrap(store, new Date()))!;
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => request(app, 'POST', `/v1/workspaces/${boot.workspace.id}/api-keys`, boot.token!, { name: `Before crash ${i}` })),
    );
    // The folder as a crash right now would leave it: a copy, without this process's lock.
    const crashed = await mkdtemp(join(tmpdir(), 'tessera-crashed-'));
    try {
      await cp(dir, crashed, { recursive: true, filter: (source) => !source.endsWith(DATA_DIR_LOCK_NAME) && !source.includes(`${DATA_DIR_LOCK_NAME}/`) });
      const restarted = await openFileStore(crashed, { checkpointIntervalMs: 60_000 });
      for (const { body } of created) expect((await restarted.apiKey(body.id))?.name).toBe(body.name);
      expect(await restarted.memberByTokenDigest('nope')).toBeUndefined();
      await restarted.close();
    } finally {
      await rm(crashed, { recursive: true, force: true });
      await store.close();
    }
  });

  it('leaves a data file lowdb reads as a plain JSON document', async () => {
    const { store, app } = await open();
    const boot = (await bootstrap(store, new Date()))!;
    const created = await request(app, 'POST', `/v1/workspaces/${boot.workspace.id}/api-keys`, boot.token!, { name: 'Readable' });
    await store.close();
    const low = new Low<TesseraData>(new JSONFile(join(dir, DATA_FILE_NAME)), emptyData());
    await low.read();
    expect(low.data.schema_version).toBe(1);
    expect(low.data.api_keys[created.body.id]?.name).toBe('Readable');
    expect(low.data.workspaces[boot.workspace.id]?.name).toBe(boot.workspace.name);
  });

  it('refuses a damaged journal with an error naming it, and writes nothing', async () => {
    const { store, app } = await open();
    const boot = (await bootstrap(store, new Date()))!;
    await request(app, 'POST', `/v1/workspaces/${boot.workspace.id}/api-keys`, boot.token!, { name: 'One' });
    await request(app, 'POST', `/v1/workspaces/${boot.workspace.id}/api-keys`, boot.token!, { name: 'Two' });
    // Stop without closing (as a crash would), then damage the journal's first complete line.
    const journalPath = join(dir, 'tessera-journal-000001.ndjson');
    const lines = (await readFile(journalPath, 'utf8')).split('\n');
    lines[0] = lines[0]!.slice(0, 30);
    const damaged = lines.join('\n');
    const crashed = await mkdtemp(join(tmpdir(), 'tessera-crashed-'));
    try {
      await cp(dir, crashed, { recursive: true, filter: (source) => !source.endsWith(DATA_DIR_LOCK_NAME) && !source.includes(`${DATA_DIR_LOCK_NAME}/`) });
      await writeFile(join(crashed, 'tessera-journal-000001.ndjson'), damaged);
      const snapshot = await readFile(join(crashed, DATA_FILE_NAME));
      await expect(openFileStore(crashed)).rejects.toThrow(/tessera-journal-000001\.ndjson is unusable: line 1 is damaged/);
      expect(await readFile(join(crashed, 'tessera-journal-000001.ndjson'), 'utf8')).toBe(damaged);
      expect(await readFile(join(crashed, DATA_FILE_NAME))).toEqual(snapshot);
    } finally {
      await rm(crashed, { recursive: true, force: true });
      await store.close();
    }
  });
});
