import { describe, expect, it } from 'vitest';
import { byCreation, pageOf, type ListIdentity, type Page } from './pagination.js';

const LIST: ListIdentity = { list: 'api-keys', within: ['ws_1'], filters: { status: 'active' } };

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
    const page = pageOf(list, byCreation, { cursor, limit }, order, LIST);
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
    expect(pageOf([], byCreation, { limit: 5 }, 'asc', LIST)).toEqual({ data: [], has_more: false, next_cursor: null });
    const list = items(3, random(1));
    const [first] = walk(list, 'desc', 3);
    expect(first).toMatchObject({ has_more: false, next_cursor: null });
    expect(first!.data).toHaveLength(3);
  });

  it('keeps the page exact when a cursor item was deleted meanwhile', () => {
    const list = items(10, random(3));
    const first = pageOf(list, byCreation, { limit: 4 }, 'asc', LIST);
    const without = list.filter((item) => item !== first.data.at(-1));
    const second = pageOf(without, byCreation, { cursor: first.next_cursor!, limit: 4 }, 'asc', LIST);
    expect(second.data).toEqual(sortedPage(list, 'asc', byCreation(first.data.at(-1)!), 4));
  });

  it('refuses a cursor it did not make', () => {
    expect(() => pageOf(items(3, random(2)), byCreation, { cursor: 'not-a-cursor' }, 'asc', LIST)).toThrow(expect.objectContaining({ code: 'invalid_cursor' }));
  });

  it('walks the whole list when the page size changes between pages', () => {
    const list = items(40, random(11));
    const limits = [3, 7, 1, 12, 5, 100];
    const seen: Item[] = [];
    let cursor: string | undefined;
    for (let step = 0; step === 0 || cursor !== undefined; step += 1) {
      const page = pageOf(list, byCreation, { cursor, limit: limits[step % limits.length] }, 'desc', LIST);
      seen.push(...page.data);
      cursor = page.next_cursor ?? undefined;
    }
    expect(seen).toEqual(sortedPage(list, 'desc', undefined, list.length));
  });

  it('refuses a cursor from another list, another workspace or other filters, and one made by hand', () => {
    const list = items(10, random(4));
    const cursor = pageOf(list, byCreation, { limit: 3 }, 'asc', LIST).next_cursor!;
    const refused = (identity: ListIdentity, c = cursor) => expect(() => pageOf(list, byCreation, { cursor: c, limit: 3 }, 'asc', identity)).toThrow(
      expect.objectContaining({ code: 'invalid_cursor', extras: expect.objectContaining({ errors: [expect.objectContaining({ field: 'cursor', code: 'invalid_cursor' })] }) }),
    );
    refused({ ...LIST, list: 'members' });
    refused({ ...LIST, within: ['ws_2'] });
    refused({ ...LIST, filters: { status: 'revoked' } });
    refused({ ...LIST, filters: {} });
    refused({ ...LIST, filters: { status: 'active', environment: 'live' } });
    // Valid shapes, with no digest or another list's.
    const handMade = (body: object) => Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
    refused(LIST, 'eyJwIjoiMCJ9');
    refused(LIST, handMade({ p: byCreation(list[0]!) }));
    refused(LIST, handMade({ p: byCreation(list[0]!), l: 'AAAAAAAAAAAA' }));
    refused(LIST, handMade({ p: byCreation(list[0]!), l: 42 }));
    refused(LIST, handMade([1]));
    // The same list: filters left undefined count as absent, and their order does not matter.
    const same: ListIdentity = { list: 'api-keys', within: ['ws_1'], filters: { search: undefined, status: 'active' } };
    expect(pageOf(list, byCreation, { cursor, limit: 3 }, 'asc', same).data).toHaveLength(3);
    expect(cursor.length).toBeLessThan(160);
  });
});
