import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { appendFile, open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AppendLog,
  AppendLogClosedError,
  AppendLogFailedError,
  listSegments,
  parseSegmentName,
  segmentName,
  type AppendLogOptions,
} from './append-log.js';
import { useTempDir } from './test-support.js';

interface Event {
  n: number;
  text?: string;
}

const tempDir = useTempDir();
const openLogs: AppendLog<Event>[] = [];

afterEach(async () => {
  for (const log of openLogs.splice(0)) await log.close().catch(() => undefined);
});

async function openLog(dir: string, options: Partial<AppendLogOptions> = {}): Promise<AppendLog<Event>> {
  const log = await AppendLog.open<Event>(dir, { segmentMaxBytes: 1024 * 1024, fsyncIntervalMs: 50, ...options });
  openLogs.push(log);
  return log;
}

function numbers(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, index) => from + index);
}

async function fingerprint(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

describe('segment names', () => {
  it('sort by sequence and round-trip their creation time', () => {
    const createdAt = new Date('2025-03-04T05:06:07.089Z');
    const name = segmentName(12, createdAt);
    expect(name).toBe('000012-2025-03-04T05-06-07.089Z.ndjson');
    expect(parseSegmentName(name)).toEqual({ sequence: 12, createdAt });
    expect(parseSegmentName('notes.txt')).toBeUndefined();
  });
});

describe('AppendLog', () => {
  it('reads records back in append order', async () => {
    const log = await openLog(tempDir());
    for (const n of numbers(0, 500)) log.append({ n });
    await log.flush();
    const { records, skipped } = await log.readAll();
    expect(records.map((record) => record.n)).toEqual(numbers(0, 500));
    expect(skipped).toEqual([]);
  });

  it('buffers appends and makes them visible on disk on flush', async () => {
    const dir = tempDir();
    const log = await openLog(dir);
    log.append({ n: 1 });
    log.append({ n: 2 });
    // append() is synchronous and only buffers: nothing has reached the disk yet (checked
    // synchronously, before the scheduled batch write can run).
    expect(readdirSync(dir)).toEqual([]);
    await log.flush();
    const [segment] = await listSegments(dir);
    expect(await readFile(segment!.path, 'utf8')).toBe('{"n":1}\n{"n":2}\n');
  });

  it('rotates by size, keeps every segment within the limit, and preserves order across segments', async () => {
    const dir = tempDir();
    const segmentMaxBytes = 100;
    const log = await openLog(dir, { segmentMaxBytes });
    for (const n of numbers(0, 60)) {
      log.append({ n });
      if (n % 10 === 9) await log.flush(); // several batches, some spanning a rotation
    }
    await log.flush();

    const segments = await listSegments(dir);
    expect(segments.length).toBeGreaterThan(5);
    expect(segments.map((segment) => segment.sequence)).toEqual(numbers(1, segments.length + 1));
    expect(segments.map((segment) => segment.name)).toEqual([...segments.map((segment) => segment.name)].sort());
    for (const segment of segments) expect((await stat(segment.path)).size).toBeLessThanOrEqual(segmentMaxBytes);
    expect((await log.readAll()).records.map((record) => record.n)).toEqual(numbers(0, 60));
  });

  it('gives a record larger than a segment a segment of its own', async () => {
    const dir = tempDir();
    const log = await openLog(dir, { segmentMaxBytes: 50 });
    log.append({ n: 1 });
    log.append({ n: 2, text: 'x'.repeat(200) });
    log.append({ n: 3 });
    await log.flush();
    const segments = await listSegments(dir);
    expect(segments).toHaveLength(3);
    expect((await readFile(segments[1]!.path, 'utf8')).split('\n').filter(Boolean)).toHaveLength(1);
    expect((await log.readAll()).records.map((record) => record.n)).toEqual([1, 2, 3]);
  });

  it('says where each record landed, in append order, across rotations and multi-byte text', async () => {
    const dir = tempDir();
    const landed: Array<{ segment: string; offset: number; length: number }> = [];
    const log = await openLog(dir, {
      segmentMaxBytes: 120,
      onWritten: (segment, offset, lines) => {
        expect(segment.sequence).toBe(parseSegmentName(segment.name)!.sequence);
        for (const line of lines) {
          landed.push({ segment: segment.name, offset, length: line.length - 1 });
          offset += line.length;
        }
      },
    });
    for (const n of numbers(0, 30)) {
      log.append({ n, text: n % 3 === 0 ? 'é→🔑' : 'ascii' });
      if (n % 7 === 6) await log.flush();
    }
    await log.flush();

    expect(landed).toHaveLength(30);
    expect(new Set(landed.map((l) => l.segment)).size).toBeGreaterThan(3);
    const files = new Map<string, Buffer>();
    for (const segment of await listSegments(dir)) files.set(segment.name, await readFile(segment.path));
    const records = landed.map(({ segment, offset, length }) => JSON.parse(files.get(segment)!.subarray(offset, offset + length).toString('utf8')) as Event);
    expect(records.map((record) => record.n)).toEqual(numbers(0, 30));
    expect(records[3]!.text).toBe('é→🔑');
  });

  it('tells when a segment is complete: on rotation before the next is written, and on close, with its final size', async () => {
    const dir = tempDir();
    const sealed: Array<{ name: string; sequence: number; size: number; segmentsOnDisk: number }> = [];
    const log = await openLog(dir, {
      segmentMaxBytes: 40,
      onSealed: (segment) => sealed.push({ ...segment, segmentsOnDisk: readdirSync(dir).length }),
    });
    for (const n of numbers(0, 12)) log.append({ n });
    await log.flush();
    const segments = await listSegments(dir);
    expect(segments.length).toBeGreaterThan(2);
    // Every segment but the active one, oldest first; each told before its successor existed.
    expect(sealed.map((segment) => segment.name)).toEqual(segments.slice(0, -1).map((segment) => segment.name));
    sealed.forEach((segment, i) => {
      expect(segment.sequence).toBe(segments[i]!.sequence);
      expect(segment.segmentsOnDisk).toBe(i + 1);
    });
    for (const segment of sealed) expect(segment.size).toBe((await stat(path.join(dir, segment.name))).size);

    await log.close();
    expect(sealed.at(-1)).toMatchObject({ name: segments.at(-1)!.name, size: (await stat(segments.at(-1)!.path)).size });
    expect(sealed).toHaveLength(segments.length);
  });

  it('seals nothing when closed without having written', async () => {
    const onSealed = vi.fn();
    const log = await openLog(tempDir(), { onSealed });
    await log.close();
    expect(onSealed).not.toHaveBeenCalled();
  });

  it('does not seal a segment whose last records could not be made durable', async () => {
    const dir = tempDir();
    const onSealed = vi.fn();
    const log = await openLog(dir, { onSealed, onError: () => undefined });
    log.append({ n: 1 });
    await log.flush();
    const probe = await open(path.join(dir, 'probe'), 'w');
    const handleProto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const realSync = handleProto.sync;
    handleProto.sync = () => Promise.reject(new Error('EIO (injected)'));
    try {
      log.append({ n: 2 });
      await expect(log.close()).rejects.toBeInstanceOf(AppendLogFailedError);
    } finally {
      handleProto.sync = realSync;
    }
    expect(onSealed).not.toHaveBeenCalled();
  });

  it('reads a record that spans many read chunks', async () => {
    const log = await openLog(tempDir());
    const big = 'é'.repeat(150_000); // multi-byte characters across 64 KiB chunk boundaries
    log.append({ n: 1 });
    log.append({ n: 2, text: big });
    log.append({ n: 3 });
    await log.flush();
    const { records } = await log.readAll();
    expect(records.map((record) => record.n)).toEqual([1, 2, 3]);
    expect(records[1]!.text).toBe(big);
  });

  it('starts a new segment on reopen and never rewrites existing segments', async () => {
    const dir = tempDir();
    const first = await openLog(dir);
    for (const n of numbers(0, 10)) first.append({ n });
    await first.close();
    const [oldSegment] = await listSegments(dir);
    const before = await fingerprint(oldSegment!.path);

    const second = await openLog(dir);
    for (const n of numbers(10, 20)) second.append({ n });
    await second.flush();

    const segments = await listSegments(dir);
    expect(segments.map((segment) => segment.sequence)).toEqual([1, 2]);
    expect(await fingerprint(oldSegment!.path)).toBe(before);
    expect((await second.readAll()).records.map((record) => record.n)).toEqual(numbers(0, 20));
  });

  it('tolerates a torn last line after a crash: opens, reports it, skips it and keeps appending', async () => {
    const dir = tempDir();
    const crashed = await openLog(dir);
    for (const n of numbers(0, 10)) crashed.append({ n });
    await crashed.close();
    const [segment] = await listSegments(dir);
    await appendFile(segment!.path, '{"n":10,"te'); // the write the crash cut short
    const tornBytes = await fingerprint(segment!.path);

    const log = await openLog(dir);
    expect(log.openReport).toEqual({ segments: 1, tornTail: { segment: segment!.name, bytes: 11 } });
    log.append({ n: 11 });
    await log.flush();

    const { records, skipped } = await log.readAll();
    expect(records.map((record) => record.n)).toEqual([...numbers(0, 10), 11]);
    expect(skipped).toEqual([{ segment: segment!.name, line: 11, reason: 'torn_tail', bytes: 11 }]);
    expect(await fingerprint(segment!.path)).toBe(tornBytes);
  });

  it('never trusts an unterminated last line, even when it happens to parse', async () => {
    const dir = tempDir();
    const crashed = await openLog(dir);
    crashed.append({ n: 1 });
    await crashed.close();
    const [segment] = await listSegments(dir);
    await appendFile(segment!.path, '12'); // valid JSON, but possibly the start of a cut-short 123

    const log = await openLog(dir);
    const { records, skipped } = await log.readAll();
    expect(records).toEqual([{ n: 1 }]);
    expect(skipped.map((line) => line.reason)).toEqual(['torn_tail']);
  });

  it('tolerates a zero-filled tail left by a crash', async () => {
    const dir = tempDir();
    const crashed = await openLog(dir);
    crashed.append({ n: 1 });
    await crashed.close();
    const [segment] = await listSegments(dir);
    await appendFile(segment!.path, Buffer.alloc(4096));

    const log = await openLog(dir);
    expect(log.openReport.tornTail?.bytes).toBe(4096);
    const { records, skipped } = await log.readAll();
    expect(records).toEqual([{ n: 1 }]);
    expect(skipped).toHaveLength(1);
  });

  it('skips and reports a damaged line in the middle and keeps reading', async () => {
    const dir = tempDir();
    const first = await openLog(dir);
    first.append({ n: 1 });
    await first.close();
    const [segment] = await listSegments(dir);
    await appendFile(segment!.path, 'garbage\n{"n":2}\n');

    const log = await openLog(dir);
    const skippedLines: unknown[] = [];
    const records: Event[] = [];
    for await (const record of log.read({ onSkippedLine: (line) => skippedLines.push(line) })) records.push(record);
    expect(records).toEqual([{ n: 1 }, { n: 2 }]);
    expect(skippedLines).toEqual([{ segment: segment!.name, line: 2, reason: 'invalid_json', bytes: 7 }]);
  });

  it('reads from a given segment onwards, by name or sequence', async () => {
    const dir = tempDir();
    const log = await openLog(dir, { segmentMaxBytes: 10 }); // one record per segment
    for (const n of numbers(0, 5)) log.append({ n });
    await log.flush();
    const segments = await listSegments(dir);
    const byName = (await log.readAll({ fromSegment: segments[2]!.name })).records.map((record) => record.n);
    const bySequence = (await log.readAll({ fromSegment: segments[3]!.sequence })).records.map((record) => record.n);
    expect(byName).toEqual([2, 3, 4]);
    expect(bySequence).toEqual([3, 4]);
  });

  it('prunes only whole segments whose records are all older than the cutoff, never the newest', async () => {
    const dir = tempDir();
    let now = new Date('2025-01-01T00:00:00.000Z');
    const day = (d: number) => new Date(Date.UTC(2025, 0, d));
    const log = await openLog(dir, { segmentMaxBytes: 10, clock: () => now }); // one record per segment
    for (const d of [1, 2, 3, 4]) {
      now = day(d);
      log.append({ n: d });
      await log.flush();
    }
    const segments = await listSegments(dir);
    expect(segments.map((segment) => segment.createdAt)).toEqual([day(1), day(2), day(3), day(4)]);
    const survivorsBefore = await Promise.all(segments.slice(1).map((segment) => fingerprint(segment.path)));

    // Segment 2 holds a record from day 2, which is not older than a cutoff just before day 3.
    const firstPrune = await log.pruneSegmentsOlderThan(new Date(day(3).getTime() - 1));
    expect(firstPrune).toEqual([segments[0]!.name]);
    expect(await Promise.all(segments.slice(1).map((segment) => fingerprint(segment.path)))).toEqual(survivorsBefore);
    expect((await log.readAll()).records.map((record) => record.n)).toEqual([2, 3, 4]);

    const secondPrune = await log.pruneSegmentsOlderThan(day(365));
    expect(secondPrune).toEqual([segments[1]!.name, segments[2]!.name]);
    expect((await listSegments(dir)).map((segment) => segment.name)).toEqual([segments[3]!.name]);
    log.append({ n: 5 });
    await log.flush();
    expect((await log.readAll()).records.map((record) => record.n)).toEqual([4, 5]);
  });

  it('refuses appends after close, and close is idempotent', async () => {
    const log = await openLog(tempDir());
    log.append({ n: 1 });
    await log.close();
    await log.close();
    expect(() => log.append({ n: 2 })).toThrow(AppendLogClosedError);
    expect((await log.readAll()).records).toEqual([{ n: 1 }]);
  });

  it('stops and reports when a write fails, refusing later appends', async () => {
    const onError = vi.fn();
    const log = await openLog(tempDir(), {
      onError,
      clock: () => {
        throw new Error('cannot create segment'); // fails the first segment creation
      },
    });
    log.append({ n: 1 });
    const flushError = await log.flush().catch((caught: unknown) => caught);
    expect(flushError).toBeInstanceOf(AppendLogFailedError);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(log.failure).toBe(flushError);
    expect(() => log.append({ n: 2 })).toThrow(AppendLogFailedError);
    await expect(log.close()).rejects.toBeInstanceOf(AppendLogFailedError);
  });

  it('does not keep the process alive with its fsync timer', async () => {
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    try {
      await openLog(tempDir(), { fsyncIntervalMs: 1000 });
      const timer = setIntervalSpy.mock.results.at(-1)?.value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
    } finally {
      setIntervalSpy.mockRestore();
    }
  });

  it('rejects records that are not JSON-serializable, synchronously', async () => {
    const log = await AppendLog.open<unknown>(tempDir(), { segmentMaxBytes: 1000, fsyncIntervalMs: 0 });
    expect(() => log.append(undefined)).toThrow(TypeError);
    expect(() => log.append({ big: 1n })).toThrow(TypeError);
    await log.close();
  });
});
