import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdir, readFile, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CorruptDataFileError } from './durable-file.js';
import { DocumentWriteError, StoreClosedError, StoreFailedError } from './document-store.js';
import { journalFileName } from './record-journal.js';
import { RecordStore, copyJson, type RecordStoreOptions } from './record-store.js';
import { deferred, useTempDir } from './test-support.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = useTempDir('tessera-records-');
const file = () => path.join(dir(), 'data.json');
const journal = (generation: number) => path.join(dir(), journalFileName('data', generation));

const collections: RecordStoreOptions['collections'] = [
  { name: 'groups' },
  { name: 'items', groupBy: 'group', unique: ['digest'] },
];
const stores: RecordStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

async function open(options: Partial<RecordStoreOptions> = {}): Promise<RecordStore> {
  const store = await RecordStore.open(file(), { collections, initialMeta: { version: 1 }, ...options });
  stores.push(store);
  return store;
}

async function closeAll(): Promise<void> {
  for (const store of stores.splice(0)) await store.close();
}

const item = (n: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ id: `i${n}`, group: `g${n % 2}`, digest: `d${n}`, n, ...extra });
const put = (store: RecordStore, ...records: Array<Record<string, unknown>>) =>
  store.commit(records.map((record) => ({ collection: 'items', id: record.id as string, record })));

async function files(): Promise<string[]> {
  return (await readdir(dir())).sort();
}

describe('RecordStore', () => {
  it('reads back what was committed, by id, by unique field and by group', async () => {
    const store = await open();
    await put(store, item(1), item(2), item(3));
    expect(store.get('items', 'i2')).toEqual(item(2));
    expect(store.idBy('items', 'digest', 'd3')).toBe('i3');
    expect(store.idBy('items', 'digest', 'nope')).toBeUndefined();
    expect(store.list('items', 'g1').map((r) => r.id).sort()).toEqual(['i1', 'i3']);
    expect(store.list('items').length).toBe(3);
    await store.commit([{ collection: 'items', id: 'i2', record: null }]);
    expect(store.get('items', 'i2')).toBeUndefined();
    expect(store.idBy('items', 'digest', 'd2')).toBeUndefined();
  });

  it('reads checkpointed records from memory, never from the file (a key check must not wait on the disk)', async () => {
    const first = await open();
    await put(first, item(1), item(2));
    await first.close();
    const store = await open();
    // The records now come from the snapshot: empty the file in place, under the store.
    const snapshot = await readFile(file(), 'utf8');
    await writeFile(file(), '');
    expect(store.get('items', 'i2')).toEqual(item(2));
    expect(store.idBy('items', 'digest', 'd1')).toBe('i1');
    expect(store.list('items').map((r) => r.id).sort()).toEqual(['i1', 'i2']);
    await writeFile(file(), snapshot); // for the checkpoint at close
  });

  it('hands out copies: changing a record read or committed never changes the store', async () => {
    const store = await open();
    const record = item(1, { tags: ['a'], meta: { deep: { x: 1 } } });
    await put(store, record);
    (record.tags as string[]).push('changed after commit');
    const first = store.get('items', 'i1')!;
    (first.meta as { deep: { x: number } }).deep.x = 99;
    (first.tags as string[]).push('changed after read');
    const listed = store.list('items')[0]!;
    listed.n = -1;
    // Read again and again: once cached, every read is still a copy of its own.
    for (let i = 0; i < 3; i += 1) {
      const again = store.get('items', 'i1')!;
      expect(again).toEqual(item(1, { tags: ['a'], meta: { deep: { x: 1 } } }));
      (again.tags as string[]).push(`changed after read ${i}`);
      again.n = i;
    }
    expect(store.get('items', 'i1')).toEqual(item(1, { tags: ['a'], meta: { deep: { x: 1 } } }));
  });

  it('keeps indexes and reads right when records change: digest moves, group moves, cache', async () => {
    const store = await open();
    await put(store, item(1));
    expect(store.get('items', 'i1')?.n).toBe(1); // now cached
    await put(store, item(1, { digest: 'moved', group: 'elsewhere', n: 10 }));
    expect(store.get('items', 'i1')?.n).toBe(10);
    expect(store.idBy('items', 'digest', 'd1')).toBeUndefined();
    expect(store.idBy('items', 'digest', 'moved')).toBe('i1');
    expect(store.list('items', 'g1')).toEqual([]);
    expect(store.list('items', 'elsewhere').map((r) => r.n)).toEqual([10]);
  });

  it('indexes the record\'s own fields, whatever nested values look like', async () => {
    const store = await open();
    // Nested keys with the indexed names, escapes, unicode, and fields in another order.
    const tricky = { meta: { digest: 'fake', group: 'fake' }, id: 'i1', n: 1, digest: 'd"1\\é', group: 'g"1' };
    const late = { id: 'i2', n: 2, group: 'g1', digest: 'd2' };
    const missing = { id: 'i3', n: 3 };
    const numeric = { id: 'i4', digest: 4, group: 5 };
    await put(store, tricky, late, missing, numeric);
    expect(store.idBy('items', 'digest', 'd"1\\é')).toBe('i1');
    expect(store.idBy('items', 'digest', 'fake')).toBeUndefined();
    expect(store.idBy('items', 'digest', 'd2')).toBe('i2');
    expect(store.list('items', 'g"1').map((r) => r.id)).toEqual(['i1']);
    expect(store.list('items', 'g1').map((r) => r.id)).toEqual(['i2']);
    await closeAll();
    const reopened = await open();
    expect(reopened.idBy('items', 'digest', 'd"1\\é')).toBe('i1');
    expect(reopened.idBy('items', 'digest', 'd2')).toBe('i2');
    expect(reopened.list('items', 'g"1').map((r) => r.id)).toEqual(['i1']);
    expect(reopened.get('items', 'i1')).toEqual(tricky);
    expect(reopened.get('items', 'i4')).toEqual(numeric);
  });

  it('applies a commit at once and atomically, and refuses what is not a record without changing anything', async () => {
    const store = await open();
    const pending = put(store, item(1));
    expect(store.get('items', 'i1')).toEqual(item(1)); // before it is durable
    await pending;
    await expect(store.commit([{ collection: 'items', id: 'i2', record: item(2) }, { collection: 'items', id: 'i3', record: [] as never }])).rejects.toThrow(TypeError);
    await expect(store.commit([{ collection: 'items', id: 'i2', record: item(2) }, { collection: 'nope', id: 'x', record: {} }])).rejects.toThrow(/No collection "nope"/);
    await expect(store.commit([{ collection: 'items', id: 'i2', record: { big: 10n } as never }])).rejects.toThrow();
    expect(store.get('items', 'i2')).toBeUndefined();
  });

  it('survives a restart without close: the journal is replayed over the snapshot', async () => {
    const first = await open();
    await put(first, item(1), item(2));
    await first.commit([{ collection: 'items', id: 'i1', record: null }]);
    await first.commit([{ collection: 'groups', id: 'g', record: { name: 'G' } }]);
    // No close(): as after a crash, the snapshot is the empty one and the journal holds the rest.
    expect(await files()).toEqual(['data-journal-000001.ndjson', 'data.json']);
    const second = await open();
    expect(second.get('items', 'i1')).toBeUndefined();
    expect(second.get('items', 'i2')).toEqual(item(2));
    expect(second.get('groups', 'g')).toEqual({ name: 'G' });
    // The second one writes to a new generation, never after the first one's (maybe torn) tail.
    await put(second, item(3));
    expect(await files()).toEqual(['data-journal-000001.ndjson', 'data-journal-000002.ndjson', 'data.json']);
  });

  it('close checkpoints: the snapshot then holds everything, and no journal is left', async () => {
    const store = await open();
    await put(store, item(1), item(2));
    await store.close();
    expect(await files()).toEqual(['data.json']);
    const document = JSON.parse(await readFile(file(), 'utf8'));
    expect(document.items.i2).toEqual(item(2));
    expect(document.journal_seq).toBe(1);
    const reopened = await open();
    expect(reopened.stats.journalBytes).toBe(0);
    expect(reopened.get('items', 'i1')).toEqual(item(1));
  });

  it('shares one journal append among commits that arrive together (group commit)', async () => {
    const store = await open();
    await Promise.all(Array.from({ length: 200 }, (_, n) => put(store, item(n))));
    expect(store.stats.acknowledgedCommits).toBe(200);
    expect(store.stats.journalAppends).toBeLessThan(10);
    const lines = (await readFile(journal(1), 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('checkpoints when the journal passes its threshold, switching files, and the result reopens the same', async () => {
    const store = await open({ checkpointMinBytes: 2_000, checkpointSnapshotRatio: 0 });
    for (let n = 0; n < 100; n += 1) await put(store, item(n, { pad: 'p'.repeat(100) }));
    for (let n = 0; n < 100; n += 3) await store.commit([{ collection: 'items', id: `i${n}`, record: null }]);
    await store.flush();
    expect(store.stats.checkpoints).toBeGreaterThan(3);
    const expected = store.list('items');
    // Old generations are deleted once a snapshot holds them.
    expect((await files()).filter((f) => f.includes('journal')).length).toBeLessThanOrEqual(2);
    await store.checkpoint();
    expect(store.list('items')).toEqual(expected); // read back from the new snapshot
    expect(store.get('items', 'i50')).toEqual(item(50, { pad: 'p'.repeat(100) }));
    await closeAll();
    const reopened = await open();
    expect(reopened.list('items')).toEqual(expected);
    expect(reopened.idBy('items', 'digest', 'd50')).toBe('i50');
  });

  it('keeps reading right while a checkpoint is being written and after it', async () => {
    const store = await open();
    await put(store, ...Array.from({ length: 500 }, (_, n) => item(n)));
    await store.checkpoint();
    // Records now live in the snapshot file. Change some while the next checkpoint runs.
    const running = store.checkpoint();
    await put(store, item(1, { n: 'during' }));
    await store.commit([{ collection: 'items', id: 'i2', record: null }]);
    await running;
    expect(store.get('items', 'i1')?.n).toBe('during');
    expect(store.get('items', 'i2')).toBeUndefined();
    expect(store.get('items', 'i3')).toEqual(item(3));
    await store.checkpoint();
    expect(store.get('items', 'i1')?.n).toBe('during');
    expect(store.list('items').length).toBe(499);
  });

  it('drops a journal line torn by a crash, keeping everything before it', async () => {
    const first = await open();
    await put(first, item(1));
    await put(first, item(2));
    const bytes = await readFile(journal(1));
    // The crash came in the middle of appending the second line.
    await writeFile(journal(1), bytes.subarray(0, bytes.length - 7));
    const second = await open();
    expect(second.get('items', 'i1')).toEqual(item(1));
    expect(second.get('items', 'i2')).toBeUndefined();
    await put(second, item(3));
    await closeAll();
    const third = await open();
    expect(third.list('items').map((r) => r.id)).toEqual(['i1', 'i3']);
  });

  it('refuses a damaged journal line before the end, and writes nothing', async () => {
    const first = await open();
    await put(first, item(1));
    await put(first, item(2));
    await put(first, item(3));
    const lines = (await readFile(journal(1), 'utf8')).split('\n');
    lines[1] = lines[1]!.replace('"n":2', '"n":2,,');
    await writeFile(journal(1), lines.join('\n'));
    const before = { snapshot: await readFile(file()), journal: await readFile(journal(1)), files: await files() };
    const error = await RecordStore.open(file(), { collections }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptDataFileError);
    expect((error as Error).message).toContain(`${journal(1)} is unusable: line 2 is damaged`);
    expect(await readFile(file())).toEqual(before.snapshot);
    expect(await readFile(journal(1))).toEqual(before.journal);
    expect(await files()).toEqual(before.files);
  });

  it('refuses a corrupt snapshot and leaves it and the journal alone', async () => {
    const first = await open();
    await put(first, item(1));
    await first.close();
    await put(await open(), item(2));
    const damaged = (await readFile(file(), 'utf8')).replace('"n":1', '"n":7');
    await writeFile(file(), damaged);
    const journalBefore = await readFile(journal(1));
    await expect(RecordStore.open(file(), { collections })).rejects.toThrow(/does not match the "sha256" checksum/);
    expect(await readFile(file(), 'utf8')).toBe(damaged);
    expect(await readFile(journal(1))).toEqual(journalBefore);
  });

  it('refuses to start from journals whose snapshot is missing', async () => {
    const first = await open();
    await put(first, item(1));
    await rm(file());
    await expect(RecordStore.open(file(), { collections })).rejects.toThrow(/snapshot it continues .* is missing/);
    expect(await files()).toEqual(['data-journal-000001.ndjson']);
  });

  it('opens a snapshot written another way (an older version, a script) and reseals it', async () => {
    await writeFile(file(), JSON.stringify({ version: 1, groups: {}, items: { i1: item(1), i2: item(2) } }));
    const store = await open();
    expect(store.get('items', 'i2')).toEqual(item(2));
    expect(store.idBy('items', 'digest', 'd1')).toBe('i1');
    await store.close();
    expect((await readFile(file(), 'utf8')).startsWith('{"sha256":"')).toBe(true);
  });

  it('a failed journal append stops the store: the commit is rejected and reads are refused', async () => {
    const failures: Error[] = [];
    const store = await open({ onFailure: (e) => failures.push(e) });
    await put(store, item(1));
    // The next generation's file cannot be created: a folder is in its way.
    await store.checkpoint();
    await mkdir(journal(2));
    const results = await Promise.allSettled([put(store, item(2)), put(store, item(3))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(DocumentWriteError);
    expect(failures).toHaveLength(1);
    expect(() => store.get('items', 'i1')).toThrow(StoreFailedError);
    await expect(put(store, item(4))).rejects.toBeInstanceOf(StoreFailedError);
    await store.close();
    await rmdir(journal(2));
    // What was acknowledged is there; the failed commits may or may not be (here they are not).
    const reopened = await open();
    expect(reopened.get('items', 'i1')).toEqual(item(1));
  });

  it('a failed checkpoint is reported and retried later; commits carry on in the journal', async () => {
    const errors: unknown[] = [];
    const store = await open({ checkpointMinBytes: 1_000, checkpointSnapshotRatio: 0, onCheckpointError: (e) => errors.push(e) });
    await put(store, item(0));
    // The snapshot cannot be renamed into place while a folder stands there.
    await rename(file(), `${file()}.aside`);
    await mkdir(file());
    for (let n = 1; n < 40; n += 1) await put(store, item(n, { pad: 'p'.repeat(100) }));
    expect(errors.length).toBeGreaterThan(0);
    expect(store.stats.failedCheckpoints).toBe(errors.length);
    // Retried after more journal, not on every append.
    expect(errors.length).toBeLessThan(10);
    expect(store.list('items').length).toBe(40);
    await rmdir(file());
    await rename(`${file()}.aside`, file());
    await store.close();
    expect(await files()).toEqual(['data.json']);
    const reopened = await open();
    expect(reopened.list('items').length).toBe(40);
  });

  it('refuses commits after close, and reads once it has closed', async () => {
    const store = await open();
    await put(store, item(1));
    const closing = store.close();
    await expect(put(store, item(2))).rejects.toBeInstanceOf(StoreClosedError);
    await closing;
    expect(() => store.get('items', 'i1')).toThrow(StoreClosedError);
    await store.close(); // idempotent
  });

  it('writeSnapshot seeds a file the store opens the fast way', async () => {
    await RecordStore.writeSnapshot(file(), { collections, initialMeta: { version: 1 } }, [
      { collection: 'items', id: 'i1', record: item(1) },
      { collection: 'groups', id: 'g', record: { name: 'G' } },
    ]);
    const store = await open();
    expect(store.get('items', 'i1')).toEqual(item(1));
    expect(store.stats.snapshotBytes).toBeGreaterThan(0);
    expect((await readFile(file(), 'utf8')).startsWith('{"sha256":"')).toBe(true);
  });

  it('in memory: the same reads and commits, nothing on disk', async () => {
    const store = RecordStore.inMemory({ collections });
    await put(store, item(1));
    expect(store.get('items', 'i1')).toEqual(item(1));
    expect(store.idBy('items', 'digest', 'd1')).toBe('i1');
    await store.flush();
    await store.close();
    expect(await files()).toEqual([]);
  });

  it('keeps every acknowledged write across SIGKILLs at random moments (during writes and checkpoints)', { timeout: 120_000 }, async () => {
    const child = path.join(here, 'test-fixtures', 'record-store-child.ts');
    /** Per id: the state after its last acknowledged operation, and the one an operation in flight may have left. */
    const expected = new Map<string, { acked: number | null; inFlight?: number | null }>();
    let acknowledged = 0;
    let checkpointsCut = 0;
    for (let round = 0; round < 6; round += 1) {
      const process_ = spawn(process.execPath, ['--import', 'tsx', child, file()], { cwd: path.resolve(here, '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      process_.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      // 'close', not 'exit': only then has every line the child wrote been read. Lines still in the
      // pipe at 'exit' would leave operations it started or acknowledged unknown here.
      const exited = new Promise<void>((resolve) => process_.once('close', () => resolve()));
      const ready = deferred();
      createInterface({ input: process_.stdout! }).on('line', (text) => {
        const line = JSON.parse(text) as { ready?: boolean; start?: string; ack?: string; id: string; version: number };
        if (line.ready) ready.resolve();
        else if (line.start) {
          const entry = expected.get(line.id) ?? { acked: null };
          entry.inFlight = line.start === 'delete' ? null : line.version;
          expected.set(line.id, entry);
        } else if (line.ack) {
          expected.set(line.id, { acked: line.ack === 'delete' ? null : line.version });
          acknowledged += 1;
        }
      });
      void exited.then(() => ready.reject(new Error(`the child exited before it was ready:\n${stderr}`)));
      await ready.promise;
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 900));
      process_.kill('SIGKILL');
      await exited;
      // What the kill interrupted: a checkpoint leaves a temp file or several journal files.
      const left = await files();
      if (left.some((f) => f.endsWith('.tmp')) || left.filter((f) => f.includes('journal')).length > 1) checkpointsCut += 1;

      const store = await RecordStore.open(file(), { collections: [{ name: 'items', groupBy: 'group', unique: ['digest'] }] });
      try {
        const wrong: string[] = [];
        for (const [id, state] of expected) {
          const record = store.get('items', id);
          const version = record === undefined ? null : (record.version as number);
          const allowed = 'inFlight' in state ? [state.acked, state.inFlight] : [state.acked];
          if (!allowed.includes(version)) wrong.push(`${id}: ${version} not in ${JSON.stringify(allowed)}`);
          if (record !== undefined && store.idBy('items', 'digest', `d-${id}`) !== id) wrong.push(`${id}: not found by digest`);
          // Whatever survived is now the truth for the next round.
          expected.set(id, { acked: version });
        }
        expect(wrong.slice(0, 10), `round ${round}`).toEqual([]);
        const byGroup = ['g0', 'g1', 'g2'].reduce((sum, g) => sum + store.list('items', g).length, 0);
        expect(byGroup).toBe(store.list('items').length);
      } finally {
        await store.close();
      }
    }
    expect(acknowledged).toBeGreaterThan(100);
    console.log(`[record-store crash] ${acknowledged} acknowledged operations over 6 kills, ${checkpointsCut} of them during a checkpoint`);
  });
});

describe('copyJson', () => {
  it('deep-copies JSON values, keeping "__proto__" a plain field', () => {
    const value = JSON.parse('{"a":[1,{"b":null}],"s":"x","__proto__":{"polluted":true}}') as Record<string, unknown>;
    const copy = copyJson(value);
    expect(copy).toEqual(value);
    expect(copy).not.toBe(value);
    expect((copy.a as unknown[])[1]).not.toBe((value.a as unknown[])[1]);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The "__proto__" field is copied deeply too, as a field.
    const inner = Object.getOwnPropertyDescriptor(copy, '__proto__')!.value as { polluted: boolean };
    expect(inner).not.toBe(Object.getOwnPropertyDescriptor(value, '__proto__')!.value);
    inner.polluted = false;
    expect((Object.getOwnPropertyDescriptor(value, '__proto__')!.value as { polluted: boolean }).polluted).toBe(true);
  });
});
