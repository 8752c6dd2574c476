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
 *
 * A completed entry may also be *withheld*: the request ran, but its response is not kept. That is
 * how a persistence adapter restores a response it refused to write to disk (it revealed a secret),
 * so that a retry after a restart is told so instead of running the request a second time.
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
  /** The same request already completed with `status`, but its response was not kept (see {@link WithheldIdempotencyEntry}). */
  | { readonly kind: 'withheld'; readonly status: number }
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

interface CompletedEntryFields {
  readonly scope: string;
  readonly idempotencyKey: string;
  readonly fingerprint: string;
  readonly expiresAtMs: number;
}

/** A completed request whose response is replayed. */
export interface ReplayableIdempotencyEntry extends CompletedEntryFields {
  readonly state: 'completed';
  readonly response: StoredResponse;
}

/** A completed request whose response is not kept: a retry is neither run again nor answered with it. */
export interface WithheldIdempotencyEntry extends CompletedEntryFields {
  readonly state: 'withheld';
  /** The status the request completed with. */
  readonly status: number;
}

/** A completed entry, as the store keeps it and a persistence adapter saves and restores it. */
export type CompletedIdempotencyEntry = ReplayableIdempotencyEntry | WithheldIdempotencyEntry;

type Entry = { readonly state: 'in_flight'; readonly fingerprint: string; readonly staleAtMs: number } | CompletedIdempotencyEntry;

export interface InMemoryIdempotencyStoreOptions {
  clock?: Clock;
  /** How long a completed response is replayed. Default 24 h. */
  ttlMs?: number;
  /** After how long an in-flight entry is treated as abandoned. Default 5 min. */
  inFlightTimeoutMs?: number;
  /**
   * Cap on entries. When exceeded, the oldest completed (or dead) entries are dropped, down to a
   * thousandth below the cap, so a very old response may stop being replayed early; live
   * in-flight entries are never dropped, since that would let a concurrent duplicate through
   * (they are bounded by concurrency and the in-flight timeout). Default 100 000.
   */
  maxEntries?: number;
  /**
   * Cap on the stored responses' total size, in characters of body (about bytes, for JSON), so
   * that the memory held is bounded: every SDK `POST`, verify included, carries a key, and a busy
   * backend would otherwise keep 100,000 verify answers. Exceeded, the oldest completed entries
   * go, as for `maxEntries`. A single body over the cap is not kept at all: its key is released,
   * so a retry runs the request again. Default 32 MiB.
   */
  maxStoredChars?: number;
  /** How often (by the injected clock) expired entries are swept during `begin`. Default 60 s. */
  sweepIntervalMs?: number;
  /**
   * Told about every response `complete` keeps (not one over `maxStoredChars`), synchronously,
   * with the (frozen) entry kept: a persistence adapter collects them to save later, off the
   * request path.
   */
  onCompleted?: (entry: ReplayableIdempotencyEntry) => void;
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
  readonly #onCompleted: ((entry: ReplayableIdempotencyEntry) => void) | undefined;
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
    this.#onCompleted = options.onCompleted;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The cap on entries, in flight and completed. */
  get maxEntries(): number {
    return this.#maxEntries;
  }

  /** The cap on the stored response bodies' total size, in characters. */
  get maxStoredChars(): number {
    return this.#maxStoredChars;
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
      if (existing.state === 'withheld') return { kind: 'withheld', status: existing.status };
      return { kind: 'replay', response: existing.response };
    }

    if (existing !== undefined) this.#forget(id, existing);
    this.#entries.set(id, { state: 'in_flight', fingerprint, staleAtMs: nowMs + this.#inFlightTimeoutMs });
    this.#evictOverflow(nowMs, id);
    return { kind: 'proceed' };
  }

  complete(scope: string, idempotencyKey: string, response: StoredResponse): void {
    const id = entryId(scope, idempotencyKey);
    const existing = this.#entries.get(id);
    // Only the in-flight owner completes; a late call after expiry or abandon must not resurrect
    // or overwrite anything.
    if (existing === undefined || existing.state !== 'in_flight') return;
    if (response.body.length > this.#maxStoredChars) {
      // It could only be kept alone, by evicting every other response, and would then be evicted
      // by the next: released instead, as by `abandon`.
      this.#entries.delete(id);
      return;
    }
    const nowMs = this.#clock.now();
    const completed: ReplayableIdempotencyEntry = Object.freeze({
      state: 'completed',
      scope,
      idempotencyKey,
      fingerprint: existing.fingerprint,
      expiresAtMs: nowMs + this.#ttlMs,
      response: Object.freeze({
        status: response.status,
        headers: Object.freeze({ ...response.headers }),
        body: response.body,
      }),
    });
    // Deleted first: setting a key a Map already holds keeps its old place, and this one is now the newest.
    this.#entries.delete(id);
    this.#keep(id, completed, nowMs);
    this.#onCompleted?.(completed);
  }

  /**
   * Puts back completed entries saved earlier, given oldest first, as the newest: under one scope
   * and key the last one given, and of all the newest that the caps leave room for. Expired ones
   * are skipped, and so is one whose body alone is over `maxStoredChars`. None is kept longer
   * than the TTL from now, whatever its expiry says: a file edited, or a clock that stepped back
   * since it was saved, must not keep a response replayed for days.
   */
  restore(entries: readonly CompletedIdempotencyEntry[]): void {
    const nowMs = this.#clock.now();
    const kept: Array<[string, CompletedIdempotencyEntry]> = [];
    const seen = new Set<string>();
    let chars = 0;
    // Newest first, choosing what fits before adding anything: adding each entry and evicting the
    // oldest would delete from the front of the Map, whose iteration then steps over every
    // deleted slot on each eviction (seconds for a full store).
    for (let i = entries.length - 1; i >= 0 && kept.length < this.#maxEntries; i -= 1) {
      const entry = this.#withinTtl(entries[i]!, nowMs);
      const id = entryId(entry.scope, entry.idempotencyKey);
      if (seen.has(id)) continue;
      seen.add(id);
      if (nowMs >= entry.expiresAtMs) continue;
      const entryChars = storedCharsOf(entry);
      // One that could never fit is passed over, as `complete` would not have kept it.
      if (entryChars > this.#maxStoredChars) continue;
      chars += entryChars;
      if (chars > this.#maxStoredChars) break;
      kept.push([id, entry]);
    }
    for (let i = kept.length - 1; i >= 0; i -= 1) {
      const [id, entry] = kept[i]!;
      const existing = this.#entries.get(id);
      if (existing !== undefined) this.#forget(id, existing);
      this.#keep(id, entry, nowMs);
    }
  }

  #withinTtl(entry: CompletedIdempotencyEntry, nowMs: number): CompletedIdempotencyEntry {
    const latestMs = nowMs + this.#ttlMs;
    return entry.expiresAtMs <= latestMs ? entry : Object.freeze({ ...entry, expiresAtMs: latestMs });
  }

  /** The unexpired completed entries, oldest first: the order eviction takes and `restore` keeps. */
  completedEntries(): CompletedIdempotencyEntry[] {
    const nowMs = this.#clock.now();
    const completed: CompletedIdempotencyEntry[] = [];
    for (const entry of this.#entries.values()) if (entry.state !== 'in_flight' && nowMs < entry.expiresAtMs) completed.push(entry);
    return completed;
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
      this.#storedChars -= storedCharsOf(entry);
      return true;
    });
  }

  /** Adds a completed entry as the newest: eviction takes the oldest first, never the one just kept. */
  #keep(id: string, entry: CompletedIdempotencyEntry, nowMs: number): void {
    this.#entries.set(id, entry);
    this.#storedChars += storedCharsOf(entry);
    this.#evictOverflow(nowMs, id);
  }

  /** Evicts the oldest entries over the caps, never `newestId`: the entry this call just began or kept. */
  #evictOverflow(nowMs: number, newestId: string): void {
    if (this.#entries.size <= this.#maxEntries && this.#storedChars <= this.#maxStoredChars) return;
    // Once over a cap, go a thousandth below it: entries leave from the Map's front, where V8 keeps
    // the deleted slots until it rehashes, and walking them on every completion of a full store cost
    // 13–41 µs each (2.5–4 µs with this slack).
    const entriesTarget = this.#maxEntries - Math.floor(this.#maxEntries / 1000);
    const charsTarget = this.#maxStoredChars - Math.floor(this.#maxStoredChars / 1000);
    // Oldest first. Skipping live in-flight entries keeps this cheap: there are only as many of
    // them as requests currently running. The newest is last: once only it remains over the
    // target, the loop ends with it kept (a body between the target and the cap fits).
    for (const [id, entry] of this.#entries) {
      if (this.#entries.size <= entriesTarget && this.#storedChars <= charsTarget) return;
      if (id !== newestId && (entry.state !== 'in_flight' || isDead(entry, nowMs))) this.#forget(id, entry);
    }
  }

  #forget(id: string, entry: Entry): void {
    this.#entries.delete(id);
    this.#storedChars -= storedCharsOf(entry);
  }
}

function storedCharsOf(entry: Entry): number {
  return entry.state === 'completed' ? entry.response.body.length : 0;
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
