import { hash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import type { Awaitable } from './awaitable.js';
import { systemClock, type Clock } from './clock.js';
import { deleteWhere, SweepSchedule } from './sweep.js';

/*
 * Idempotency keys: a client retrying a POST with the same `Idempotency-Key` gets the first
 * attempt's response instead of a second side effect.
 *
 * An entry lives under (scope, key), where scope is the credential's identity, so two credentials
 * never see each other's entries even if they pick the same key. It remembers a fingerprint of
 * the request so the same key on a different request is detected (422), and is either in flight
 * (a concurrent duplicate gets 409) or completed (a retry gets the stored response) until it
 * expires, 24 h after completion by default.
 */

export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * An in-flight entry older than this is considered abandoned (its process died or a bug skipped
 * `abandon`), so the key does not stay locked forever. Far longer than any request should take.
 */
export const DEFAULT_IDEMPOTENCY_IN_FLIGHT_TIMEOUT_MS = 5 * 60 * 1000;

export const INVALID_IDEMPOTENCY_KEY_CODE = 'invalid_idempotency_key';

/** A malformed `Idempotency-Key`; the HTTP layer turns it into 400 `invalid_idempotency_key`. */
export class InvalidIdempotencyKeyError extends Error {
  readonly code = INVALID_IDEMPOTENCY_KEY_CODE;
  readonly status = 400;

  constructor(detail: string) {
    super(detail);
    this.name = 'InvalidIdempotencyKeyError';
  }
}

/** Why `key` is not a valid idempotency key, or `undefined` when it is (1–255 visible ASCII, as the spec's pattern says). */
export function idempotencyKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'The Idempotency-Key header must not be empty.';
  if (key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    const max = IDEMPOTENCY_KEY_MAX_LENGTH;
    return `The Idempotency-Key header must be at most ${max} characters long (got ${key.length}).`;
  }
  if (!/^[\x21-\x7e]+$/.test(key)) {
    return 'The Idempotency-Key header may contain visible ASCII characters only (no spaces).';
  }
  return undefined;
}

export function assertValidIdempotencyKey(key: string): void {
  const problem = idempotencyKeyProblem(key);
  if (problem !== undefined) throw new InvalidIdempotencyKeyError(problem);
}

/** What is replayed: status, a small allow-list of headers (lower-case names) and the body text. */
export interface StoredResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type IdempotencyBeginResult =
  /** The caller owns the key now: run the request, then `complete` or `abandon`. */
  | { readonly kind: 'proceed' }
  /** The same request already completed: send this response again. */
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  /** The same request is still being processed by someone else. */
  | { readonly kind: 'in_flight' }
  /** The key was used for a different request (method, path or body). */
  | { readonly kind: 'mismatch' };

/** Awaitable so that a store shared between instances (Redis, PostgreSQL) can implement it. */
export interface IdempotencyStore {
  /** Throws InvalidIdempotencyKeyError for a malformed key. */
  begin(scope: string, idempotencyKey: string, fingerprint: string): Awaitable<IdempotencyBeginResult>;
  /** Stores the response of the in-flight request; a no-op if the entry is no longer in flight. */
  complete(scope: string, idempotencyKey: string, response: StoredResponse): Awaitable<void>;
  /** Releases an in-flight key without storing anything, so a retry runs the request again. */
  abandon(scope: string, idempotencyKey: string): Awaitable<void>;
}

type Entry =
  | { state: 'in_flight'; fingerprint: string; staleAtMs: number }
  | { state: 'completed'; fingerprint: string; expiresAtMs: number; response: StoredResponse };

export interface InMemoryIdempotencyStoreOptions {
  clock?: Clock;
  /** How long a completed response is replayed. Default 24 h. */
  ttlMs?: number;
  /** After how long an in-flight entry is treated as abandoned. Default 5 min. */
  inFlightTimeoutMs?: number;
  /**
   * Cap on entries. When exceeded, the oldest completed (or dead) entries are dropped, so a very
   * old response may stop being replayed early; live in-flight entries are never dropped, since
   * that would let a concurrent duplicate through (they are bounded by concurrency and the
   * in-flight timeout). Default 100 000.
   */
  maxEntries?: number;
  /**
   * Cap on the stored responses' total size, in characters of body (about bytes, for JSON), so
   * that the memory held is bounded: every SDK `POST`, verify included, carries a key, and a busy
   * backend would otherwise keep 100,000 verify answers. Exceeded, the oldest completed entries
   * go, as for `maxEntries`. Default 32 MiB.
   */
  maxStoredChars?: number;
  /** How often (by the injected clock) expired entries are swept during `begin`. Default 60 s. */
  sweepIntervalMs?: number;
}

function assertPositiveInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${what} must be an integer ≥ 1, got ${value}`);
}

export class InMemoryIdempotencyStore implements IdempotencyStore {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #inFlightTimeoutMs: number;
  readonly #maxEntries: number;
  readonly #maxStoredChars: number;
  #storedChars = 0;
  readonly #sweeps: SweepSchedule;
  /** Live in-flight entries in the order they began, completed ones in the order they completed: the order eviction takes. */
  readonly #entries = new Map<string, Entry>();

  constructor(options: InMemoryIdempotencyStoreOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#ttlMs = options.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
    this.#inFlightTimeoutMs = options.inFlightTimeoutMs ?? DEFAULT_IDEMPOTENCY_IN_FLIGHT_TIMEOUT_MS;
    this.#maxEntries = options.maxEntries ?? 100_000;
    this.#maxStoredChars = options.maxStoredChars ?? 32 * 1024 * 1024;
    const sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
    assertPositiveInteger(this.#ttlMs, 'ttlMs');
    assertPositiveInteger(this.#inFlightTimeoutMs, 'inFlightTimeoutMs');
    assertPositiveInteger(this.#maxEntries, 'maxEntries');
    assertPositiveInteger(this.#maxStoredChars, 'maxStoredChars');
    assertPositiveInteger(sweepIntervalMs, 'sweepIntervalMs');
    this.#sweeps = new SweepSchedule(sweepIntervalMs);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Characters of stored response bodies (what `maxStoredChars` caps). */
  get storedChars(): number {
    return this.#storedChars;
  }

  begin(scope: string, idempotencyKey: string, fingerprint: string): IdempotencyBeginResult {
    assertValidIdempotencyKey(idempotencyKey);
    const nowMs = this.#clock.now();
    if (this.#sweeps.due(nowMs)) this.sweep();
    const id = entryId(scope, idempotencyKey);
    const existing = this.#entries.get(id);

    if (existing !== undefined && !isDead(existing, nowMs)) {
      // A different request under a used key is a client bug whatever the first one's state, so
      // it gets the definitive 422 rather than a 409 that invites retrying.
      if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (existing.state === 'in_flight') return { kind: 'in_flight' };
      return { kind: 'replay', response: existing.response };
    }

    if (existing !== undefined) this.#forget(id, existing);
    this.#entries.set(id, { state: 'in_flight', fingerprint, staleAtMs: nowMs + this.#inFlightTimeoutMs });
    this.#evictOverflow(nowMs);
    return { kind: 'proceed' };
  }

  complete(scope: string, idempotencyKey: string, response: StoredResponse): void {
    const id = entryId(scope, idempotencyKey);
    const existing = this.#entries.get(id);
    // Only the in-flight owner completes; a late call after expiry or abandon must not resurrect
    // or overwrite anything.
    if (existing === undefined || existing.state !== 'in_flight') return;
    const nowMs = this.#clock.now();
    const stored: StoredResponse = Object.freeze({
      status: response.status,
      headers: Object.freeze({ ...response.headers }),
      body: response.body,
    });
    // Moved to the end: eviction takes the oldest completed responses first, never the one just stored.
    this.#entries.delete(id);
    this.#entries.set(id, {
      state: 'completed',
      fingerprint: existing.fingerprint,
      expiresAtMs: nowMs + this.#ttlMs,
      response: stored,
    });
    this.#storedChars += stored.body.length;
    this.#evictOverflow(nowMs);
  }

  abandon(scope: string, idempotencyKey: string): void {
    const id = entryId(scope, idempotencyKey);
    // Never delete a completed entry: a stray abandon must not erase a response already promised.
    if (this.#entries.get(id)?.state === 'in_flight') this.#entries.delete(id);
  }

  /** Drops expired and stale entries now. Returns how many. */
  sweep(): number {
    const nowMs = this.#clock.now();
    this.#sweeps.swept(nowMs);
    return deleteWhere(this.#entries, (entry) => {
      if (!isDead(entry, nowMs)) return false;
      if (entry.state === 'completed') this.#storedChars -= entry.response.body.length;
      return true;
    });
  }

  #evictOverflow(nowMs: number): void {
    // Oldest first. Skipping live in-flight entries keeps this cheap: there are only as many of
    // them as requests currently running.
    for (const [id, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#storedChars <= this.#maxStoredChars) return;
      if (entry.state === 'completed' || isDead(entry, nowMs)) this.#forget(id, entry);
    }
  }

  #forget(id: string, entry: Entry): void {
    this.#entries.delete(id);
    if (entry.state === 'completed') this.#storedChars -= entry.response.body.length;
  }
}

function isDead(entry: Entry, nowMs: number): boolean {
  return entry.state === 'in_flight' ? nowMs >= entry.staleAtMs : nowMs >= entry.expiresAtMs;
}

/** Length-prefixed so that no (scope, key) pair can collide with another. */
function entryId(scope: string, idempotencyKey: string): string {
  return `${scope.length}:${scope}:${idempotencyKey}`;
}

export interface FingerprintInput {
  readonly method: string;
  /** Path and query string as received, e.g. `/v1/workspaces/ws_1/api-keys?dry_run=true`. */
  readonly path: string;
  readonly body: string | Uint8Array;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * SHA-256 (hex) of method, path and body. Bodies that parse as JSON are compared *semantically*:
 * key order and whitespace do not matter, because the server acts on the parsed value (a client
 * that re-serializes its retry with another JSON library must not get a 422). Anything else is
 * compared byte for byte. A tag keeps the JSON text `"1"` and the raw body `1` apart.
 */
export function idempotencyFingerprint(input: FingerprintInput): string {
  const head = `${input.method.toUpperCase()}\n${input.path}\n`;
  const text = typeof input.body === 'string' ? input.body : decodeUtf8(input.body);
  const json = text === undefined ? undefined : parseJson(text);
  // One-shot hashing of one buffer: the same digest as feeding the parts in turn, without a Hash object.
  if (json !== undefined) return hash('sha256', `${head}json\n${canonicalJson(json.value)}`, 'hex');
  const body = typeof input.body === 'string' ? Buffer.from(input.body) : input.body;
  return hash('sha256', Buffer.concat([Buffer.from(`${head}raw\n`), body]), 'hex');
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}
