import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import {
  assertValidIdempotencyKey,
  DEFAULT_IDEMPOTENCY_IN_FLIGHT_TIMEOUT_MS,
  idempotencyFingerprint,
  InMemoryIdempotencyStore,
  InvalidIdempotencyKeyError,
  type ReplayableIdempotencyEntry,
  type StoredResponse,
  type WithheldIdempotencyEntry,
} from './idempotency.js';

const HOUR = 3_600_000;
const created: StoredResponse = {
  status: 201,
  headers: { 'content-type': 'application/json', location: '/v1/things/1' },
  body: '{"id":"1"}',
};

function setup(options: { ttlMs?: number; maxEntries?: number; maxStoredChars?: number; sweepIntervalMs?: number } = {}) {
  const clock = new ManualClock();
  const store = new InMemoryIdempotencyStore({ clock, ...options });
  return { clock, store };
}

describe('InMemoryIdempotencyStore', () => {
  it('lets the first request proceed and replays its stored response afterwards', () => {
    const { store } = setup();
    expect(store.begin('key_1', 'idem-1', 'fp-a')).toEqual({ kind: 'proceed' });
    store.complete('key_1', 'idem-1', created);
    expect(store.begin('key_1', 'idem-1', 'fp-a')).toEqual({ kind: 'replay', response: created });
    expect(store.begin('key_1', 'idem-1', 'fp-a')).toEqual({ kind: 'replay', response: created });
  });

  it('answers in_flight to the same request while the first has not completed', () => {
    const { store } = setup();
    expect(store.begin('key_1', 'idem-1', 'fp-a').kind).toBe('proceed');
    expect(store.begin('key_1', 'idem-1', 'fp-a').kind).toBe('in_flight');
  });

  it('answers mismatch to a different request under a used key, in flight or completed', () => {
    const { store } = setup();
    store.begin('key_1', 'idem-1', 'fp-a');
    expect(store.begin('key_1', 'idem-1', 'fp-b').kind).toBe('mismatch');
    store.complete('key_1', 'idem-1', created);
    expect(store.begin('key_1', 'idem-1', 'fp-b').kind).toBe('mismatch');
    // …and the stored response is still there for the original request.
    expect(store.begin('key_1', 'idem-1', 'fp-a').kind).toBe('replay');
  });

  it('keeps scopes apart: two credentials may use the same key', () => {
    const { store } = setup();
    expect(store.begin('key_1', 'idem-1', 'fp-a').kind).toBe('proceed');
    store.complete('key_1', 'idem-1', created);
    expect(store.begin('key_2', 'idem-1', 'fp-a').kind).toBe('proceed');
    expect(store.begin('key_2', 'idem-1', 'fp-b').kind).toBe('mismatch');
    // Scope/key boundaries cannot be forged by shifting characters between them.
    expect(store.begin('key_1:idem', '-1', 'fp-a').kind).toBe('proceed');
    expect(store.begin('key_1', ':idem-1', 'fp-a').kind).toBe('proceed');
  });

  it('expires a completed response 24 h after completion, not after the start', () => {
    const { clock, store } = setup();
    store.begin('key_1', 'idem-1', 'fp-a');
    clock.advance(30_000);
    store.complete('key_1', 'idem-1', created);
    clock.advance(24 * HOUR - 1);
    expect(store.begin('key_1', 'idem-1', 'fp-a').kind).toBe('replay');
    clock.advance(1);
    expect(store.begin('key_1', 'idem-1', 'fp-a').kind).toBe('proceed');
  });

  it('lets an expired key be reused for a different request', () => {
    const { clock, store } = setup();
    store.begin('key_1', 'idem-1', 'fp-a');
    store.complete('key_1', 'idem-1', created);
    clock.advance(24 * HOUR);
    expect(store.begin('key_1', 'idem-1', 'fp-b').kind).toBe('proceed');
  });

  it('honours a configured TTL', () => {
    const { clock, store } = setup({ ttlMs: 60_000 });
    store.begin('key_1', 'idem-1', 'fp-a');
    store.complete('key_1', 'idem-1', created);
    clock.advance(59_999);
    expect(store.begin('key_1', 'idem-1', 'fp-a').kind).toBe('replay');
    clock.advance(1);
    expect(store.begin('key_1', 'idem-1', 'fp-a').kind).toBe('proceed');
  });

  it('abandon releases an in-flight key so the retry runs again', () => {
    const { store } = setup();
    store.begin('key_1', 'idem-1', 'fp-a');
    store.abandon('key_1', 'idem-1');
    expect(store.size).toBe(0);
    expect(store.begin('key_1', 'idem-1', 'fp-b').kind).toBe('proceed');
  });

  it('abandon never erases a completed response', () => {
    const { store } = setup();
    store.begin('key_1', 'idem-1', 'fp-a');
    store.complete('key_1', 'idem-1', created);
    store.abandon('key_1', 'idem-1');
    expect(store.begin('key_1', 'idem-1', 'fp-a').kind).toBe('replay');
  });

  it('complete is a no-op unless the key is in flight', () => {
    const { store } = setup();
    store.complete('key_1', 'never-begun', created);
    expect(store.size).toBe(0);
    store.begin('key_1', 'idem-1', 'fp-a');
    store.complete('key_1', 'idem-1', created);
    store.complete('key_1', 'idem-1', { status: 500, headers: {}, body: 'late' });
    expect(store.begin('key_1', 'idem-1', 'fp-a')).toEqual({ kind: 'replay', response: created });
  });

  it('stores a snapshot: later changes to the caller’s object are not replayed', () => {
    const { store } = setup();
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    store.begin('key_1', 'idem-1', 'fp-a');
    store.complete('key_1', 'idem-1', { status: 200, headers, body: '{}' });
    headers['content-type'] = 'text/html';
    const outcome = store.begin('key_1', 'idem-1', 'fp-a');
    expect(outcome.kind === 'replay' && outcome.response.headers['content-type']).toBe('application/json');
  });

  it('treats an in-flight entry as abandoned after the in-flight timeout', () => {
    const { clock, store } = setup();
    store.begin('key_1', 'idem-1', 'fp-a');
    clock.advance(DEFAULT_IDEMPOTENCY_IN_FLIGHT_TIMEOUT_MS - 1);
    expect(store.begin('key_1', 'idem-1', 'fp-a').kind).toBe('in_flight');
    clock.advance(1);
    expect(store.begin('key_1', 'idem-1', 'fp-a').kind).toBe('proceed');
  });

  it('rejects malformed keys with a typed error', () => {
    const { store } = setup();
    for (const bad of ['', 'x'.repeat(256), 'naïve', 'tab\there', 'new\nline', '\u0000', 'emoji-🙂']) {
      expect(() => store.begin('key_1', bad, 'fp-a')).toThrow(InvalidIdempotencyKeyError);
    }
    try {
      assertValidIdempotencyKey('');
      expect.fail('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidIdempotencyKeyError);
      expect((error as InvalidIdempotencyKeyError).code).toBe('invalid_idempotency_key');
      expect((error as InvalidIdempotencyKeyError).status).toBe(400);
    }
    expect(store.size).toBe(0);
  });

  it('accepts 1 to 255 visible ASCII characters', () => {
    const { store } = setup();
    for (const good of ['a', 'x'.repeat(255), '8e03978e-40d5-43e8-bc93-6894a57f9324', 'no-space~!@#$%^&*()']) {
      expect(store.begin('key_1', good, 'fp-a').kind).toBe('proceed');
    }
    expect(() => store.begin('key_1', 'with space', 'fp-a')).toThrow(/no spaces/);
  });

  it('sweeps expired entries and keeps live ones', () => {
    const { clock, store } = setup();
    store.begin('key_1', 'old', 'fp');
    store.complete('key_1', 'old', created);
    clock.advance(23 * HOUR);
    store.begin('key_1', 'recent', 'fp');
    store.complete('key_1', 'recent', created);
    clock.advance(HOUR);
    expect(store.sweep()).toBe(1);
    expect(store.size).toBe(1);
    expect(store.begin('key_1', 'recent', 'fp').kind).toBe('replay');
  });

  it('sweeps on its own once per interval', () => {
    const { clock, store } = setup({ ttlMs: 1_000, sweepIntervalMs: 10_000 });
    for (let i = 0; i < 50; i += 1) {
      store.begin('key_1', `idem-${i}`, 'fp');
      store.complete('key_1', `idem-${i}`, created);
    }
    clock.advance(9_999);
    store.begin('key_1', 'trigger-1', 'fp');
    expect(store.size).toBe(51);
    clock.advance(1);
    store.begin('key_1', 'trigger-2', 'fp');
    // The 50 expired entries went; the two live in-flight ones stay.
    expect(store.size).toBe(2);
  });

  it('caps entries by dropping the oldest completed ones, never a live in-flight one', () => {
    const { store } = setup({ maxEntries: 3 });
    store.begin('key_1', 'in-flight', 'fp');
    store.begin('key_1', 'done-1', 'fp');
    store.complete('key_1', 'done-1', created);
    store.begin('key_1', 'done-2', 'fp');
    store.complete('key_1', 'done-2', created);
    store.begin('key_1', 'new', 'fp');
    expect(store.size).toBe(3);
    expect(store.begin('key_1', 'in-flight', 'fp').kind).toBe('in_flight');
    expect(store.begin('key_1', 'done-2', 'fp').kind).toBe('replay');
    // 'done-1' was the oldest completed entry: it is gone, so the request would run again.
    expect(store.begin('key_1', 'done-1', 'fp').kind).toBe('proceed');
  });

  it('once over a large cap, drops a thousandth more, so a full store does not evict on every completion', () => {
    const { store } = setup({ maxEntries: 5_000 });
    const fill = (from: number, to: number) => {
      for (let n = from; n < to; n++) {
        store.begin('key_1', `k-${n}`, 'fp');
        store.complete('key_1', `k-${n}`, created);
      }
    };
    fill(0, 5_000);
    expect(store.size).toBe(5_000);
    fill(5_000, 5_001);
    expect(store.size).toBe(4_995);
    expect(store.begin('key_1', 'k-5', 'fp').kind).toBe('proceed'); // the six oldest went
    expect(store.begin('key_1', 'k-6', 'fp').kind).toBe('replay');
    fill(5_001, 5_005);
    expect(store.size).toBe(5_000); // k-5's new in-flight entry included: no eviction until the cap is passed again
  });
});

describe('InMemoryIdempotencyStore memory cap', () => {
  const answer = (chars: number): StoredResponse => ({ status: 200, headers: {}, body: 'x'.repeat(chars) });
  /** A store completing `answers` ([key, body characters]) in turn, and the keys `onCompleted` was told about. */
  const storeCompleting = (maxStoredChars: number, answers: ReadonlyArray<readonly [string, number]>) => {
    const noted: string[] = [];
    const store = new InMemoryIdempotencyStore({ clock: new ManualClock(), maxStoredChars, onCompleted: (entry) => noted.push(entry.idempotencyKey) });
    for (const [key, chars] of answers) {
      store.begin('key_1', key, 'fp');
      store.complete('key_1', key, answer(chars));
    }
    return { store, noted };
  };

  it('caps the stored bodies by dropping the oldest completed entries, never a live in-flight one', () => {
    const { store } = setup({ maxStoredChars: 250 });
    store.begin('key_1', 'in-flight', 'fp');
    for (const n of [1, 2, 3]) {
      store.begin('key_1', `done-${n}`, 'fp');
      store.complete('key_1', `done-${n}`, answer(100));
    }
    expect(store.storedChars).toBe(200);
    expect(store.begin('key_1', 'in-flight', 'fp').kind).toBe('in_flight');
    expect(store.begin('key_1', 'done-1', 'fp').kind).toBe('proceed'); // the oldest went
    expect(store.begin('key_1', 'done-2', 'fp').kind).toBe('replay');
    expect(store.begin('key_1', 'done-3', 'fp').kind).toBe('replay');
  });

  it('evicts by completion, so a response just stored outlives older ones', () => {
    const { store } = setup({ maxStoredChars: 10 });
    store.begin('key_1', 'a', 'fp');
    store.begin('key_1', 'b', 'fp');
    store.complete('key_1', 'b', answer(6));
    store.complete('key_1', 'a', answer(6));
    expect(store.begin('key_1', 'a', 'fp').kind).toBe('replay');
    expect(store.begin('key_1', 'b', 'fp').kind).toBe('proceed');
    expect(store.storedChars).toBe(6);
  });

  it('never evicts the response just stored, even when it alone is over the slack below the cap', () => {
    const { store, noted } = storeCompleting(100_000, [['small', 100], ['large', 99_950]]);
    expect(store.begin('key_1', 'large', 'fp').kind).toBe('replay');
    expect(store.begin('key_1', 'small', 'fp').kind).toBe('proceed');
    expect(store.storedChars).toBe(99_950);
    expect(noted).toEqual(['small', 'large']);
  });

  it('keeps nothing of a response larger than the cap, evicts nothing for it, and does not tell onCompleted', () => {
    const { store, noted } = storeCompleting(1000, [['small', 10], ['huge', 1001]]);
    expect(store.completedEntries().map((entry) => entry.idempotencyKey)).toEqual(['small']);
    expect(noted).toEqual(['small']);
    expect(store.storedChars).toBe(10);
    // Its key is released, as by abandon: there is no response to replay.
    expect(store.begin('key_1', 'huge', 'fp').kind).toBe('proceed');
  });

  it('counts a body out again when its entry expires, is swept or is replaced', () => {
    const { clock, store } = setup({ ttlMs: 1000 });
    store.begin('key_1', 'a', 'fp');
    store.complete('key_1', 'a', answer(40));
    store.begin('key_1', 'b', 'fp');
    store.complete('key_1', 'b', answer(60));
    expect(store.storedChars).toBe(100);
    clock.advance(1000);
    expect(store.begin('key_1', 'a', 'fp').kind).toBe('proceed'); // expired: replaced by a new request
    expect(store.storedChars).toBe(60);
    store.abandon('key_1', 'a');
    expect(store.sweep()).toBe(1);
    expect(store.storedChars).toBe(0);
    expect(store.size).toBe(0);
  });

  it('refuses a cap that is not a positive integer', () => {
    expect(() => new InMemoryIdempotencyStore({ maxStoredChars: 0 })).toThrow(RangeError);
  });
});

describe('InMemoryIdempotencyStore completed entries (for a persistence adapter)', () => {
  const withheld = (key: string, expiresAtMs: number): WithheldIdempotencyEntry => ({
    state: 'withheld',
    scope: 'key_1',
    idempotencyKey: key,
    fingerprint: 'fp',
    expiresAtMs,
    status: 201,
  });

  it('tells onCompleted about each stored response, with the entry it keeps', () => {
    const noted: ReplayableIdempotencyEntry[] = [];
    const store = new InMemoryIdempotencyStore({ clock: new ManualClock(), onCompleted: (entry) => noted.push(entry) });
    store.begin('key_1', 'a', 'fp');
    store.complete('key_1', 'a', created);
    store.complete('key_1', 'a', created); // not in flight any more: nothing stored, nothing told
    expect(noted).toEqual(store.completedEntries());
    expect(noted).toHaveLength(1);
    expect(Object.isFrozen(noted[0]) && Object.isFrozen(noted[0]!.response)).toBe(true);
  });

  it('lists the unexpired completed entries, oldest completion first, without in-flight ones', () => {
    const { clock, store } = setup();
    for (const key of ['a', 'b']) store.begin('key_1', key, 'fp');
    store.complete('key_1', 'b', created);
    clock.advance(HOUR);
    store.complete('key_1', 'a', created);
    store.begin('key_1', 'running', 'fp');
    expect(store.completedEntries().map((entry) => entry.idempotencyKey)).toEqual(['b', 'a']);
    clock.advance(23 * HOUR);
    expect(store.completedEntries().map((entry) => entry.idempotencyKey)).toEqual(['a']);
  });

  it('restores entries as the newest, ignoring expired ones and applying the caps', () => {
    const { clock, store } = setup({ maxEntries: 2 });
    const from = setup().store;
    for (const key of ['a', 'b', 'c']) {
      from.begin('key_1', key, 'fp');
      from.complete('key_1', key, created);
    }
    store.restore([...from.completedEntries(), withheld('expired', clock.now())]);
    expect(store.completedEntries().map((entry) => entry.idempotencyKey)).toEqual(['b', 'c']);
    expect(store.begin('key_1', 'c', 'fp')).toEqual({ kind: 'replay', response: created });
    expect(store.storedChars).toBe(2 * created.body.length);
  });

  it('restores the last entry given under a scope and key, in its place', () => {
    const { clock, store } = setup();
    store.restore([withheld('a', clock.now() + HOUR), withheld('b', clock.now() + HOUR), { ...withheld('a', clock.now() + 2 * HOUR), status: 200 }]);
    expect(store.completedEntries().map((entry) => entry.idempotencyKey)).toEqual(['b', 'a']);
    expect(store.begin('key_1', 'a', 'fp')).toEqual({ kind: 'withheld', status: 200 });
  });

  it('restores only the newest entries whose bodies fit the cap on stored characters', () => {
    const { store } = setup({ maxStoredChars: 2 * created.body.length + 1 });
    const from = setup().store;
    for (const key of ['a', 'b', 'c']) {
      from.begin('key_1', key, 'fp');
      from.complete('key_1', key, created);
    }
    store.restore(from.completedEntries());
    expect(store.completedEntries().map((entry) => entry.idempotencyKey)).toEqual(['b', 'c']);
  });

  it('restores past an entry too large for the cap on stored characters, keeping the older ones', () => {
    const { clock, store } = setup({ maxStoredChars: 1000 });
    const replayable = (key: string, chars: number): ReplayableIdempotencyEntry => ({
      state: 'completed',
      scope: 'key_1',
      idempotencyKey: key,
      fingerprint: 'fp',
      expiresAtMs: clock.now() + HOUR,
      response: { status: 201, headers: {}, body: 'x'.repeat(chars) },
    });
    store.restore([replayable('a', 10), replayable('b', 10), replayable('huge', 1001)]);
    expect(store.completedEntries().map((entry) => entry.idempotencyKey)).toEqual(['a', 'b']);
  });

  it('restores an entry for at most the TTL from now, whatever its expiry says', () => {
    const { clock, store } = setup({ ttlMs: 24 * HOUR });
    store.restore([withheld('edited', clock.now() + 48 * HOUR), withheld('sooner', clock.now() + HOUR)]);
    expect(store.completedEntries().map((entry) => entry.expiresAtMs - clock.now())).toEqual([24 * HOUR, HOUR]);
    clock.advance(24 * HOUR);
    expect(store.begin('key_1', 'edited', 'fp').kind).toBe('proceed');
  });

  it('answers withheld for a restored withheld entry, mismatch for another request under its key', () => {
    const { clock, store } = setup();
    store.restore([withheld('create', clock.now() + HOUR)]);
    expect(store.begin('key_1', 'create', 'fp')).toEqual({ kind: 'withheld', status: 201 });
    expect(store.begin('key_1', 'create', 'fp-other').kind).toBe('mismatch');
    expect(store.storedChars).toBe(0);
    clock.advance(HOUR);
    expect(store.begin('key_1', 'create', 'fp').kind).toBe('proceed');
  });
});

describe('idempotencyFingerprint', () => {
  const base = { method: 'POST', path: '/v1/workspaces/ws_1/api-keys' };
  const fingerprint = (body: string | Uint8Array, overrides: Partial<typeof base> = {}) =>
    idempotencyFingerprint({ ...base, ...overrides, body });

  it('is a SHA-256 hex digest', () => {
    expect(fingerprint('{}')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('treats semantically identical JSON as the same body', () => {
    const compact = fingerprint('{"name":"ci","scopes":["a","b"],"meta":{"x":1,"y":2}}');
    expect(fingerprint('{ "meta": { "y": 2, "x": 1 },\n  "scopes": ["a", "b"], "name": "ci" }')).toBe(compact);
    expect(fingerprint('{"name":"ci","scopes":["a","b"],"meta":{"x":1.0,"y":2e0}}')).toBe(compact);
    const asBytes = new TextEncoder().encode('{"meta":{"x":1,"y":2},"name":"ci","scopes":["a","b"]}');
    expect(fingerprint(asBytes)).toBe(compact);
  });

  it('distinguishes different JSON values, including array order', () => {
    const original = fingerprint('{"name":"ci","scopes":["a","b"]}');
    expect(fingerprint('{"name":"cd","scopes":["a","b"]}')).not.toBe(original);
    expect(fingerprint('{"name":"ci","scopes":["b","a"]}')).not.toBe(original);
    expect(fingerprint('{"name":"ci","scopes":["a","b"],"extra":null}')).not.toBe(original);
    expect(fingerprint('{"n":"1"}')).not.toBe(fingerprint('{"n":1}'));
  });

  it('covers method and path (query included)', () => {
    const original = fingerprint('{}');
    expect(fingerprint('{}', { method: 'PUT' })).not.toBe(original);
    expect(fingerprint('{}', { method: 'post' })).toBe(original);
    expect(fingerprint('{}', { path: '/v1/workspaces/ws_2/api-keys' })).not.toBe(original);
    expect(fingerprint('{}', { path: `${base.path}?dry_run=true` })).not.toBe(original);
  });

  it('compares non-JSON bodies byte for byte', () => {
    expect(fingerprint('name=ci&x=1')).toBe(fingerprint(new TextEncoder().encode('name=ci&x=1')));
    expect(fingerprint('name=ci&x=1')).not.toBe(fingerprint('x=1&name=ci'));
    expect(fingerprint(new Uint8Array([0xff, 0x00]))).not.toBe(fingerprint(new Uint8Array([0xfe, 0x00])));
    expect(fingerprint('')).not.toBe(fingerprint('""'));
  });
});
