/** Cursor pagination over a list ordered by position: the cursor names the last item returned, opaquely. */
import { DomainError } from './errors.js';

export interface Page<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

export interface PageRequest {
  cursor?: string | undefined;
  limit?: number | undefined;
}

const invalidCursor = () =>
  new DomainError('invalid', 'invalid_cursor', 'Invalid cursor', 'The cursor is not one this list returned; start again without it.', {
    errors: [{ field: 'cursor', code: 'invalid_cursor', message: 'Pass the next_cursor of the previous page, unchanged.' }],
  });

function encode(position: string): string {
  return Buffer.from(JSON.stringify({ p: position }), 'utf8').toString('base64url');
}

function decode(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { p?: unknown };
    if (typeof parsed.p !== 'string') throw new Error('no position');
    return parsed.p;
  } catch {
    throw invalidCursor();
  }
}

/**
 * One page of `items`, in the order of their positions: unique strings (e.g. `created_at|id`)
 * that sort like the list. The items need not be sorted (see {@link PageSelector}).
 */
export function pageOf<T>(items: Iterable<T>, positionOf: (item: T) => string, request: PageRequest, order: 'asc' | 'desc'): Page<T> {
  const selector = new PageSelector(positionOf, request, order);
  for (const item of items) selector.offer(item);
  return selector.page();
}

/**
 * Picks a page from items offered one at a time, in any order, holding only the best `limit` so
 * far: a page of 100,000 keys costs neither a sort of them all nor holding them all.
 */
export class PageSelector<T> {
  readonly #positionOf: (item: T) => string;
  readonly #after: string | undefined;
  readonly #limit: number;
  /** Whether position `a` comes before `b` in the list. */
  readonly #precedes: (a: string, b: string) => boolean;
  readonly #best: Array<{ item: T; position: string }> = [];
  #candidates = 0;

  constructor(positionOf: (item: T) => string, request: PageRequest, order: 'asc' | 'desc') {
    const { after, limit } = pageBounds(request);
    this.#positionOf = positionOf;
    this.#after = after;
    this.#limit = limit;
    this.#precedes = order === 'asc' ? (a, b) => a < b : (a, b) => a > b;
  }

  offer(item: T): void {
    const position = this.#positionOf(item);
    const precedes = this.#precedes;
    if (this.#after !== undefined && !precedes(this.#after, position)) return;
    this.#candidates += 1;
    const best = this.#best;
    const limit = this.#limit;
    if (best.length === limit && (limit === 0 || !precedes(position, best[limit - 1]!.position))) return;
    let low = 0;
    let high = best.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (precedes(best[middle]!.position, position)) low = middle + 1;
      else high = middle;
    }
    best.splice(low, 0, { item, position });
    if (best.length > limit) best.pop();
  }

  page(): Page<T> {
    return pageFrom(this.#best.map((entry) => entry.item), this.#candidates > this.#limit, this.#positionOf);
  }
}

/**
 * Where the page a request asks for starts (after the position its cursor names; undefined: at
 * the list's start) and how many items it holds, for a list that picks its pages itself (e.g. a
 * store from an index); {@link pageFrom} then makes the page, as {@link pageOf} would.
 */
export function pageBounds(request: PageRequest): { after: string | undefined; limit: number } {
  return { after: request.cursor === undefined ? undefined : decode(request.cursor), limit: request.limit ?? 20 };
}

/** The page of `data`, the items picked in list order; `more`: items follow them. */
export function pageFrom<T>(data: T[], more: boolean, positionOf: (item: T) => string): Page<T> {
  const last = data.at(-1);
  return { data, has_more: more, next_cursor: more && last !== undefined ? encode(positionOf(last)) : null };
}

export const byCreation = (item: { created_at: string; id: string }) => `${item.created_at}|${item.id}`;
