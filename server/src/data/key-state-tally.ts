/**
 * How many API keys are in each state, kept up to date as keys are written, so that counting
 * 100,000 keys (the Prometheus gauge does it on every scrape) takes two binary searches instead
 * of reading every key. States follow the domain's `keyStateAt`: revoked, else expired once
 * `expires_at` has passed, else the stored status; a test holds the two together.
 */
import type { KeyState } from '../domain/credentials.js';
import type { ApiKeyRecord, StoredKeyStatus } from '../domain/model.js';

export type KeyStateCounts = Record<KeyState, number>;
type Tallied = Pick<ApiKeyRecord, 'status' | 'expires_at'>;

export class KeyStateTally {
  readonly #stored: Record<StoredKeyStatus, number> = { active: 0, disabled: 0, revoked: 0 };
  /** Expiry times (ms) of the active and of the disabled keys that have one, ascending. */
  readonly #expiries: Record<'active' | 'disabled', number[]> = { active: [], disabled: [] };

  add(key: Tallied): void {
    this.#stored[key.status] += 1;
    const expiries = this.#expiriesOf(key);
    if (expiries) expiries.list.splice(firstAfter(expiries.list, expiries.at), 0, expiries.at);
  }

  remove(key: Tallied): void {
    this.#stored[key.status] -= 1;
    const expiries = this.#expiriesOf(key);
    if (expiries) expiries.list.splice(firstAfter(expiries.list, expiries.at) - 1, 1);
  }

  counts(nowMs: number): KeyStateCounts {
    const expiredActive = firstAfter(this.#expiries.active, nowMs);
    const expiredDisabled = firstAfter(this.#expiries.disabled, nowMs);
    return {
      active: this.#stored.active - expiredActive,
      disabled: this.#stored.disabled - expiredDisabled,
      revoked: this.#stored.revoked,
      expired: expiredActive + expiredDisabled,
    };
  }

  #expiriesOf(key: Tallied): { list: number[]; at: number } | undefined {
    if (key.status === 'revoked' || key.expires_at === null) return undefined;
    const at = Date.parse(key.expires_at);
    // An unparseable date never passes (as in keyStateAt, where `NaN <= now` is false).
    return Number.isNaN(at) ? undefined : { list: this.#expiries[key.status], at };
  }
}

/** Index of the first element greater than `value` in an ascending list (= how many are <= it). */
function firstAfter(list: readonly number[], value: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}
