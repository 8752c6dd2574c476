import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { containsSecret } from '../audit/redact.js';
import { ManualClock } from './clock.js';
import { IDEMPOTENCY_LOG_FILE_NAME, IDEMPOTENCY_SNAPSHOT_FILE_NAME } from './idempotency-files.js';
import { PersistentIdempotency, type PersistentIdempotencyOptions } from './idempotency-persistence.js';
import type { StoredResponse } from './idempotency.js';

const HOUR = 3_600_000;
/** Shaped like an API key, as a create or rotate response shows it once. */
const RAW_KEY = 'sk_live_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';

let dir: string;
let clock: ManualClock;
let warnings: string[];
const opened: PersistentIdempotency[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-idempotency-'));
  clock = new ManualClock();
  warnings = [];
});

afterEach(async () => {
  for (const persistence of opened.splice(0)) await persistence.close();
  await rm(dir, { recursive: true, force: true });
});

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

    it('one that cannot be read (a folder in its place) is moved aside too', async () => {
      await mkdir(join(dir, IDEMPOTENCY_SNAPSHOT_FILE_NAME));
      const persistence = await openPersistence();
      expect(warnings).toEqual([expect.stringMatching(/Cannot read data file .*idempotency\.ndjson.*Moved it to/)]);
      completeRequest(persistence, 'a');
      await persistence.compact();
      await persistence.close();
      expect(keysOf(await openPersistence())).toEqual(['a']);
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
