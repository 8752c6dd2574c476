import { describe, expect, it } from 'vitest';
import { byCreation, pageOf, type Page } from './pagination.js';

interface Item {
  id: string;
  created_at: string;
}

/** The obvious definition: sort everything, then cut the page after the cursor. */
function sortedPage(items: Item[], order: 'asc' | 'desc', after: string | undefined, limit: number): Item[] {
  const sorted = [...items].sort((a, b) => (byCreation(a) < byCreation(b) ? -1 : 1));
  if (order === 'desc') sorted.reverse();
  const rest = after === undefined ? sorted : sorted.filter((item) => (order === 'asc' ? byCreation(item) > after : byCreation(item) < after));
  return rest.slice(0, limit);
}

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function items(count: number, next: () => number): Item[] {
  // Few distinct times, so ties on created_at are decided by the id.
  return Array.from({ length: count }, (_, i) => ({
    id: `key_${String(i).padStart(4, '0')}`,
    created_at: new Date(Date.UTC(2026, 0, 1) + Math.floor(next() * 5) * 1000).toISOString(),
  }));
}

function walk(list: Item[], order: 'asc' | 'desc', limit: number): Array<Page<Item>> {
  const pages: Array<Page<Item>> = [];
  let cursor: string | undefined;
  do {
    const page = pageOf(list, byCreation, { cursor, limit }, order);
    pages.push(page);
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined && pages.length <= list.length + 1);
  return pages;
}

describe('pageOf', () => {
  it('gives the pages a full sort would, for unsorted input, both orders and any limit', () => {
    const next = random(7);
    for (let round = 0; round < 40; round += 1) {
      const list = items(Math.floor(next() * 60), next);
      const order = next() < 0.5 ? 'asc' : 'desc';
      const limit = 1 + Math.floor(next() * 12);
      const pages = walk(list, order, limit);
      const expectedAll = sortedPage(list, order, undefined, list.length);
      expect(pages.flatMap((page) => page.data)).toEqual(expectedAll);
      pages.forEach((page, index) => {
        const last = index === pages.length - 1;
        expect(page.has_more).toBe(!last);
        expect(page.next_cursor === null).toBe(last);
        expect(page.data.length).toBe(last ? expectedAll.length - limit * index : limit);
      });
    }
  });

  it('answers an empty page, without a cursor, when nothing is left', () => {
    expect(pageOf([], byCreation, { limit: 5 }, 'asc')).toEqual({ data: [], has_more: false, next_cursor: null });
    const list = items(3, random(1));
    const [first] = walk(list, 'desc', 3);
    expect(first).toMatchObject({ has_more: false, next_cursor: null });
    expect(first!.data).toHaveLength(3);
  });

  it('keeps the page exact when a cursor item was deleted meanwhile', () => {
    const list = items(10, random(3));
    const first = pageOf(list, byCreation, { limit: 4 }, 'asc');
    const without = list.filter((item) => item !== first.data.at(-1));
    const second = pageOf(without, byCreation, { cursor: first.next_cursor!, limit: 4 }, 'asc');
    expect(second.data).toEqual(sortedPage(list, 'asc', byCreation(first.data.at(-1)!), 4));
  });

  it('refuses a cursor it did not make', () => {
    expect(() => pageOf(items(3, random(2)), byCreation, { cursor: 'not-a-cursor' }, 'asc')).toThrow(expect.objectContaining({ code: 'invalid_cursor' }));
  });
});
