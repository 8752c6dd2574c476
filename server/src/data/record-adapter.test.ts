import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord, MemberRecord, ScopeRecord } from '../domain/model.js';
import { openMemoryStore } from './open.js';
import type { TesseraStore } from './store.js';
import { keysOf } from './test-support.js';

const T = '2026-01-01T00:00:00.000Z';

function key(n: number, workspace = 'ws_1'): ApiKeyRecord {
  return {
    id: `key_${n}`, workspace_id: workspace, name: `Key ${n}`, description: null, environment: 'live', key_digest: `digest_${n}`,
    key_prefix: 'sk_live_abcd', last_four: 'wxyz', scopes: ['api_keys.read'], roles: [], status: 'active', expires_at: null,
    rate_limit: null, metadata: { n }, created_by: 'mem_1', created_by_key: null, created_at: T, updated_at: T,
    rotated_from: null, rotated_to: null, disabled_at: null, revoked_at: null,
  };
}

const member: MemberRecord = {
  id: 'mem_1', workspace_id: 'ws_1', name: 'Admin', email: 'a@example.com', role: 'admin', status: 'active',
  token_digest: 'token_digest_1', token_prefix: 'tpat_x', created_at: T, updated_at: T, deactivated_at: null,
};

describe('the record-store adapter', () => {
  it('a transaction reads its own writes: by id, by digest, in lists, and deletions', async () => {
    const store = openMemoryStore();
    await store.transact((tx) => {
      tx.putApiKey(key(1));
      tx.putScope({ workspace_id: 'ws_1', name: 'reports.read', description: null, created_at: T, updated_at: T });
    });
    await store.transact(async (tx) => {
      tx.putApiKey(key(2));
      tx.putMember(member);
      tx.deleteScope('ws_1', 'reports.read');
      expect((await tx.apiKey('key_2'))?.name).toBe('Key 2');
      expect((await tx.apiKeyByDigest('digest_2'))?.id).toBe('key_2');
      expect((await tx.memberByTokenDigest('token_digest_1'))?.id).toBe('mem_1');
      expect((await keysOf(tx, 'ws_1')).map((k) => k.id).sort()).toEqual(['key_1', 'key_2']);
      expect(await tx.scope('ws_1', 'reports.read')).toBeUndefined();
      expect(await tx.scopes('ws_1')).toEqual([]);
      // Moved to another workspace inside the transaction: no longer listed in the first.
      tx.putApiKey(key(1, 'ws_2'));
      expect((await keysOf(tx, 'ws_1')).map((k) => k.id)).toEqual(['key_2']);
      expect((await keysOf(tx, 'ws_2')).map((k) => k.id)).toEqual(['key_1']);
    });
    expect((await keysOf(store, 'ws_2')).map((k) => k.id)).toEqual(['key_1']);
    expect((await store.memberByTokenDigest('token_digest_1'))?.email).toBe('a@example.com');
  });

  it('stores copies: changing an object after putting it, or one read back, changes nothing', async () => {
    const store = openMemoryStore();
    const record = key(1);
    await store.transact((tx) => {
      tx.putApiKey(record);
      record.name = 'changed after put';
      record.scopes.push('changed.too');
    });
    const read = (await store.apiKey('key_1'))!;
    read.metadata.n = 99;
    (await keysOf(store, 'ws_1'))[0]!.scopes.push('x');
    expect(await store.apiKey('key_1')).toEqual(key(1));
  });

  it('a transaction that throws, or puts what cannot be stored, applies nothing', async () => {
    const store = openMemoryStore();
    await expect(
      store.transact((tx) => {
        tx.putApiKey(key(1));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await expect(
      store.transact((tx) => {
        tx.putApiKey(key(2));
        tx.putApiKey({ ...key(3), metadata: { big: 10n } } as unknown as ApiKeyRecord);
      }),
    ).rejects.toThrow(TypeError);
    expect(await keysOf(store, 'ws_1')).toEqual([]);
  });

  it('reads back what will be stored: JSON, without undefined fields', async () => {
    const store = openMemoryStore();
    await store.transact(async (tx) => {
      tx.putScope({ workspace_id: 'ws_1', name: 's', description: undefined, created_at: T, updated_at: T } as unknown as ScopeRecord);
      expect(Object.keys((await tx.scope('ws_1', 's'))!)).not.toContain('description');
    });
    expect(Object.keys((await store.scope('ws_1', 's'))!)).not.toContain('description');
  });

  it('runs transactions one at a time, each seeing the ones before it', async () => {
    const store = openMemoryStore();
    const counts = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        store.transact(async (tx) => {
          const before = (await keysOf(tx, 'ws_1')).length;
          await new Promise((resolve) => setTimeout(resolve, 0));
          tx.putApiKey(key(n));
          return before;
        }),
      ),
    );
    expect(counts).toEqual(Array.from({ length: 20 }, (_, n) => n));
  });

  it('counts keys by state across workspaces, and keeps counting as keys change', async () => {
    const store = openMemoryStore();
    const at = (minutes: number) => new Date(Date.parse(T) + minutes * 60_000);
    await store.transact((tx) => {
      tx.putApiKey(key(1));
      tx.putApiKey({ ...key(2), status: 'disabled' });
      tx.putApiKey({ ...key(3, 'ws_2'), expires_at: at(5).toISOString() });
    });
    expect(await store.apiKeyCounts(at(0))).toEqual({ active: 2, disabled: 1, revoked: 0, expired: 0 });
    expect(await store.apiKeyCounts(at(5))).toEqual({ active: 1, disabled: 1, revoked: 0, expired: 1 });
    await store.transact((tx) => {
      tx.putApiKey({ ...key(1), status: 'revoked' });
      tx.putApiKey({ ...key(2), status: 'disabled', expires_at: at(1).toISOString() });
      tx.putApiKey(key(4, 'ws_2'));
    });
    expect(await store.apiKeyCounts(at(0))).toEqual({ active: 2, disabled: 1, revoked: 1, expired: 0 });
    expect(await store.apiKeyCounts(at(9))).toEqual({ active: 1, disabled: 0, revoked: 1, expired: 2 });
    await expect(
      store.transact((tx) => {
        tx.putApiKey({ ...key(4, 'ws_2'), status: 'revoked' });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await store.close();
    await expect(store.transact((tx) => tx.putApiKey({ ...key(3, 'ws_2'), status: 'revoked' }))).rejects.toThrow();
    expect(await store.apiKeyCounts(at(0))).toEqual({ active: 2, disabled: 1, revoked: 1, expired: 0 });
  });

  it('pages a workspace newest first, and keeps its order through later commits, moves included', async () => {
    const store = openMemoryStore();
    const made = (n: number, second: number, workspace = 'ws_1'): ApiKeyRecord => ({ ...key(n, workspace), created_at: `2026-01-01T00:00:0${second}.000Z` });
    const ids = async (workspace: string, after?: string, limit = 10) => {
      const page = await store.apiKeyPage(workspace, after, limit);
      return { ids: page.keys.map((k) => k.id), more: page.more };
    };
    await store.transact((tx) => {
      for (const [n, second] of [[1, 1], [2, 3], [3, 2], [4, 3]] as const) tx.putApiKey(made(n, second));
      tx.putApiKey(made(5, 9, 'ws_2'));
    });
    expect(await ids('ws_1')).toEqual({ ids: ['key_4', 'key_2', 'key_3', 'key_1'], more: false });
    expect(await ids('ws_1', undefined, 2)).toEqual({ ids: ['key_4', 'key_2'], more: true });
    expect(await ids('ws_1', '2026-01-01T00:00:03.000Z|key_2', 2)).toEqual({ ids: ['key_3', 'key_1'], more: false });
    // The page holds the records themselves, as stored.
    expect((await store.apiKeyPage('ws_1', undefined, 1)).keys).toEqual([made(4, 3)]);
    await store.transact((tx) => {
      tx.putApiKey(made(6, 2));
      tx.putApiKey({ ...made(2, 3), status: 'revoked' });
      // Moved out of ws_1 (kept), into ws_2 (not kept yet: built from the records when paged).
      tx.putApiKey(made(3, 2, 'ws_2'));
    });
    expect(await ids('ws_1')).toEqual({ ids: ['key_4', 'key_2', 'key_6', 'key_1'], more: false });
    expect((await store.apiKeyPage('ws_1', undefined, 2)).keys[1]?.status).toBe('revoked');
    expect(await ids('ws_2')).toEqual({ ids: ['key_5', 'key_3'], more: false });
    // And back, both workspaces kept now.
    await store.transact((tx) => tx.putApiKey(made(3, 2)));
    expect(await ids('ws_1')).toEqual({ ids: ['key_4', 'key_2', 'key_6', 'key_3', 'key_1'], more: false });
    expect(await ids('ws_2')).toEqual({ ids: ['key_5'], more: false });
  });

  it('keeps the order unchanged by a transaction that fails or a commit the store refuses', async () => {
    const store = openMemoryStore();
    await store.transact((tx) => tx.putApiKey(key(1)));
    expect((await store.apiKeyPage('ws_1', undefined, 5)).keys.map((k) => k.id)).toEqual(['key_1']);
    await expect(
      store.transact((tx) => {
        tx.putApiKey(key(2));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await store.close();
    // Refused: the store is closed, so the commit applies nothing (in memory, reads still work).
    await expect(
      store.transact((tx) => {
        tx.putApiKey(key(3));
        tx.putApiKey(key(1, 'ws_2'));
      }),
    ).rejects.toThrow();
    expect((await store.apiKeyPage('ws_1', undefined, 5)).keys.map((k) => k.id)).toEqual(['key_1']);
  });

  it('visits a workspace\'s keys one at a time, in the store and in a transaction', async () => {
    const store = openMemoryStore();
    await store.transact((tx) => {
      for (const n of [1, 2, 3, 4]) tx.putApiKey({ ...key(n), status: n % 2 === 0 ? 'revoked' : 'active' });
      tx.putApiKey(key(5, 'ws_2'));
    });
    const active = async (reader: Pick<TesseraStore, 'forEachApiKey'>) => {
      const ids: string[] = [];
      await reader.forEachApiKey('ws_1', (k) => {
        if (k.status === 'active') ids.push(k.id);
      });
      return ids.sort();
    };
    expect(await active(store)).toEqual(['key_1', 'key_3']);
    await store.transact(async (tx) => {
      tx.putApiKey({ ...key(3), status: 'revoked' });
      tx.putApiKey(key(6));
      expect(await active(tx)).toEqual(['key_1', 'key_6']);
      tx.putApiKey(key(1, 'ws_2'));
      expect(await active(tx)).toEqual(['key_6']);
    });
    expect(await active(store)).toEqual(['key_6']);
  });
});
