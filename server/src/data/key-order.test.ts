import { describe, expect, it } from 'vitest';
import { KeyOrder } from './key-order.js';

type Key = { workspace_id: string; created_at: string; id: string };

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
const key = (id: string, second: number, workspace = 'ws_1'): Key => ({ workspace_id: workspace, created_at: at(second), id });

/** Every id of a kept workspace, newest first, read a page of `limit` at a time. */
function walk(order: KeyOrder, workspace: string, limit: number): string[] {
  const ids: string[] = [];
  let before: string | undefined;
  for (;;) {
    const page = order.descending(workspace, before, limit);
    ids.push(...page.ids);
    if (!page.more) return ids;
    const last = page.ids.at(-1)!;
    // The position of the last key of the page, as a cursor would carry it.
    before = `${at(Number(last.split('_')[1]) % 100)}|${last}`;
  }
}

describe('KeyOrder', () => {
  it('orders keys added in any order by created_at, newest first, equal times by id (as strings)', () => {
    const order = new KeyOrder();
    order.build('ws_1', []);
    // The id's number is also its second (mod 100), so `walk` can name its position.
    for (const n of [305, 5, 107, 2, 205, 7, 1]) order.add(key(`k_${n}`, n % 100));
    expect(walk(order, 'ws_1', 2)).toEqual(['k_7', 'k_107', 'k_5', 'k_305', 'k_205', 'k_2', 'k_1']);
    expect(walk(order, 'ws_1', 100)).toEqual(walk(order, 'ws_1', 1));
  });

  it('builds from keys in any order the same order that adding them one by one gives', () => {
    const keys = [305, 5, 107, 2, 205, 7, 1].map((n) => key(`k_${n}`, n % 100));
    const built = new KeyOrder();
    built.build('ws_1', keys);
    const added = new KeyOrder();
    added.build('ws_1', []);
    for (const k of [...keys].reverse()) added.add(k);
    expect(walk(built, 'ws_1', 3)).toEqual(['k_7', 'k_107', 'k_5', 'k_305', 'k_205', 'k_2', 'k_1']);
    expect(walk(added, 'ws_1', 3)).toEqual(walk(built, 'ws_1', 3));
  });

  it('starts a page after any position, a key of the list or not, and says whether more follow', () => {
    const order = new KeyOrder();
    order.build('ws_1', [key('k_1', 1), key('k_2', 2), key('k_3', 3)]);
    expect(order.descending('ws_1', undefined, 2)).toEqual({ ids: ['k_3', 'k_2'], more: true });
    expect(order.descending('ws_1', `${at(2)}|k_2`, 2)).toEqual({ ids: ['k_1'], more: false });
    // Between k_2 and k_3, before every key, and after every key.
    expect(order.descending('ws_1', `${at(2)}|k_25`, 1)).toEqual({ ids: ['k_2'], more: true });
    expect(order.descending('ws_1', `${at(0)}|k_0`, 2)).toEqual({ ids: [], more: false });
    expect(order.descending('ws_1', `${at(9)}`, 3)).toEqual({ ids: ['k_3', 'k_2', 'k_1'], more: false });
  });

  it('finds the id of a key whose id or created_at holds the separator', () => {
    const order = new KeyOrder();
    order.build('ws_1', [{ workspace_id: 'ws_1', created_at: 'a|b', id: 'c|d' }, key('k|1', 1)]);
    expect(order.descending('ws_1', undefined, 5).ids).toEqual(['c|d', 'k|1']);
  });

  it('removes exactly the key given, leaves the order alone for one it does not hold', () => {
    const order = new KeyOrder();
    order.build('ws_1', [key('k_1', 1), key('k_2', 1), key('k_3', 1)]);
    order.remove(key('k_2', 1));
    order.remove(key('k_9', 1));
    order.remove(key('k_1', 5));
    expect(order.descending('ws_1', undefined, 5).ids).toEqual(['k_3', 'k_1']);
  });

  it('keeps only the workspaces it was built for, each apart', () => {
    const order = new KeyOrder();
    expect(order.empty).toBe(true);
    order.add(key('k_1', 1, 'ws_2'));
    expect(order.has('ws_2')).toBe(false);
    order.build('ws_1', [key('k_1', 1)]);
    order.build('ws_2', [key('k_2', 2, 'ws_2')]);
    expect(order.empty).toBe(false);
    // A key moved from ws_1 to ws_2: removed as it was, added as it is.
    order.remove(key('k_1', 1));
    order.add(key('k_1', 1, 'ws_2'));
    order.add(key('k_3', 3, 'ws_3'));
    expect(order.descending('ws_1', undefined, 5)).toEqual({ ids: [], more: false });
    expect(order.descending('ws_2', undefined, 5)).toEqual({ ids: ['k_2', 'k_1'], more: false });
    expect(order.has('ws_3')).toBe(false);
  });
});
