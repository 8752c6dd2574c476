import { describe, expect, it, vi } from 'vitest';
import { openMemoryStore } from '../data/open.js';
import { apiKeyList, ApiKeyService, type ApiKeyFilters } from './api-keys.js';
import type { ActionContext } from './context.js';
import type { ApiKeyRecord, MemberRecord, WorkspaceRecord } from './model.js';
import { byCreation, pageFrom, type PageRequest } from './pagination.js';
import { DEFAULT_SETTINGS } from './workspaces.js';

const T = '2026-01-01T00:00:00.000Z';

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const workspace: WorkspaceRecord = { id: 'ws_1', name: 'One', settings: DEFAULT_SETTINGS, created_at: T, updated_at: T };
const member = { id: 'mem_1', workspace_id: 'ws_1' } as MemberRecord;
const ctx: ActionContext = { principal: { kind: 'member', workspace, member, scopes: [] }, now: new Date(T), events: [] };

describe('listing API keys without filters', () => {
  it('gives the pages of the full scan, for random keys, writes, page sizes and cursors', async () => {
    const next = random(5);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    for (let round = 0; round < 30; round += 1) {
      const store = openMemoryStore();
      const service = new ApiKeyService(store);
      const scan = vi.spyOn(store, 'forEachApiKey');
      const keys: ApiKeyRecord[] = [];
      /** Keys named by cursors handed out so far, and by cursors made here (later revoked or moved, perhaps). */
      const cursorKeys: Array<{ id: string; created_at: string }> = [];
      /** A cursor after `key`, for the listing with `filters` (a cursor is valid for its own filters only). */
      const cursorAfter = (key: { id: string; created_at: string }, filters: ApiKeyFilters) => pageFrom([key], true, byCreation, apiKeyList('ws_1', filters)).next_cursor!;
      const put = async (record: ApiKeyRecord) => {
        await store.transact((tx) => tx.putApiKey(record));
        const at = keys.findIndex((k) => k.id === record.id);
        if (at === -1) keys.push(record);
        else keys[at] = record;
      };
      const newKey = (n: number): ApiKeyRecord => ({
        // Few distinct times, so ties are decided by the id; the odd id holds the separator.
        id: `key_${Math.floor(next() * 1000)}${next() < 0.05 ? '|x' : ''}_${n}`,
        workspace_id: next() < 0.8 ? 'ws_1' : 'ws_2',
        name: `Key ${n}`, description: null, environment: 'live', key_digest: `digest_${round}_${n}`, key_prefix: 'sk_live_abcd', last_four: 'wxyz',
        scopes: [], roles: [], status: 'active', expires_at: null, rate_limit: null, metadata: {}, created_by: 'mem_1', created_by_key: null,
        created_at: new Date(Date.parse(T) + Math.floor(next() * 6) * 1000).toISOString(), updated_at: T,
        rotated_from: null, rotated_to: null, disabled_at: null, revoked_at: null,
      });
      const count = Math.floor(next() * 80);
      for (let n = 0; n < count; n += 1) await put(newKey(n));
      for (let step = 0; step < 40; step += 1) {
        const action = next();
        const some = keys.length > 0 ? pick(keys) : undefined;
        if (action < 0.15) await put(newKey(count + step));
        else if (action < 0.25 && some) await put({ ...some, status: 'revoked', revoked_at: T });
        else if (action < 0.32 && some) await put({ ...some, workspace_id: some.workspace_id === 'ws_1' ? 'ws_2' : 'ws_1' });
        else if (action < 0.4 && some) cursorKeys.push(some);
        else {
          const limit = 1 + Math.floor(next() * 15);
          const after = cursorKeys.length > 0 && next() < 0.7 ? pick(cursorKeys) : undefined;
          const request = (filters: ApiKeyFilters): PageRequest => (after ? { limit, cursor: cursorAfter(after, filters) } : { limit });
          scan.mockClear();
          const fast = await service.list(ctx, 'ws_1', {}, request({}));
          expect(scan).not.toHaveBeenCalled();
          // Every key is live: the filter lets all through, and takes the full scan.
          const full = await service.list(ctx, 'ws_1', { environment: 'live' }, request({ environment: 'live' }));
          expect(scan).toHaveBeenCalled();
          expect(full.data).toEqual(fast.data);
          expect(full.has_more).toBe(fast.has_more);
          const last = fast.data.at(-1);
          expect(fast.next_cursor).toBe(fast.has_more && last ? cursorAfter(last, {}) : null);
          expect(full.next_cursor).toBe(full.has_more && last ? cursorAfter(last, { environment: 'live' }) : null);
          if (fast.has_more && last) cursorKeys.push(last);
        }
      }
    }
  });
});
