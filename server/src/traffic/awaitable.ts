/**
 * A value or a promise of it. Store interfaces return this so the in-memory implementations can
 * stay synchronous (and therefore atomic on the single JS thread) while a shared Redis or
 * PostgreSQL implementation can be asynchronous; callers simply `await` the result.
 */
export type Awaitable<T> = T | Promise<T>;
