import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CorruptDataFileError, writeFileDurably, type DurableFileWriter } from './durable-file.js';
import { DocumentWriteError, StoreFailedError } from './document-store.js';
import { JsonDocumentStore } from './json-document-store.js';
import { deferred, useTempDir } from './test-support.js';

interface Doc {
  version: number;
  items: string[];
}

const defaultData = (): Doc => ({ version: 1, items: [] });

/** The real durable writer, counted, with an optional gate and injectable failures. */
function countingWriter() {
  const state = {
    calls: 0,
    inFlight: 0,
    maxInFlight: 0,
    gate: undefined as Promise<void> | undefined,
    failNext: undefined as Error | undefined,
  };
  const write: DurableFileWriter = async (filePath, data) => {
    state.calls += 1;
    state.inFlight += 1;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    const failure = state.failNext;
    state.failNext = undefined;
    try {
      await state.gate;
      if (failure) throw failure;
      await writeFileDurably(filePath, data);
    } finally {
      state.inFlight -= 1;
    }
  };
  return { state, write };
}

async function readDoc(file: string): Promise<Doc> {
  return JSON.parse(await readFile(file, 'utf8')) as Doc;
}

const tempDir = useTempDir();

describe('JsonDocumentStore.open', () => {
  it('creates a missing file with the default data, durably and without NODE_ENV=test switching to memory', async () => {
    expect(process.env.NODE_ENV).toBe('test'); // the condition under which lowdb presets use memory
    const file = path.join(tempDir(), 'tessera.json');
    const writer = countingWriter();
    const store = await JsonDocumentStore.open<Doc>(file, { defaultData: defaultData(), writeFile: writer.write });
    expect(writer.state.calls).toBe(1);
    expect(await readDoc(file)).toEqual(defaultData());
    expect(store.read()).toEqual(defaultData());
    await store.close();
  });

  it('loads existing data', async () => {
    const file = path.join(tempDir(), 'tessera.json');
    await writeFile(file, JSON.stringify({ version: 1, items: ['a'] }));
    const store = await JsonDocumentStore.open<Doc>(file, { defaultData: defaultData() });
    expect(store.read().items).toEqual(['a']);
    await store.close();
  });

  it('refuses a corrupt file, never writes it, and leaves it byte-for-byte unchanged', async () => {
    const file = path.join(tempDir(), 'tessera.json');
    const bytes = Buffer.from('{"version":1,"items":["a",');
    await writeFile(file, bytes);
    const writer = countingWriter();

    const error = await JsonDocumentStore.open<Doc>(file, { defaultData: defaultData(), writeFile: writer.write }).catch(
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(CorruptDataFileError);
    expect((error as Error).message).toContain(file);
    expect(writer.state.calls).toBe(0);
    expect(Buffer.compare(await readFile(file), bytes)).toBe(0);
  });

  it('refuses an empty file instead of replacing it with the default data', async () => {
    const file = path.join(tempDir(), 'tessera.json');
    await writeFile(file, '');
    await expect(JsonDocumentStore.open<Doc>(file, { defaultData: defaultData() })).rejects.toThrow(CorruptDataFileError);
    expect(await readFile(file, 'utf8')).toBe('');
  });

  it('refuses a file whose top-level value is not an object (e.g. null)', async () => {
    const file = path.join(tempDir(), 'tessera.json');
    await writeFile(file, 'null');
    await expect(JsonDocumentStore.open<Doc>(file, { defaultData: defaultData() })).rejects.toThrow(/expected shape/);
    expect(await readFile(file, 'utf8')).toBe('null');
  });

  it('refuses a file the validator rejects, reporting the validator’s reason', async () => {
    const file = path.join(tempDir(), 'tessera.json');
    await writeFile(file, '{"version":99}');
    const validate = (value: unknown): Doc => {
      if ((value as Doc).version !== 1) throw new Error('unsupported version 99');
      return value as Doc;
    };
    const error = await JsonDocumentStore.open<Doc>(file, { defaultData: defaultData(), validate }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CorruptDataFileError);
    expect((error as Error).message).toContain('unsupported version 99');
    expect(await readFile(file, 'utf8')).toBe('{"version":99}');
  });

  it('cleans up temp files left by a crash without touching the real file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'tessera.json');
    await writeFile(file, JSON.stringify({ version: 1, items: ['kept'] }));
    await writeFile(path.join(dir, '.tessera.json.4242.0a1b2c.tmp'), '{"version":1,"items":["half-writ');
    const store = await JsonDocumentStore.open<Doc>(file, { defaultData: defaultData() });
    expect(await readdir(dir)).toEqual(['tessera.json']);
    expect(store.read().items).toEqual(['kept']);
    await store.close();
  });
});

describe('JsonDocumentStore updates', () => {
  it('persists an update before acknowledging it, and a reopened store sees it', async () => {
    const file = path.join(tempDir(), 'tessera.json');
    const store = await JsonDocumentStore.open<Doc>(file, { defaultData: defaultData() });
    const length = await store.update((doc) => doc.items.push('k1'));
    expect(length).toBe(1);
    expect((await readDoc(file)).items).toEqual(['k1']);
    await store.close();

    const reopened = await JsonDocumentStore.open<Doc>(file, { defaultData: defaultData() });
    expect(reopened.read().items).toEqual(['k1']);
    await reopened.close();
  });

  it('writes 200 concurrent updates in far fewer writes, one at a time, with all 200 in the file', async () => {
    const file = path.join(tempDir(), 'tessera.json');
    const writer = countingWriter();
    const store = await JsonDocumentStore.open<Doc>(file, { defaultData: defaultData(), writeFile: writer.write });
    const writesBefore = writer.state.calls;

    await Promise.all(
      Array.from({ length: 200 }, async (_, index) => {
        for (let turn = 0; turn < index % 7; turn += 1) await Promise.resolve();
        await store.update((doc) => void doc.items.push(`key-${index}`));
      }),
    );

    const writes = writer.state.calls - writesBefore;
    expect(writes).toBeGreaterThan(0);
    expect(writes).toBeLessThan(20);
    expect(writer.state.maxInFlight).toBe(1);
    const onDisk = (await readDoc(file)).items;
    expect(onDisk).toHaveLength(200);
    expect(new Set(onDisk)).toEqual(new Set(Array.from({ length: 200 }, (_, index) => `key-${index}`)));
    await store.close();
  });

  it('rejects the callers of a failed write, keeps the file at the last good state, and stops', async () => {
    const file = path.join(tempDir(), 'tessera.json');
    const writer = countingWriter();
    const onFailure = vi.fn();
    const store = await JsonDocumentStore.open<Doc>(file, { defaultData: defaultData(), writeFile: writer.write, onFailure });
    await store.update((doc) => void doc.items.push('good'));

    const hold = deferred();
    writer.state.gate = hold.promise;
    writer.state.failNext = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    const failing = [store.update((doc) => void doc.items.push('lost-1')), store.update((doc) => void doc.items.push('lost-2'))];
    await vi.waitFor(() => expect(writer.state.inFlight).toBe(1));
    writer.state.gate = undefined;
    const queued = store.update((doc) => void doc.items.push('never-attempted'));
    hold.resolve();

    const results = await Promise.allSettled([...failing, queued]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const reasons = results.map((result) => (result as PromiseRejectedResult).reason as Error);
    expect(reasons[0]).toBeInstanceOf(DocumentWriteError);
    expect(reasons[1]).toBeInstanceOf(DocumentWriteError);
    expect(reasons[0]!.message).toContain(file);
    expect(reasons[2]).toBeInstanceOf(StoreFailedError);
    expect(reasons[2]).not.toBeInstanceOf(DocumentWriteError);

    expect((await readDoc(file)).items).toEqual(['good']);
    expect(onFailure).toHaveBeenCalledTimes(1);
    expect(() => store.read()).toThrow(StoreFailedError);
    await expect(store.update((doc) => void doc.items.push('after'))).rejects.toBeInstanceOf(StoreFailedError);
    await store.close();

    // The file on disk is the truth after a restart.
    const restarted = await JsonDocumentStore.open<Doc>(file, { defaultData: defaultData() });
    expect(restarted.read().items).toEqual(['good']);
    await restarted.close();
  });

  it('close waits for a pending write to reach the disk', async () => {
    const file = path.join(tempDir(), 'tessera.json');
    const store = await JsonDocumentStore.open<Doc>(file, { defaultData: defaultData() });
    const pending = store.update((doc) => void doc.items.push('last'));
    await store.close();
    expect((await readDoc(file)).items).toEqual(['last']);
    await pending;
  });
});
