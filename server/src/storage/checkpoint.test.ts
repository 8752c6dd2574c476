import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Checkpoint, CheckpointClosedError, mapCodec, type CheckpointOptions } from './checkpoint.js';
import { CorruptDataFileError, writeFileDurably, type DurableFileWriter } from './durable-file.js';
import { deferred, useTempDir } from './test-support.js';

type LastUsed = Map<string, string>;

const INTERVAL_MS = 1_000;
const tempDir = useTempDir();
const openCheckpoints: Checkpoint<LastUsed>[] = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const checkpoint of openCheckpoints.splice(0)) await checkpoint.close().catch(() => undefined);
});

/** The real durable writer, counting its calls, optionally held by a gate or failing. */
function countingWriter() {
  const state = { calls: 0, gate: undefined as Promise<void> | undefined, failNext: undefined as Error | undefined };
  const write: DurableFileWriter = async (filePath, data) => {
    state.calls += 1;
    const failure = state.failNext;
    state.failNext = undefined;
    await state.gate;
    if (failure) throw failure;
    await writeFileDurably(filePath, data);
  };
  return { state, write };
}

async function openCheckpoint(file: string, options: Partial<CheckpointOptions<LastUsed>> = {}): Promise<Checkpoint<LastUsed>> {
  const checkpoint = await Checkpoint.open<LastUsed>(file, {
    intervalMs: INTERVAL_MS,
    initial: () => new Map(),
    ...mapCodec<string, string>((value): value is string => typeof value === 'string'),
    ...options,
  });
  openCheckpoints.push(checkpoint);
  return checkpoint;
}

describe('Checkpoint', () => {
  it('starts from the initial state and writes nothing while nothing changed', async () => {
    const dir = tempDir();
    const writer = countingWriter();
    const checkpoint = await openCheckpoint(path.join(dir, 'last-used.json'), { writeFile: writer.write });
    expect(checkpoint.state.size).toBe(0);
    await checkpoint.flush();
    await checkpoint.close();
    expect(writer.state.calls).toBe(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it('saves on flush and loads the saved state on reopen', async () => {
    const file = path.join(tempDir(), 'last-used.json');
    const checkpoint = await openCheckpoint(file);
    checkpoint.update((state) => state.set('key_1', '2025-01-01T00:00:00.000Z'));
    expect(checkpoint.hasUnsavedChanges).toBe(true);
    await checkpoint.flush();
    expect(checkpoint.hasUnsavedChanges).toBe(false);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual([['key_1', '2025-01-01T00:00:00.000Z']]);
    await checkpoint.close();

    const reopened = await openCheckpoint(file);
    expect([...reopened.state]).toEqual([['key_1', '2025-01-01T00:00:00.000Z']]);
  });

  it('saves periodically, only when something changed', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const writer = countingWriter();
    const checkpoint = await openCheckpoint(path.join(tempDir(), 'last-used.json'), { writeFile: writer.write });

    vi.advanceTimersByTime(INTERVAL_MS * 3);
    expect(writer.state.calls).toBe(0); // unchanged: nothing to save

    checkpoint.update((state) => state.set('key_1', 't1'));
    vi.advanceTimersByTime(INTERVAL_MS - 1);
    expect(writer.state.calls).toBe(0);
    vi.advanceTimersByTime(1);
    expect(writer.state.calls).toBe(1);
    await checkpoint.flush(); // waits for the periodic save; nothing left to save
    expect(writer.state.calls).toBe(1);
    expect(checkpoint.saves).toBe(1);

    vi.advanceTimersByTime(INTERVAL_MS * 5);
    expect(writer.state.calls).toBe(1); // unchanged since the save

    checkpoint.update((state) => state.set('key_2', 't2'));
    vi.advanceTimersByTime(INTERVAL_MS);
    expect(writer.state.calls).toBe(2);
    await checkpoint.flush();
  });

  it('saves again a change made while a save was in flight', async () => {
    const file = path.join(tempDir(), 'last-used.json');
    const writer = countingWriter();
    const checkpoint = await openCheckpoint(file, { writeFile: writer.write });
    const hold = deferred();
    writer.state.gate = hold.promise;
    checkpoint.update((state) => state.set('key_1', 't1'));
    const firstSave = checkpoint.flush();
    checkpoint.update((state) => state.set('key_2', 't2'));
    writer.state.gate = undefined;
    hold.resolve();
    await firstSave;
    await checkpoint.flush();
    expect(writer.state.calls).toBe(2);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual([
      ['key_1', 't1'],
      ['key_2', 't2'],
    ]);
  });

  it('reports a failed periodic save and retries it at the next interval', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const file = path.join(tempDir(), 'last-used.json');
    const writer = countingWriter();
    const saveFailed = deferred<unknown>();
    const checkpoint = await openCheckpoint(file, { writeFile: writer.write, onSaveError: saveFailed.resolve });
    writer.state.failNext = new Error('disk full');
    checkpoint.update((state) => state.set('key_1', 't1'));

    vi.advanceTimersByTime(INTERVAL_MS);
    expect(await saveFailed.promise).toEqual(new Error('disk full'));
    expect(checkpoint.hasUnsavedChanges).toBe(true);

    vi.advanceTimersByTime(INTERVAL_MS);
    expect(writer.state.calls).toBe(2);
    await checkpoint.flush();
    expect(checkpoint.hasUnsavedChanges).toBe(false);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual([['key_1', 't1']]);
  });

  it('saves the last changes on close, then refuses updates', async () => {
    const file = path.join(tempDir(), 'last-used.json');
    const checkpoint = await openCheckpoint(file);
    checkpoint.update((state) => state.set('key_1', 't1'));
    await checkpoint.close();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual([['key_1', 't1']]);
    expect(() => checkpoint.update((state) => state.clear())).toThrow(CheckpointClosedError);
  });

  it('refuses a corrupt checkpoint and leaves it byte-for-byte unchanged', async () => {
    const file = path.join(tempDir(), 'last-used.json');
    await writeFile(file, '[["key_1","t1"],["key');
    await expect(openCheckpoint(file)).rejects.toBeInstanceOf(CorruptDataFileError);
    expect(await readFile(file, 'utf8')).toBe('[["key_1","t1"],["key');
  });

  it('refuses a checkpoint of the wrong shape', async () => {
    const file = path.join(tempDir(), 'last-used.json');
    await writeFile(file, '[["key_1", 42]]');
    await expect(openCheckpoint(file)).rejects.toThrow(/expected shape.*key_1/);
  });

  it('does not keep the process alive with its timer', async () => {
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    try {
      await openCheckpoint(path.join(tempDir(), 'last-used.json'));
      const timer = setIntervalSpy.mock.results.at(-1)?.value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
    } finally {
      setIntervalSpy.mockRestore();
    }
  });

  it('cleans up temp files left by a crash on open', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'last-used.json');
    await writeFile(file, '[]');
    await writeFile(path.join(dir, '.last-used.json.77.abcdef.tmp'), '[["half');
    await openCheckpoint(file);
    expect(await readdir(dir)).toEqual(['last-used.json']);
  });
});
