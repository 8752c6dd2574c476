/** Cursor pagination over an ordered list: the cursor names the last item returned, opaquely. */
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
 * One page of `items`, which must already be sorted by `positionOf` in `order`. Positions are
 * unique strings (e.g. `created_at|id`) that sort like the list.
 */
export function paginate<T>(items: readonly T[], positionOf: (item: T) => string, request: PageRequest, order: 'asc' | 'desc'): Page<T> {
  const limit = request.limit ?? 20;
  let start = 0;
  if (request.cursor !== undefined) {
    const after = decode(request.cursor);
    const index = items.findIndex((item) => (order === 'asc' ? positionOf(item) > after : positionOf(item) < after));
    start = index === -1 ? items.length : index;
  }
  const data = items.slice(start, start + limit);
  const has_more = start + limit < items.length;
  const last = data.at(-1);
  return { data, has_more, next_cursor: has_more && last !== undefined ? encode(positionOf(last)) : null };
}

export function sortBy<T>(items: T[], positionOf: (item: T) => string, order: 'asc' | 'desc'): T[] {
  return items.sort((a, b) => {
    const [x, y] = [positionOf(a), positionOf(b)];
    const cmp = x < y ? -1 : x > y ? 1 : 0;
    return order === 'asc' ? cmp : -cmp;
  });
}

export const byCreation = (item: { created_at: string; id: string }) => `${item.created_at}|${item.id}`;
