import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { containsSecret } from '../audit/redact.js';
import { UnreadableDataFileError } from '../storage/durable-file.js';
import { ManualClock } from './clock.js';
import { IDEMPOTENCY_LOG_FILE_NAME, IDEMPOTENCY_SNAPSHOT_FILE_NAME } from './idempotency-files.js';
import { PersistentIdempotency, type PersistentIdempotencyOptions } from './idempotency-persistence.js';
import type { StoredResponse } from './idempotency.js';
import { RAW_KEY } from '../audit/test-support.js';

type WriteKind = 'log' | 'snapshot';

/** Every append to the log and every snapshot written goes through here, so a test can make one wait or fail. */
const writes = vi.hoisted(() => ({
  /** Runs before each write; what it throws, the write throws. */
  before: undefined as ((kind: WriteKind) => Promise<void>) | undefined,
  attempts: 0,
  running: 0,
  mostAtOnce: 0,
}));

vi.mock('./idempotency-files.js', async (importOriginal) => {
  const files = await importOriginal<typeof import('./idempotency-files.js')>();
  const watched =
    <A extends unknown[]>(kind: WriteKind, write: (...args: A) => Promise<number>) =>
    async (...args: A): Promise<number> => {
      writes.attempts += 1;
      writes.running += 1;
      writes.mostAtOnce = Math.max(writes.mostAtOnce, writes.running);
      try {
        await writes.before?.(kind);
        return await write(...args);
      } finally {
        writes.running -= 1;
      }
    };
  return { ...files, writeLines: watched('log', files.writeLines), writeSnapshot: watched('snapshot', files.writeSnapshot) };
});

const HOUR = 3_600_000;
/** Shaped like an API key, as a create or rotate response shows it once. */

let dir: string;
let clock: ManualClock;
let warnings: string[];
const opened: PersistentIdempotency[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-idempotency-'));
  clock = new ManualClock();
  warnings = [];
  Object.assign(writes, { before: undefined, attempts: 0, running: 0, mostAtOnce: 0 });
});

afterEach(async () => {
  writes.before = undefined;
  for (const persistence of opened.splice(0)) await persistence.close().catch(() => undefined);
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

/** Makes the next write wait until `release` (which may make it fail); returns once it is waiting. */
function holdNextWrite(): { started: Promise<WriteKind>; release: (failure?: Error) => void } {
  let started!: (kind: WriteKind) => void;
  let release!: (failure?: Error) => void;
  const released = new Promise<Error | undefined>((resolve) => (release = resolve));
  const startedPromise = new Promise<WriteKind>((resolve) => (started = resolve));
  writes.before = async (kind) => {
    writes.before = undefined;
    started(kind);
    const failure = await released;
    if (failure !== undefined) throw failure;
  };
  return { started: startedPromise, release };
}

/** Completes `key`, then flushes with the save's first write held: the flush, and the held write to release. */
async function flushHeldAfterCompleting(persistence: PersistentIdempotency, key: string) {
  completeRequest(persistence, key);
  const slow = holdNextWrite();
  const flushing = persistence.flush();
  await slow.started;
  return { slow, flushing };
}

/** Completes `key`, then lets the background save (every `intervalMs`) start with its first write held: the held write. */
async function backgroundSaveHeldAfterCompleting(persistence: PersistentIdempotency, key: string, intervalMs: number) {
  completeRequest(persistence, key);
  const slow = holdNextWrite();
  await vi.advanceTimersByTimeAsync(intervalMs);
  await slow.started;
  return slow;
}

/** Makes every write fail (a full disk) until `writes.before` is reset. */
function failWrites(): void {
  writes.before = () => Promise.reject(new Error('ENOSPC: no space left on device'));
}

/** Background saves run on fake timers, every `intervalMs`. */
async function openWithBackgroundSaves(intervalMs: number, options: Partial<PersistentIdempotencyOptions> = {}): Promise<PersistentIdempotency> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  return openPersistence({ saveIntervalMs: intervalMs, ...options });
}

async function logLines(): Promise<string[]> {
  return (await readFile(join(dir, IDEMPOTENCY_LOG_FILE_NAME), 'utf8')).split('\n').filter((line) => line !== '');
}

/** Opens on the test folder; the background save waits an hour, so only flush/compact/close save. */
async function openPersistence(options: Partial<PersistentIdempotencyOptions> = {}): Promise<PersistentIdempotency> {
  const persistence = await PersistentIdempotency.open(dir, {
    clock,
    containsSecret,
    saveIntervalMs: HOUR,
    onWarning: (message) => warnings.push(message),
    ...options,
  });
  opened.push(persistence);
  return persistence;
}

function response(body: string, status = 201): StoredResponse {
  return { status, headers: { 'content-type': 'application/json' }, body };
}

/** Runs one request under `key` through the store, as the middleware would. */
function completeRequest(persistence: PersistentIdempotency, key: string, body = `{"key":"${key}"}`, scope = 'member:mem_1', fingerprint = `fp-${key}`): void {
  expect(persistence.store.begin(scope, key, fingerprint).kind).toBe('proceed');
  persistence.store.complete(scope, key, response(body));
}

function keysOf(persistence: PersistentIdempotency): string[] {
  return persistence.store.completedEntries().map((entry) => entry.idempotencyKey);
}

async function sizeOf(name: string): Promise<number> {
  return (await stat(join(dir, name))).size;
}

/** Every file of the folder, as text. */
async function folderText(): Promise<string> {
  const names = await readdir(dir);
  return (await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')))).join('\n');
}

describe('PersistentIdempotency', () => {
  it('writes nothing when a request completes, and everything noted when it saves', async () => {
    const first = await openPersistence();
    completeRequest(first, 'a');
    completeRequest(first, 'b');
    expect(await sizeOf(IDEMPOTENCY_LOG_FILE_NAME)).toBe(0);
    await first.flush();
    expect((await readFile(join(dir, IDEMPOTENCY_LOG_FILE_NAME), 'utf8')).trim().split('\n')).toHaveLength(2);
    await first.close();

    const second = await openPersistence();
    expect(second.store.begin('member:mem_1', 'a', 'fp-a')).toEqual({ kind: 'replay', response: response('{"key":"a"}') });
    expect(keysOf(second)).toEqual(['a', 'b']);
  });

  it('saves the rest on close', async () => {
    const first = await openPersistence();
    completeRequest(first, 'a');
    await first.close();
    expect((await openPersistence()).store.begin('member:mem_1', 'a', 'fp-a').kind).toBe('replay');
  });

  it('after a crash, keeps what the last save wrote and only that', async () => {
    const crashed = await openPersistence();
    completeRequest(crashed, 'saved');
    await crashed.flush();
    completeRequest(crashed, 'unsaved');

    // `crashed` is never closed before the next open: its last completion is not on disk.
    const restarted = await PersistentIdempotency.open(dir, { clock, containsSecret, saveIntervalMs: HOUR });
    try {
      expect(restarted.store.begin('member:mem_1', 'saved', 'fp-saved').kind).toBe('replay');
      expect(restarted.store.begin('member:mem_1', 'unsaved', 'fp-unsaved').kind).toBe('proceed');
    } finally {
      await restarted.close();
    }
  });

  it('does not save requests still in flight: their retry runs after a restart', async () => {
    const first = await openPersistence();
    expect(first.store.begin('member:mem_1', 'running', 'fp').kind).toBe('proceed');
    await first.close();
    expect((await openPersistence()).store.begin('member:mem_1', 'running', 'fp').kind).toBe('proceed');
  });

  it('keeps scopes apart and fingerprints checked across a restart', async () => {
    const first = await openPersistence();
    completeRequest(first, 'same-key', '{"by":"one"}', 'member:mem_1', 'fp-one');
    completeRequest(first, 'same-key', '{"by":"two"}', 'key:key_2', 'fp-two');
    await first.close();

    const { store } = await openPersistence();
    expect(store.begin('member:mem_1', 'same-key', 'fp-one')).toEqual({ kind: 'replay', response: response('{"by":"one"}') });
    expect(store.begin('key:key_2', 'same-key', 'fp-two')).toEqual({ kind: 'replay', response: response('{"by":"two"}') });
    expect(store.begin('member:mem_1', 'same-key', 'fp-two').kind).toBe('mismatch');
    expect(store.begin('member:mem_3', 'same-key', 'fp-one').kind).toBe('proceed');
  });

  it('does not load entries that expired while it was stopped, and keeps their original expiry', async () => {
    const first = await openPersistence();
    completeRequest(first, 'old');
    clock.advance(HOUR);
    completeRequest(first, 'newer');
    await first.close();

    clock.advance(23 * HOUR);
    const second = await openPersistence();
    expect(keysOf(second)).toEqual(['newer']);
    expect(second.store.begin('member:mem_1', 'old', 'fp-old').kind).toBe('proceed');
    clock.advance(HOUR);
    expect(second.store.begin('member:mem_1', 'newer', 'fp-newer').kind).toBe('proceed');
  });

  it('replays a loaded entry for at most 24 h from the start, even when the clock stepped back since it was saved', async () => {
    const first = await openPersistence();
    completeRequest(first, 'a');
    await first.close();

    clock = new ManualClock(clock.now() - 10 * HOUR);
    const second = await openPersistence();
    clock.advance(24 * HOUR);
    expect(second.store.begin('member:mem_1', 'a', 'fp-a').kind).toBe('proceed');
  });

  it('loads in completion order and applies the caps, oldest dropped first', async () => {
    const first = await openPersistence();
    for (const key of ['a', 'b', 'c', 'd', 'e']) completeRequest(first, key);
    await first.compact();
    for (const key of ['f', 'g']) completeRequest(first, key);
    await first.close();

    expect(keysOf(await openPersistence())).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(keysOf(await openPersistence({ maxEntries: 3 }))).toEqual(['e', 'f', 'g']);
    // Each body is 11 characters: room for two.
    const capped = await openPersistence({ maxStoredChars: 25 });
    expect(keysOf(capped)).toEqual(['f', 'g']);
    expect(capped.store.storedChars).toBe(22);
  });

  it('compacts into a snapshot in the same order and empties the log', async () => {
    const first = await openPersistence();
    for (const key of ['a', 'b', 'c']) completeRequest(first, key);
    await first.flush();
    await first.compact();
    expect(await sizeOf(IDEMPOTENCY_LOG_FILE_NAME)).toBe(0);
    completeRequest(first, 'd');
    await first.close();
    expect(keysOf(await openPersistence())).toEqual(['a', 'b', 'c', 'd']);
  });

  it('skips log records a snapshot already holds (a crash between the two writes of a compaction)', async () => {
    const first = await openPersistence({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c']) completeRequest(first, key);
    await first.flush();
    const logBeforeCompaction = await readFile(join(dir, IDEMPOTENCY_LOG_FILE_NAME));
    completeRequest(first, 'd');
    await first.compact();
    completeRequest(first, 'e');
    await first.close();
    // The log as if the compaction had stopped before emptying it, then what was appended after.
    const appended = await readFile(join(dir, IDEMPOTENCY_LOG_FILE_NAME));
    await writeFile(join(dir, IDEMPOTENCY_LOG_FILE_NAME), Buffer.concat([logBeforeCompaction, appended]));

    // Read again, the stale records would bring back `a` and `b`, evicted before the compaction.
    const second = await openPersistence({ maxEntries: 3 });
    expect(keysOf(second)).toEqual(['c', 'd', 'e']);
    completeRequest(second, 'f');
    await second.close();
    expect(keysOf(await openPersistence({ maxEntries: 3 }))).toEqual(['d', 'e', 'f']);
  });

  it('compacts by itself once the log outgrows the snapshot (and 1 MiB)', async () => {
    const persistence = await openPersistence();
    const big = `"${'x'.repeat(64 * 1024)}"`;
    for (let i = 0; i < 17; i += 1) completeRequest(persistence, `big-${i}`, big);
    await persistence.flush();
    expect(await sizeOf(IDEMPOTENCY_LOG_FILE_NAME)).toBeGreaterThan(1024 * 1024);
    await expect(stat(join(dir, IDEMPOTENCY_SNAPSHOT_FILE_NAME))).rejects.toThrow(/ENOENT/);

    completeRequest(persistence, 'one-more');
    await persistence.flush();
    expect(await sizeOf(IDEMPOTENCY_LOG_FILE_NAME)).toBe(0);
    expect(await sizeOf(IDEMPOTENCY_SNAPSHOT_FILE_NAME)).toBeGreaterThan(1024 * 1024);
  });

  describe('saving in the background', () => {
    it('saves what was noted every saveIntervalMs, and nothing before', async () => {
      const persistence = await openWithBackgroundSaves(5_000);
      completeRequest(persistence, 'a');
      await vi.advanceTimersByTimeAsync(4_999);
      expect(writes.attempts).toBe(0);
      const save = holdNextWrite();
      await vi.advanceTimersByTimeAsync(1);
      expect(await save.started).toBe('log');
      save.release();
      await vi.waitFor(async () => expect(await logLines()).toHaveLength(1));
      expect(warnings).toEqual([]);
    });

    it('says once that saves fail, retries at a doubling delay up to 5 min, and says when one works again', async () => {
      const persistence = await openWithBackgroundSaves(5_000);
      completeRequest(persistence, 'a');
      failWrites();
      const attemptsAt: number[] = [];
      for (const waitMs of [5_000, 10_000 - 1, 1, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]) {
        await vi.advanceTimersByTimeAsync(waitMs);
        attemptsAt.push(writes.attempts);
      }
      // 5 s, then 10, 20, 40, 80, 160 s, then 5 min each time (not 320 s).
      expect(attemptsAt).toEqual([1, 1, 2, 3, 4, 5, 6, 7, 8]);
      expect(warnings).toEqual([expect.stringMatching(/^saving idempotent responses failed: ENOSPC: no space left on device\. Retrying less and less often \(up to every 5 min\)/)]);

      writes.before = undefined;
      completeRequest(persistence, 'b');
      await vi.advanceTimersByTimeAsync(300_000);
      await vi.waitFor(() => expect(warnings).toHaveLength(2));
      expect(warnings[1]).toBe('saving idempotent responses works again, after 8 failed attempts.');
      // The failed appends left the next save to be a compaction: the snapshot holds both.
      expect(await sizeOf(IDEMPOTENCY_LOG_FILE_NAME)).toBe(0);
      const saved = writes.attempts;
      completeRequest(persistence, 'c');
      await vi.advanceTimersByTimeAsync(5_000); // back to the interval
      await vi.waitFor(async () => expect(await logLines()).toHaveLength(1));
      expect(writes.attempts).toBe(saved + 1);
      await persistence.close();
      expect(keysOf(await openPersistence())).toEqual(['a', 'b', 'c']);
    });

    it('is back to the normal interval as soon as a flush works after failed saves', async () => {
      const persistence = await openWithBackgroundSaves(5_000);
      completeRequest(persistence, 'a');
      failWrites();
      await vi.advanceTimersByTimeAsync(5_000 + 10_000 + 20_000); // three failures: the next try is 40 s away
      expect(writes.attempts).toBe(3);
      writes.before = undefined;
      await persistence.flush();
      expect(warnings[1]).toBe('saving idempotent responses works again, after 3 failed attempts.');
      const saved = writes.attempts;
      completeRequest(persistence, 'b');
      await vi.advanceTimersByTimeAsync(5_000);
      expect(writes.attempts).toBe(saved + 1);
      await persistence.close();
      expect(keysOf(await openPersistence())).toEqual(['a', 'b']);
    });

    it('does not queue saves behind one still running: ticks meanwhile are skipped', async () => {
      const persistence = await openWithBackgroundSaves(1_000);
      const slow = await backgroundSaveHeldAfterCompleting(persistence, 'a', 1_000);
      completeRequest(persistence, 'b');
      await vi.advanceTimersByTimeAsync(5_000);
      failWrites();
      slow.release(new Error('EIO: i/o error, write'));
      await vi.advanceTimersByTimeAsync(0);
      expect(writes.attempts).toBe(1);
      expect(warnings).toEqual([expect.stringContaining('EIO: i/o error, write')]);
    });

    it('skips a tick while a flush runs, leaving what it did not save to the next tick', async () => {
      const persistence = await openWithBackgroundSaves(1_000);
      const { slow, flushing } = await flushHeldAfterCompleting(persistence, 'a');
      completeRequest(persistence, 'b');
      await vi.advanceTimersByTimeAsync(1_000);
      failWrites();
      slow.release(new Error('EIO: i/o error, write'));
      await expect(flushing).rejects.toThrow(/EIO/);
      await vi.advanceTimersByTimeAsync(0);
      expect(writes.attempts).toBe(1);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(writes.attempts).toBe(2);
    });

    it('saves nothing once closed but its own last save, even when a background save was running', async () => {
      const persistence = await openWithBackgroundSaves(1_000);
      const slow = await backgroundSaveHeldAfterCompleting(persistence, 'a', 1_000);
      const closing = persistence.close();
      failWrites();
      slow.release(new Error('EIO: i/o error, write'));
      await expect(closing).rejects.toThrow(/ENOSPC/); // its last save, refused by the disk too
      expect(writes.attempts).toBe(2);
      await vi.advanceTimersByTimeAsync(60 * 60_000);
      await expect(persistence.flush()).rejects.toThrow(/closed/);
      await expect(persistence.compact()).rejects.toThrow(/closed/);
      expect(writes.attempts).toBe(2);
    });

    it('after an append failed part-way, compacts (dropping the torn line), and recovers once the disk does', async () => {
      const persistence = await openPersistence();
      completeRequest(persistence, 'a');
      await persistence.flush();
      completeRequest(persistence, 'b');
      writes.before = async (kind) => {
        writes.before = undefined;
        // Half a record reached the log before the disk filled up.
        await appendFile(join(dir, IDEMPOTENCY_LOG_FILE_NAME), '{"seq":2,"scope":"member:mem_1","ke');
        throw new Error(`ENOSPC: no space left on device (${kind})`);
      };
      await expect(persistence.flush()).rejects.toThrow(/ENOSPC.*\(log\)/);
      completeRequest(persistence, 'c');
      await persistence.flush();
      expect(await sizeOf(IDEMPOTENCY_LOG_FILE_NAME)).toBe(0);
      completeRequest(persistence, 'd');
      await persistence.close();

      expect(keysOf(await openPersistence())).toEqual(['a', 'b', 'c', 'd']);
      expect(warnings).toEqual([]);
    });

    it('keeps completions noted during a slow save for the next one: none lost, none written twice', async () => {
      const persistence = await openPersistence();
      const { slow, flushing: first } = await flushHeldAfterCompleting(persistence, 'a');
      completeRequest(persistence, 'b');
      completeRequest(persistence, 'c');
      slow.release();
      await first;
      await persistence.flush();
      expect((await logLines()).map((line) => JSON.parse(line).key)).toEqual(['a', 'b', 'c']);
      await persistence.close();
      expect(keysOf(await openPersistence())).toEqual(['a', 'b', 'c']);
    });

    it('runs a save asked for during another after it, never alongside', async () => {
      const persistence = await openPersistence();
      const { slow, flushing: first } = await flushHeldAfterCompleting(persistence, 'a');
      completeRequest(persistence, 'b');
      const second = persistence.flush();
      const compaction = persistence.compact();
      slow.release();
      await Promise.all([first, second, compaction]);
      expect(writes.mostAtOnce).toBe(1);
      await persistence.close();
      expect(keysOf(await openPersistence())).toEqual(['a', 'b']);
    });

    it('when a save hangs while more completes than the store holds, drops the notes and compacts next', async () => {
      const persistence = await openPersistence({ maxEntries: 3 });
      const { slow, flushing: first } = await flushHeldAfterCompleting(persistence, 'a');
      for (const key of ['b', 'c', 'd', 'e', 'f']) completeRequest(persistence, key);
      slow.release();
      await first;
      await persistence.close();
      // The last save was a compaction: the log (which held `a`) is empty, the snapshot holds the store.
      expect(await sizeOf(IDEMPOTENCY_LOG_FILE_NAME)).toBe(0);
      expect(keysOf(await openPersistence({ maxEntries: 3 }))).toEqual(['d', 'e', 'f']);
    });
  });

  describe('a response that reveals a secret', () => {
    const created = response(`{"id":"key_1","key":"${RAW_KEY}"}`);

    it('is replayed in full until a restart, never written, and withheld after it', async () => {
      const first = await openPersistence();
      first.store.begin('member:mem_1', 'create', 'fp-create');
      first.store.complete('member:mem_1', 'create', created);
      await first.flush();
      expect(first.store.begin('member:mem_1', 'create', 'fp-create')).toEqual({ kind: 'replay', response: created });
      await first.compact();
      completeRequest(first, 'other');
      await first.close();
      expect(await folderText()).not.toContain(RAW_KEY);

      const second = await openPersistence();
      expect(second.store.begin('member:mem_1', 'create', 'fp-create')).toEqual({ kind: 'withheld', status: 201 });
      expect(second.store.begin('member:mem_1', 'create', 'fp-other').kind).toBe('mismatch');
      // Withheld it stays, through the next compaction, in its place.
      await second.compact();
      await second.close();
      const third = await openPersistence();
      expect(keysOf(third)).toEqual(['create', 'other']);
      expect(third.store.begin('member:mem_1', 'create', 'fp-create')).toEqual({ kind: 'withheld', status: 201 });
    });

    it('is withheld when the secret is in a replayed header too', async () => {
      const first = await openPersistence();
      first.store.begin('member:mem_1', 'header', 'fp');
      first.store.complete('member:mem_1', 'header', { status: 201, headers: { location: `/v1/things?key=${RAW_KEY}` }, body: '{}' });
      await first.close();
      expect(await folderText()).not.toContain(RAW_KEY);
      expect((await openPersistence()).store.begin('member:mem_1', 'header', 'fp')).toEqual({ kind: 'withheld', status: 201 });
    });
  });

  describe('an unusable file', () => {
    async function writeSavedEntries(): Promise<void> {
      const first = await openPersistence();
      completeRequest(first, 'in-snapshot');
      await first.compact();
      completeRequest(first, 'in-log');
      await first.close();
    }

    it('a damaged snapshot is moved aside, said so, and the log still loads', async () => {
      await writeSavedEntries();
      const damaged = (await readFile(join(dir, IDEMPOTENCY_SNAPSHOT_FILE_NAME), 'utf8')).replace('"in-snapshot"', '"in-snap');
      await writeFile(join(dir, IDEMPOTENCY_SNAPSHOT_FILE_NAME), damaged);

      const second = await openPersistence();
      expect(keysOf(second)).toEqual(['in-log']);
      const aside = join(dir, `${IDEMPOTENCY_SNAPSHOT_FILE_NAME}.corrupt-${new Date(clock.now()).toISOString().replace(/:/g, '-')}`);
      expect(await readFile(aside, 'utf8')).toBe(damaged);
      expect(warnings).toEqual([expect.stringMatching(/idempotency\.ndjson is unusable: line 2 is damaged.*Moved it to .*\.corrupt-/)]);
      // A later compaction writes a new snapshot; the one set aside stays as it was.
      await second.compact();
      await second.close();
      expect(keysOf(await openPersistence())).toEqual(['in-log']);
      expect(await readFile(aside, 'utf8')).toBe(damaged);
    });

    it('a snapshot missing records is refused', async () => {
      await writeSavedEntries();
      const [header] = (await readFile(join(dir, IDEMPOTENCY_SNAPSHOT_FILE_NAME), 'utf8')).split('\n');
      await writeFile(join(dir, IDEMPOTENCY_SNAPSHOT_FILE_NAME), `${header}\n`);
      expect(keysOf(await openPersistence())).toEqual(['in-log']);
      expect(warnings).toEqual([expect.stringMatching(/holds 0 complete records, not the 1 its first line announces/)]);
    });

    it('a damaged log is moved aside, and the snapshot still loads', async () => {
      await writeSavedEntries();
      await writeFile(join(dir, IDEMPOTENCY_LOG_FILE_NAME), 'not json\n', { flag: 'a' });
      const second = await openPersistence();
      expect(keysOf(second)).toEqual(['in-snapshot']);
      expect(warnings).toEqual([expect.stringMatching(/idempotency-log\.ndjson is unusable: line 2 is damaged: it is not valid JSON/)]);
      // A new log is started.
      completeRequest(second, 'after');
      await second.close();
      expect(keysOf(await openPersistence())).toEqual(['in-snapshot', 'after']);
    });

    it('one that cannot be read at all (a folder in its place, an I/O error) fails the start and is left where it is', async () => {
      await writeSavedEntries();
      await rm(join(dir, IDEMPOTENCY_LOG_FILE_NAME));
      await mkdir(join(dir, IDEMPOTENCY_LOG_FILE_NAME));
      await expect(openPersistence()).rejects.toThrow(UnreadableDataFileError);
      await expect(openPersistence()).rejects.toThrow(/Cannot read data file .*idempotency-log\.ndjson \(EISDIR/);
      expect(warnings).toEqual([]);
      expect((await readdir(dir)).sort()).toEqual([IDEMPOTENCY_LOG_FILE_NAME, IDEMPOTENCY_SNAPSHOT_FILE_NAME]);
      expect((await stat(join(dir, IDEMPOTENCY_LOG_FILE_NAME))).isDirectory()).toBe(true);
    });

    it('set aside twice in the same millisecond keeps both', async () => {
      const damaged = ['{"format":"tessera-idempotency","version":1,"seq":0,"entries":0}\nfirst', '{"format":"tessera-idempotency","version":1,"seq":0,"entries":0}\nsecond'];
      for (const content of damaged) {
        await writeFile(join(dir, IDEMPOTENCY_SNAPSHOT_FILE_NAME), `${content}\n`);
        await (await openPersistence()).close();
      }
      const aside = (await readdir(dir)).filter((name) => name.includes('.corrupt-')).sort();
      expect(aside).toHaveLength(2);
      expect(aside[1]).toBe(`${aside[0]}-2`);
      expect(await Promise.all(aside.map((name) => readFile(join(dir, name), 'utf8')))).toEqual(damaged.map((content) => `${content}\n`));
    });

    it('a record cut short at the end of the log (a crash mid-write) is dropped, the rest kept', async () => {
      await writeSavedEntries();
      const torn = '{"seq":9,"scope":"member:mem_1","ke';
      await writeFile(join(dir, IDEMPOTENCY_LOG_FILE_NAME), torn, { flag: 'a' });
      const second = await openPersistence();
      expect(keysOf(second)).toEqual(['in-snapshot', 'in-log']);
      expect(warnings).toEqual([expect.stringContaining(`idempotency-log.ndjson ended with an incomplete record (${torn.length} bytes`)]);
      completeRequest(second, 'after');
      await second.close();
      warnings = [];
      expect(keysOf(await openPersistence())).toEqual(['in-snapshot', 'in-log', 'after']);
      expect(warnings).toEqual([]);
    });
  });
});
