import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { decodeSegmentSummary, encodeSegmentSummary, SUMMARY_BYTES_PER_ENTRY, type SegmentSummary } from './segment-summary.js';
import type { IndexColumns } from './workspace-index.js';

function columns(count: number): IndexColumns {
  const refs = (pick: (i: number) => number) => Int32Array.from({ length: count }, (_, i) => pick(i));
  return {
    strings: ['key_a', 'Key A', 'mem_b', 'Ada → 🔑'],
    occurredAtMs: Float64Array.from({ length: count }, (_, i) => 1_767_225_600_000 + i * 1000.5),
    typeCode: Uint8Array.from({ length: count }, (_, i) => i % 18),
    flags: Uint8Array.from({ length: count }, (_, i) => i % 4),
    targetId: refs((i) => (i % 3 === 0 ? -1 : 0)),
    targetName: refs((i) => (i % 3 === 0 ? -1 : 1)),
    actorId: refs((i) => (i % 2 === 0 ? 2 : 0)),
    actorName: refs((i) => (i % 2 === 0 ? 3 : 1)),
    tag: Uint32Array.from({ length: count }, (_, i) => (i * 2_654_435_761) >>> 0),
    offset: Float64Array.from({ length: count }, (_, i) => i * 700),
    length: Uint32Array.from({ length: count }, () => 699),
  };
}

function summary(count = 25, overrides: Partial<SegmentSummary> = {}): SegmentSummary {
  return {
    segment: '000003-2026-01-01T00-00-00.000Z.ndjson',
    segmentBytes: count * 700 + 9,
    lastEvent: count === 0 ? null : { id: 'evt_LastLastLastLastLastLa', hash: 'ab'.repeat(32) },
    skippedLines: 2,
    tornTailBytes: 9,
    entries: columns(count),
    ...overrides,
  };
}

describe('segment summary format', () => {
  it('round-trips every field, the columns exactly, in about 42 bytes an entry', () => {
    const original = summary();
    const bytes = encodeSegmentSummary(original);
    expect(SUMMARY_BYTES_PER_ENTRY).toBe(42);
    expect(bytes.length).toBeLessThan(25 * SUMMARY_BYTES_PER_ENTRY + 400);
    const decoded = decodeSegmentSummary(bytes);
    expect(decoded).toEqual(original);
    expect(decoded!.entries.occurredAtMs).toBeInstanceOf(Float64Array);
    expect(decoded!.entries.targetId).toBeInstanceOf(Int32Array);
    expect(decoded!.entries.occurredAtMs.buffer).toBe(bytes.buffer); // viewed in place, not copied
  });

  it('round-trips a segment without events', () => {
    const empty = summary(0, { skippedLines: 3, tornTailBytes: 0, segmentBytes: 30 });
    expect(decodeSegmentSummary(encodeSegmentSummary(empty))).toEqual(empty);
  });

  it('decodes columns at any alignment in the buffer it is given', () => {
    const bytes = encodeSegmentSummary(summary());
    for (const shift of [1, 3, 4]) {
      const shifted = Buffer.concat([Buffer.alloc(shift), bytes]).subarray(shift);
      expect(decodeSegmentSummary(shifted)).toEqual(summary());
    }
  });

  it('rejects a summary cut short anywhere', () => {
    const bytes = encodeSegmentSummary(summary());
    for (let length = 0; length < bytes.length; length += 7) expect(decodeSegmentSummary(bytes.subarray(0, length))).toBeUndefined();
    expect(decodeSegmentSummary(bytes.subarray(0, bytes.length - 1))).toBeUndefined();
  });

  it('rejects a summary with a changed byte, in the header or in the columns', () => {
    const bytes = encodeSegmentSummary(summary());
    for (const at of [10, 50, 60, bytes.length - 30, bytes.length - 1]) {
      const damaged = Buffer.from(bytes);
      damaged[at] = damaged[at]! ^ 0x20;
      expect(decodeSegmentSummary(damaged)).toBeUndefined();
    }
  });

  it('rejects another format version, or a summary written in the other byte order', () => {
    const bytes = encodeSegmentSummary(summary());
    const otherVersion = Buffer.from(bytes);
    otherVersion.write('2', 4, 'latin1');
    expect(decodeSegmentSummary(otherVersion)).toBeUndefined();
    const otherOrder = Buffer.from(bytes);
    otherOrder.write(os.endianness() === 'LE' ? 'BE' : 'LE', 5, 'latin1');
    expect(decodeSegmentSummary(otherOrder)).toBeUndefined();
  });

  it('rejects a header of the wrong shape, even with a valid checksum', () => {
    const bad: Array<Partial<SegmentSummary>> = [
      { segmentBytes: -1 },
      { skippedLines: 1.5 },
      { segment: 7 as never },
      { lastEvent: { id: 'evt_x' } as never },
      { lastEvent: null }, // events, but no last event
    ];
    for (const overrides of bad) expect(decodeSegmentSummary(encodeSegmentSummary(summary(25, overrides)))).toBeUndefined();
    expect(decodeSegmentSummary(encodeSegmentSummary(summary(0, { lastEvent: { id: 'evt_x', hash: 'h' } })))).toBeUndefined();
  });

  it('rejects columns of unequal lengths', () => {
    const entries = columns(25);
    expect(decodeSegmentSummary(encodeSegmentSummary(summary(25, { entries: { ...entries, tag: entries.tag.subarray(1) } })))).toBeUndefined();
  });

  it('rejects entries that reference no string, no event type, or a line outside the segment', () => {
    const broken = (edit: (entries: IndexColumns) => void, overrides: Partial<SegmentSummary> = {}) => {
      const entries = columns(25);
      edit(entries);
      return decodeSegmentSummary(encodeSegmentSummary(summary(25, { entries, ...overrides })));
    };
    expect(broken((e) => (e.actorName[4] = 4))).toBeUndefined();
    expect(broken((e) => (e.targetId[4] = -2))).toBeUndefined();
    expect(broken((e) => (e.typeCode[4] = 200))).toBeUndefined();
    expect(broken((e) => (e.offset[4] = -700))).toBeUndefined();
    expect(broken((e) => (e.offset[4] = 0.5))).toBeUndefined();
    expect(broken(() => undefined, { segmentBytes: 24 * 700 + 698 })).toBeUndefined();
    expect(broken(() => undefined, { segmentBytes: 24 * 700 + 699 })).toBeDefined();
  });
});
