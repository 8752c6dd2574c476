/**
 * Cursor pagination over a list ordered by position: the cursor names the last item returned, and
 * a short digest of the list it came from (see {@link ListIdentity}), opaquely.
 */
import { createHash } from 'node:crypto';
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

/**
 * What a cursor is valid for: the list (e.g. `api-keys`), the ids it lies under (the workspace;
 * e.g. an alert subscription), and the filters that decide which items it holds or their order.
 * Never the page size: a walk may change `limit` between pages. A filter that is undefined counts
 * as absent.
 */
export interface ListIdentity {
  list: string;
  within?: readonly string[];
  filters?: Readonly<Record<string, string | number | boolean | null | undefined>>;
}

const invalidCursor = (detail = 'The cursor is not one this list returned; start again without it.') =>
  new DomainError('invalid', 'invalid_cursor', 'Invalid cursor', detail, {
    errors: [{ field: 'cursor', code: 'invalid_cursor', message: 'Pass the next_cursor of the previous page, unchanged, with the same filters.' }],
  });

/** A short digest of a list's identity (72 bits), which its cursors carry. */
export function listDigest(identity: ListIdentity): string {
  const filters = Object.entries(identity.filters ?? {})
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256')
    .update(JSON.stringify([identity.list, identity.within ?? [], filters]))
    .digest('base64url')
    .slice(0, 12);
}

function encode(position: string, identity: ListIdentity): string {
  return Buffer.from(JSON.stringify({ p: position, l: listDigest(identity) }), 'utf8').toString('base64url');
}

function decode(cursor: string, identity: ListIdentity): string {
  let parsed: { p?: unknown; l?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { p?: unknown; l?: unknown };
  } catch {
    throw invalidCursor();
  }
  if (typeof parsed !== 'object' || parsed === null || typeof parsed.p !== 'string' || typeof parsed.l !== 'string') throw invalidCursor();
  if (parsed.l !== listDigest(identity)) throw invalidCursor('The cursor belongs to another list, or to this list with other filters; start again without it.');
  return parsed.p;
}

/**
 * One page of `items`, in the order of their positions: unique strings (e.g. `created_at|id`)
 * that sort like the list. The items need not be sorted (see {@link PageSelector}).
 */
export function pageOf<T>(items: Iterable<T>, positionOf: (item: T) => string, request: PageRequest, order: 'asc' | 'desc', identity: ListIdentity): Page<T> {
  const selector = new PageSelector(positionOf, request, order, identity);
  for (const item of items) selector.offer(item);
  return selector.page();
}

/**
 * Picks a page from items offered one at a time, in any order, holding only the best `limit` so
 * far: a page of 100,000 keys costs neither a sort of them all nor holding them all.
 */
export class PageSelector<T> {
  readonly #positionOf: (item: T) => string;
  readonly #identity: ListIdentity;
  readonly #after: string | undefined;
  readonly #limit: number;
  /** Whether position `a` comes before `b` in the list. */
  readonly #precedes: (a: string, b: string) => boolean;
  readonly #best: Array<{ item: T; position: string }> = [];
  #candidates = 0;

  constructor(positionOf: (item: T) => string, request: PageRequest, order: 'asc' | 'desc', identity: ListIdentity) {
    const { after, limit } = pageBounds(request, identity);
    this.#positionOf = positionOf;
    this.#identity = identity;
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
    return pageFrom(this.#best.map((entry) => entry.item), this.#candidates > this.#limit, this.#positionOf, this.#identity);
  }
}

/**
 * Where the page a request asks for starts (after the position its cursor names; undefined: at
 * the list's start) and how many items it holds, for a list that picks its pages itself (e.g. a
 * store from an index); {@link pageFrom} then makes the page, as {@link pageOf} would. A cursor
 * made for another `identity` is refused (400 `invalid_cursor`).
 */
export function pageBounds(request: PageRequest, identity: ListIdentity): { after: string | undefined; limit: number } {
  return { after: request.cursor === undefined ? undefined : decode(request.cursor, identity), limit: request.limit ?? 20 };
}

/** The page of `data`, the items picked in list order; `more`: items follow them. */
export function pageFrom<T>(data: T[], more: boolean, positionOf: (item: T) => string, identity: ListIdentity): Page<T> {
  const last = data.at(-1);
  return { data, has_more: more, next_cursor: more && last !== undefined ? encode(positionOf(last), identity) : null };
}

export const byCreation = (item: { created_at: string; id: string }) => `${item.created_at}|${item.id}`;
