import { describe, expect, it } from 'vitest';
import { keyStateAt, type KeyState } from '../domain/credentials.js';
import type { ApiKeyRecord } from '../domain/model.js';
import { KeyStateTally } from './key-state-tally.js';

type Key = Pick<ApiKeyRecord, 'status' | 'expires_at'>;

const START = Date.UTC(2026, 0, 1);

function recount(keys: Iterable<Key>, nowMs: number): Record<KeyState, number> {
  const counts: Record<KeyState, number> = { active: 0, disabled: 0, revoked: 0, expired: 0 };
  for (const key of keys) counts[keyStateAt(key, new Date(nowMs))] += 1;
  return counts;
}

describe('KeyStateTally', () => {
  it('counts as keyStateAt does, through adds, removes and the passing of time', () => {
    let state = 11;
    const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const randomKey = (): Key => ({
      status: (['active', 'disabled', 'revoked'] as const)[Math.floor(next() * 3)]!,
      // Few distinct instants, so equal expiries and expiry exactly at "now" both happen.
      expires_at: next() < 0.3 ? null : next() < 0.05 ? 'not a date' : new Date(START + Math.floor(next() * 10) * 60_000).toISOString(),
    });
    const tally = new KeyStateTally();
    const keys = new Map<number, Key>();
    for (let step = 0; step < 2000; step += 1) {
      const id = Math.floor(next() * 300);
      const old = keys.get(id);
      if (old) tally.remove(old);
      if (next() < 0.2) keys.delete(id);
      else {
        const key = randomKey();
        keys.set(id, key);
        tally.add(key);
      }
      if (step % 50 === 0) {
        for (const minute of [-1, 0, 3, 3.5, 9, 10]) expect(tally.counts(START + minute * 60_000)).toEqual(recount(keys.values(), START + minute * 60_000));
      }
    }
  });
});
