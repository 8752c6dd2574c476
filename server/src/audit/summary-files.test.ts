import { appendFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSegments, segmentName, type SegmentInfo } from '../storage/append-log.js';
import { useTempDir } from '../storage/test-support.js';
import { decodeSegmentSummary } from './segment-summary.js';
import { readSegmentSummaries, readSegmentSummary, removeSegmentSummary, summaryPathOf, writeSegmentSummary } from './summary-files.js';
import type { IndexColumns } from './workspace-index.js';

const tempDir = useTempDir('tessera-summary-');

const LINES = [0, 1, 2].map((i) => JSON.stringify({ id: `evt_${i}`, type: 'api_key.used', hash: `h${i}` }));

/** A segment of three event lines and the index columns of its first `count` events. */
async function segmentWithEvents(count = 3, sequence = 1): Promise<{ segment: SegmentInfo; entries: IndexColumns; bytes: number }> {
  const dir = tempDir();
  const name = segmentName(sequence, new Date(Date.UTC(2026, 0, 1)));
  const text = LINES.map((line) => `${line}\n`).join('');
  await writeFile(path.join(dir, name), text);
  const offsets = LINES.slice(0, count).map((_, i) => LINES.slice(0, i).reduce((sum, line) => sum + line.length + 1, 0));
  const entries: IndexColumns = {
    strings: [],
    occurredAtMs: new Float64Array(count),
    typeCode: new Uint8Array(count),
    flags: new Uint8Array(count),
    targetId: new Int32Array(count).fill(-1),
    targetName: new Int32Array(count).fill(-1),
    actorId: new Int32Array(count).fill(-1),
    actorName: new Int32Array(count).fill(-1),
    tag: new Uint32Array(count),
    offset: Float64Array.from(offsets),
    length: Uint32Array.from(LINES.slice(0, count).map((line) => line.length)),
  };
  const segment = (await listSegments(dir)).find((candidate) => candidate.name === name);
  return { segment: segment!, entries, bytes: Buffer.byteLength(text) };
}

describe('segment summary files', () => {
  it('writes a summary that names its segment, size and last event, and reads it back', async () => {
    const { segment, entries, bytes } = await segmentWithEvents();
    await writeSegmentSummary(segment.path, { segmentBytes: bytes, skippedLines: 0, tornTailBytes: 0, entries });
    const written = decodeSegmentSummary(await readFile(summaryPathOf(segment.path)));
    expect(written).toMatchObject({ segment: segment.name, segmentBytes: bytes, lastEvent: { id: 'evt_2', hash: 'h2' } });
    expect(await readSegmentSummary(segment)).toEqual(written);
  });

  it('summarizes a segment without events', async () => {
    const { segment, entries, bytes } = await segmentWithEvents(0);
    await writeSegmentSummary(segment.path, { segmentBytes: bytes, skippedLines: 3, tornTailBytes: 0, entries });
    expect(await readSegmentSummary(segment)).toMatchObject({ lastEvent: null, skippedLines: 3 });
  });

  it('refuses to summarize when the last indexed line is not an event', async () => {
    const { segment, entries, bytes } = await segmentWithEvents();
    entries.offset[2] = 1; // points into the middle of the first line
    await expect(writeSegmentSummary(segment.path, { segmentBytes: bytes, skippedLines: 0, tornTailBytes: 0, entries })).rejects.toThrow(/not an event/);
    expect(await readdir(tempDir())).toEqual([segment.name]);
  });

  it('removes the temp file an interrupted write left, and replaces an older summary', async () => {
    const { segment, entries, bytes } = await segmentWithEvents();
    const leftover = path.join(tempDir(), `.${segment.name}.idx.12345.abcdef.tmp`);
    await writeFile(leftover, 'half a summary');
    await writeFile(summaryPathOf(segment.path), 'an old summary');
    await writeSegmentSummary(segment.path, { segmentBytes: bytes, skippedLines: 0, tornTailBytes: 0, entries });
    expect((await readdir(tempDir())).sort()).toEqual([segment.name, `${segment.name}.idx`]);
    expect(await readSegmentSummary(segment)).toBeDefined();
  });

  it('ignores a missing, unreadable or damaged summary', async () => {
    const { segment, entries, bytes } = await segmentWithEvents();
    expect(await readSegmentSummary(segment)).toBeUndefined();
    await mkdir(summaryPathOf(segment.path));
    expect(await readSegmentSummary(segment)).toBeUndefined();
    await rm(summaryPathOf(segment.path), { recursive: true });
    await writeSegmentSummary(segment.path, { segmentBytes: bytes, skippedLines: 0, tornTailBytes: 0, entries });
    const summaryPath = summaryPathOf(segment.path);
    await writeFile(summaryPath, (await readFile(summaryPath)).subarray(0, 60));
    expect(await readSegmentSummary(segment)).toBeUndefined();
  });

  it('ignores a summary that does not match its segment: other size, other last event, other segment, segment gone', async () => {
    const { segment, entries, bytes } = await segmentWithEvents();
    const write = () => writeSegmentSummary(segment.path, { segmentBytes: bytes, skippedLines: 0, tornTailBytes: 0, entries });
    await write();
    await appendFile(segment.path, `${LINES[0]}\n`);
    expect(await readSegmentSummary(segment)).toBeUndefined();

    await writeFile(segment.path, LINES.map((line) => `${line.replace('"h2"', '"h9"')}\n`).join('')); // same size
    expect(await readSegmentSummary(segment)).toBeUndefined();

    await writeFile(segment.path, LINES.map((line) => `${line}\n`).join(''));
    expect(await readSegmentSummary(segment)).toBeDefined();
    const other = { ...segment, name: segmentName(2, segment.createdAt), path: path.join(tempDir(), segmentName(2, segment.createdAt)) };
    await writeFile(other.path, await readFile(segment.path));
    await writeFile(summaryPathOf(other.path), await readFile(summaryPathOf(segment.path)));
    expect(await readSegmentSummary(other)).toBeUndefined();

    await rm(segment.path);
    expect(await readSegmentSummary(segment)).toBeUndefined();
  });

  it('reads the summaries of many segments ahead, handing them out in order', async () => {
    const segments: SegmentInfo[] = [];
    for (let sequence = 1; sequence <= 9; sequence += 1) {
      const { segment, entries, bytes } = await segmentWithEvents(3, sequence);
      if (sequence % 3 !== 0) await writeSegmentSummary(segment.path, { segmentBytes: bytes, skippedLines: sequence, tornTailBytes: 0, entries });
      segments.push(segment);
    }
    const seen: Array<[string, number | undefined]> = [];
    for await (const { segment, summary } of readSegmentSummaries(segments, 3)) seen.push([segment.name, summary?.skippedLines]);
    expect(seen).toEqual(segments.map((segment) => [segment.name, segment.sequence % 3 === 0 ? undefined : segment.sequence]));
  });

  it('removes a summary, and removing a missing one is no error', async () => {
    const { segment, entries, bytes } = await segmentWithEvents();
    await writeSegmentSummary(segment.path, { segmentBytes: bytes, skippedLines: 0, tornTailBytes: 0, entries });
    await removeSegmentSummary(segment.path);
    await removeSegmentSummary(segment.path);
    expect(await readdir(tempDir())).toEqual([segment.name]);
  });
});
