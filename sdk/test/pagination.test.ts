import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createTransport, dataOrThrow } from '../src/core/client.js';
import { NotFoundError, TesseraError } from '../src/core/errors.js';
import { Page, paginate, type FetchPage } from '../src/core/pagination.js';
import { API_KEY, BASE_URL, problemResponse, recordingSleep, useMswServer } from './helpers.js';
import { thingsApi, type TestPaths, type Thing } from './test-paths.js';

const server = useMswServer();

const ALL: Thing[] = Array.from({ length: 5 }, (_, i) => ({ id: `thing_${i + 1}`, name: `Thing ${i + 1}` }));

/** Serves ALL in pages of `limit`, with opaque cursors, and records the cursor of every request. */
function serveThings(options: { failOnCursor?: string } = {}) {
  const cursors: Array<string | null> = [];
  server.use(
    thingsApi.get('/v1/things', ({ request }) => {
      const url = new URL(request.url);
      const cursor = url.searchParams.get('cursor');
      cursors.push(cursor);
      if (cursor !== null && cursor === options.failOnCursor) return problemResponse(404, { code: 'cursor_not_found', detail: 'Unknown cursor.' });
      const limit = Number(url.searchParams.get('limit') ?? 2);
      const start = cursor ? Number(atob(cursor)) : 0;
      const data = ALL.slice(start, start + limit);
      const hasMore = start + limit < ALL.length;
      return HttpResponse.json({ data, has_more: hasMore, next_cursor: hasMore ? btoa(String(start + limit)) : null });
    }),
  );
  return cursors;
}

function listThings(limit = 2) {
  const client = createTransport({ apiKey: API_KEY, baseURL: BASE_URL }, { sleep: recordingSleep(), globals: {} }).createTypedClient<TestPaths>();
  const fetchPage: FetchPage<Thing> = (cursor) => dataOrThrow(client.GET('/v1/things', { params: { query: { cursor, limit } } }));
  return paginate(fetchPage);
}

describe('PagePromise', () => {
  it('awaits to the first page', async () => {
    const cursors = serveThings();
    const page = await listThings();
    expect(page).toBeInstanceOf(Page);
    expect(page.data.map((t) => t.id)).toEqual(['thing_1', 'thing_2']);
    expect(page.hasMore).toBe(true);
    expect(page.nextCursor).toBe(btoa('2'));
    expect(cursors).toEqual([null]);
  });

  it('walks every item across 3 pages with for await', async () => {
    const cursors = serveThings();
    const ids: string[] = [];
    for await (const thing of listThings()) ids.push(thing.id);
    expect(ids).toEqual(['thing_1', 'thing_2', 'thing_3', 'thing_4', 'thing_5']);
    expect(cursors).toEqual([null, btoa('2'), btoa('4')]);
  });

  it('lets a page be walked by hand with getNextPage', async () => {
    serveThings();
    const first = await listThings();
    const second = await first.getNextPage();
    const third = await second.getNextPage();
    expect([first, second, third].map((p) => p.data.length)).toEqual([2, 2, 1]);
    expect(third.hasNextPage()).toBe(false);
    expect(third.nextCursor).toBeNull();
    await expect(third.getNextPage()).rejects.toThrow(/no next page/);
  });

  it('iterates pages, and items from a page already fetched', async () => {
    serveThings();
    const first = await listThings();
    const sizes: number[] = [];
    for await (const page of first.iterPages()) sizes.push(page.data.length);
    expect(sizes).toEqual([2, 2, 1]);
    const ids: string[] = [];
    for await (const thing of first) ids.push(thing.id);
    expect(ids).toHaveLength(5);
  });

  it('sends nothing until awaited or iterated, and shares the first request between both', async () => {
    const cursors = serveThings();
    const list = listThings(10);
    await Promise.resolve();
    expect(cursors).toEqual([]);
    const page = await list;
    const items: Thing[] = [];
    for await (const thing of list) items.push(thing);
    expect(page.data).toHaveLength(5);
    expect(items).toHaveLength(5);
    expect(cursors).toEqual([null]);
  });

  it('stops with the API error when a later page fails', async () => {
    serveThings({ failOnCursor: btoa('4') });
    const ids: string[] = [];
    const error = await (async () => {
      for await (const thing of listThings()) ids.push(thing.id);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(ids).toEqual(['thing_1', 'thing_2', 'thing_3', 'thing_4']);
  });

  it('refuses to loop when the server returns the cursor it was given', async () => {
    const stuck: FetchPage<number> = async () => ({ data: [1], has_more: true, next_cursor: 'same' });
    const seen: number[] = [];
    const error = await (async () => {
      for await (const n of paginate(stuck)) seen.push(n);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TesseraError);
    expect((error as Error).message).toMatch(/same cursor "same"/);
    expect(seen).toEqual([1, 1]);
  });

  it('treats has_more without a cursor as the end', async () => {
    const page = await paginate<number>(async () => ({ data: [1], has_more: true, next_cursor: null }));
    expect(page.hasNextPage()).toBe(false);
  });

  it('supports catch and finally like a promise', async () => {
    const failing = paginate<number>(async () => {
      throw new Error('boom');
    });
    await expect(failing.catch((e: unknown) => (e as Error).message)).resolves.toBe('boom');
    let finalized = false;
    await paginate<number>(async () => ({ data: [], has_more: false, next_cursor: null })).finally(() => {
      finalized = true;
    });
    expect(finalized).toBe(true);
  });
});
