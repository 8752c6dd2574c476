import { describe, expect, it } from 'vitest';
import { benchFilters, buildSyntheticIndex, syntheticEventContent } from './bench-support.js';
import { resolveFilters } from './filters.js';
import { WorkspaceIndex } from './workspace-index.js';

describe('workspace index on 1,000,000 events', () => {
  const COUNT = 1_000_000;
  const index = buildSyntheticIndex(COUNT);
  const now = Date.UTC(2026, 0, 1) + COUNT * 1000;

  it('returns first pages newest first, with the right matches', () => {
    expect(index.size).toBe(COUNT);
    for (const { name, filters } of benchFilters()) {
      const page = index.scan(index.compile(resolveFilters(filters, now)), undefined, 21);
      for (let i = 1; i < page.length; i += 1) expect(page[i]!).toBeLessThan(page[i - 1]!);
      if (name === 'none') expect(page).toEqual(Array.from({ length: 21 }, (_, i) => COUNT - 1 - i));
      if (name === 'no match (unknown key)') expect(page).toEqual([]);
      if (name === 'event_type=failed_auth') for (const o of page) expect(syntheticEventContent(o).type).toBe('api_key.failed_auth');
      if (name === 'key_id') for (const o of page) expect(o % 199).toBe(7);
    }
  });

  it('counts match the generator', () => {
    const count = (filters: object) => index.countMatching(index.compile(resolveFilters(filters, now)));
    expect(count({ event_type: ['api_key.failed_auth'] })).toBe(COUNT * 0.06);
    expect(count({ event_type: ['api_key.rate_limited'] })).toBe(COUNT * 0.03);
    // Key 7: every 199th event; its failed authentications have no key.
    const key7 = count({ key_id: benchFilters()[2]!.filters.key_id });
    let expected = 0;
    for (let i = 7; i < COUNT; i += 199) if (syntheticEventContent(i).type !== 'api_key.failed_auth') expected += 1;
    expect(key7).toBe(expected);
    expect(count({ range: '24h' })).toBe(86_400);
  });

  it('pages through a filter with before-ordinals and prunes a prefix', () => {
    const small = new WorkspaceIndex(4);
    for (let i = 0; i < 100; i += 1) {
      small.add({ occurredAtMs: i, typeCode: i % 2, targetId: null, targetName: null, targetIsKey: false, actorId: `a${i % 3}`, actorName: null, actorIsKey: false, tag: i });
    }
    const filter = small.compile(resolveFilters({ actor_id: 'a1' }, 1000));
    const first = small.scan(filter, undefined, 5);
    expect(first).toEqual([97, 94, 91, 88, 85]);
    expect(small.scan(filter, first.at(-1), 3)).toEqual([82, 79, 76]);
    expect(small.dropBefore(90)).toBe(90);
    expect(small.countMatching(filter)).toBe(3);
    expect(small.findTag(95)).toBe(95);
    expect(small.findTag(5)).toBeUndefined();
    for (let i = 100; i < 5000; i += 1) {
      small.add({ occurredAtMs: i, typeCode: 0, targetId: null, targetName: null, targetIsKey: false, actorId: 'a1', actorName: null, actorIsKey: false, tag: i });
    }
    expect(small.dropBefore(4990)).toBe(4900);
    expect(small.size).toBe(10);
    expect(small.scan(filter, undefined, 2)).toEqual([4999, 4998]);
  });

  it('stops at `from` exactly even when events arrive slightly out of time order', () => {
    const idx = new WorkspaceIndex();
    const times = [10, 30, 20, 40, 35, 50];
    times.forEach((t, i) => idx.add({ occurredAtMs: t, typeCode: 0, targetId: null, targetName: null, targetIsKey: false, actorId: null, actorName: null, actorIsKey: false, tag: i }));
    const f = idx.compile({ ...resolveFilters({}, 0), fromMs: 25, toMs: 45 });
    expect(idx.scan(f, undefined, 10)).toEqual([4, 3, 1]);
  });
});

describe('workspace index segment columns', () => {
  const entry = (i: number) => ({
    occurredAtMs: 1000 + ((i * 37) % 101), // out of time order on purpose
    typeCode: i % 5,
    targetId: i % 4 === 0 ? null : `key_${i % 3}`,
    targetName: i % 4 === 0 ? null : `Key ${i % 3}`,
    targetIsKey: i % 4 !== 0,
    actorId: i % 6 === 0 ? null : `mem_${i % 2}`,
    actorName: i % 6 === 0 ? null : `Member ${i % 2}`,
    actorIsKey: i % 5 === 0,
    tag: i * 7,
  });

  /** 60 entries in segments 1, 2 and 4 (20 each), the last 5 not written yet. */
  function written(): WorkspaceIndex {
    const index = new WorkspaceIndex(16);
    for (let i = 0; i < 65; i += 1) {
      const segment = i < 20 ? 1 : i < 40 ? 2 : 4;
      index.add(entry(i), i < 60 ? { segment, offset: (i % 20) * 50, length: 49 } : undefined);
    }
    return index;
  }

  function everything(index: WorkspaceIndex): unknown[] {
    const rows: unknown[] = [];
    for (let o = index.firstOrdinal; o < index.nextOrdinal; o += 1) rows.push([o, index.tag(o), index.occurredAtMs(o), index.location(o)]);
    return rows;
  }

  it('returns exactly the live entries of one segment, with their own strings', () => {
    const index = written();
    const second = index.segmentColumns(2)!;
    expect(Array.from(second.tag)).toEqual(Array.from({ length: 20 }, (_, i) => (20 + i) * 7));
    expect(Array.from(second.offset)).toEqual(Array.from({ length: 20 }, (_, i) => i * 50));
    expect(second.strings.sort()).toEqual(['Key 0', 'Key 1', 'Key 2', 'Member 0', 'Member 1', 'key_0', 'key_1', 'key_2', 'mem_0', 'mem_1']);
    expect(index.segmentColumns(3)!.tag).toHaveLength(0); // no such segment
    expect(index.segmentColumns(5)!.tag).toHaveLength(0); // the unwritten entries belong to none
  });

  it('gives no columns for a segment whose older entries were dropped, until it is dropped whole', () => {
    const index = written();
    index.dropBefore(10);
    expect(index.segmentColumns(1)).toBeUndefined();
    expect(index.segmentColumns(2)).toBeDefined();
    index.dropBefore(10); // drops nothing: still cut
    expect(index.segmentColumns(1)).toBeUndefined();
    index.dropBefore(25);
    expect(index.segmentColumns(1)!.tag).toHaveLength(0);
    expect(index.segmentColumns(2)).toBeUndefined();
    index.dropBefore(40); // exactly at the start of segment 4
    expect(index.segmentColumns(2)!.tag).toHaveLength(0);
    expect(index.segmentColumns(4)!.tag).toHaveLength(20);
    index.dropBefore(65); // everything, the unwritten entries too
    expect(index.segmentColumns(4)!.tag).toHaveLength(0);
  });

  it('rebuilds from segment columns an index that answers like the original', () => {
    const original = written();
    const rebuilt = new WorkspaceIndex(16);
    rebuilt.add(entry(1000), { segment: 0, offset: 0, length: 1 }); // interned strings of its own first
    rebuilt.dropBefore(1);
    for (const segment of [1, 2, 4]) rebuilt.addSegmentColumns(original.segmentColumns(segment)!, segment);
    const originalRows = everything(original).slice(0, 60);
    expect(everything(rebuilt).map((row) => [(row as number[])[0]! - 1, ...(row as unknown[]).slice(1)])).toEqual(originalRows);
    for (const filters of [{}, { key_id: 'key_1' }, { key_name: 'Key 2' }, { actor_id: 'mem_0' }, { event_type: ['member.created'] }, { from: new Date(1050).toISOString() }]) {
      const expected = original.scan(original.compile(resolveFilters(filters as never, 10_000)), 60, 100);
      expect(expected.length).toBeGreaterThan(0);
      const actual = rebuilt.scan(rebuilt.compile(resolveFilters(filters as never, 10_000)), 61, 100);
      expect(actual.map((o) => o - 1)).toEqual(expected);
    }
  });
});
