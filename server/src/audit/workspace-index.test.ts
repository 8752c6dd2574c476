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
