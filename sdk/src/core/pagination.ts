/**
 * Cursor pagination. Tessera lists answer `{ data, has_more, next_cursor }` and take `?cursor=&limit=`.
 *
 *   const page = await client.apiKeys.list();          // first page
 *   for await (const key of client.apiKeys.list()) {}  // every item of every page
 */
import { TesseraError } from './errors.js';

/** The wire shape of a list response. */
export interface ListResponse<T> {
  /** The items of this page. */
  data: T[];
  /** Whether another page follows. */
  has_more: boolean;
  /** The cursor of the next page; null on the last. */
  next_cursor: string | null;
}

/** Fetches the page starting at `cursor` (`undefined` = the first page). */
export type FetchPage<T> = (cursor: string | undefined) => Promise<ListResponse<T>>;

/** One page of a list; iterate it with `for await` to walk it and every following page. */
export class Page<T> implements AsyncIterable<T> {
  /** The items of this page. */
  readonly data: T[];
  /** Whether another page follows. */
  readonly hasMore: boolean;
  /** The cursor of the next page; null on the last. */
  readonly nextCursor: string | null;
  readonly #fetchPage: FetchPage<T>;
  readonly #cursor: string | undefined;

  constructor(response: ListResponse<T>, fetchPage: FetchPage<T>, cursor?: string) {
    this.data = response.data;
    this.hasMore = response.has_more;
    this.nextCursor = response.next_cursor;
    this.#fetchPage = fetchPage;
    this.#cursor = cursor;
  }

  /** Whether {@link Page.getNextPage} can be called. */
  hasNextPage(): boolean {
    return this.hasMore && this.nextCursor !== null && this.nextCursor !== '';
  }

  /** Fetches the next page; throws when there is none. */
  async getNextPage(): Promise<Page<T>> {
    if (!this.hasNextPage()) throw new TesseraError('There is no next page: check hasNextPage() first.');
    const cursor = this.nextCursor!;
    // A server that hands back the cursor it was given would make iteration loop forever.
    if (cursor === this.#cursor) throw new TesseraError(`The server returned the same cursor ${JSON.stringify(cursor)} again; stopping to avoid an endless loop.`);
    return new Page(await this.#fetchPage(cursor), this.#fetchPage, cursor);
  }

  /** This page and each following one. */
  async *iterPages(): AsyncGenerator<Page<T>, void, undefined> {
    let page: Page<T> = this;
    yield page;
    while (page.hasNextPage()) {
      page = await page.getNextPage();
      yield page;
    }
  }

  /** Every item from this page on, fetching further pages as needed. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.iterPages()) yield* page.data;
  }
}

/**
 * Both a promise of the first page and an async iterable over every item. The first page is requested when
 * first awaited or iterated (not at construction), so a list call nobody consumes sends nothing and can
 * never become an unhandled rejection; awaiting and iterating share that one request.
 */
export class PagePromise<T> implements PromiseLike<Page<T>>, AsyncIterable<T> {
  readonly #fetchPage: FetchPage<T>;
  readonly #cursor: string | undefined;
  #first: Promise<Page<T>> | undefined;

  constructor(fetchPage: FetchPage<T>, cursor?: string) {
    this.#fetchPage = fetchPage;
    this.#cursor = cursor;
  }

  #firstPage(): Promise<Page<T>> {
    this.#first ??= this.#fetchPage(this.#cursor).then((response) => new Page(response, this.#fetchPage, this.#cursor));
    return this.#first;
  }

  /** Promise `then`, resolving with the first page. */
  then<R1 = Page<T>, R2 = never>(
    onfulfilled?: ((page: Page<T>) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#firstPage().then(onfulfilled, onrejected);
  }

  /** Promise `catch`, on the first page. */
  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<Page<T> | R> {
    return this.#firstPage().catch(onrejected);
  }

  /** Promise `finally`, on the first page. */
  finally(onfinally?: (() => void) | null): Promise<Page<T>> {
    return this.#firstPage().finally(onfinally);
  }

  /** Every item of every page, fetching pages as needed. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    yield* await this.#firstPage();
  }
}

/** A `PagePromise` over `fetchPage`, starting at `cursor` (default: the first page). */
export function paginate<T>(fetchPage: FetchPage<T>, cursor?: string): PagePromise<T> {
  return new PagePromise(fetchPage, cursor);
}
