import type { Adapter } from 'lowdb';
import { describe, expect, it, vi } from 'vitest';
import {
  DocumentWriteError,
  MemoryDocumentStore,
  StoreClosedError,
  StoreFailedError,
  type DocumentStore,
} from './document-store.js';
import { deferred } from './test-support.js';

interface Doc {
  items: number[];
}

/** A lowdb adapter that records what each write contained and can be held or made to fail. */
class ScriptedAdapter implements Adapter<Doc> {
  readonly written: number[][] = [];
  inFlight = 0;
  maxInFlight = 0;
  gate: Promise<void> | undefined;
  failNext: Error | undefined;

  async read(): Promise<Doc | null> {
    return null;
  }

  write(data: Doc): Promise<void> {
    const snapshot = [...data.items];
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const gate = this.gate;
    const failure = this.failNext;
    this.failNext = undefined;
    return (async () => {
      try {
        await gate;
        if (failure) throw failure;
        this.written.push(snapshot);
      } finally {
        this.inFlight -= 1;
      }
    })();
  }
}

function storeWith(adapter: ScriptedAdapter, onFailure?: (error: StoreFailedError) => void): DocumentStore<Doc> {
  return new MemoryDocumentStore<Doc>({ items: [] }, { adapter, onFailure, description: 'the test document' });
}

describe('MemoryDocumentStore', () => {
  it('applies a mutation immediately and resolves with the mutator result', async () => {
    const store = new MemoryDocumentStore<Doc>({ items: [] });
    const pending = store.update((doc) => doc.items.push(7));
    expect(store.read().items).toEqual([7]); // before awaiting
    // Type-level guard, checked by tsc: the snapshot is read-only, changes go through update().
    // @ts-expect-error read() returns a deeply read-only view
    const mutateSnapshot = (): number => store.read().items.push(8);
    expect(mutateSnapshot).toBeTypeOf('function');
    expect(await pending).toBe(1);
    await store.close();
  });

  it('never mutates the default data it was given', async () => {
    const defaults: Doc = { items: [] };
    const store = new MemoryDocumentStore<Doc>(defaults);
    await store.update((doc) => void doc.items.push(1));
    expect(defaults.items).toEqual([]);
  });

  it('lets concurrent callers see each other’s changes in call order', async () => {
    const store = new MemoryDocumentStore<Doc>({ items: [] });
    const seen = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        store.update((doc) => {
          doc.items.push(index);
          return [...doc.items];
        }),
      ),
    );
    expect(seen).toEqual([[0], [0, 1], [0, 1, 2], [0, 1, 2, 3], [0, 1, 2, 3, 4]]);
  });
});

describe('group commit', () => {
  it('coalesces 200 concurrent updates into far fewer writes, one at a time, losing none', async () => {
    const adapter = new ScriptedAdapter();
    const store = storeWith(adapter);
    // Spread the calls over many microtask turns so that writes start while updates still arrive.
    await Promise.all(
      Array.from({ length: 200 }, async (_, index) => {
        for (let turn = 0; turn < index % 7; turn += 1) await Promise.resolve();
        await store.update((doc) => void doc.items.push(index));
      }),
    );
    expect(adapter.written.length).toBeGreaterThan(0);
    expect(adapter.written.length).toBeLessThan(20);
    expect(adapter.maxInFlight).toBe(1);
    expect([...adapter.written.at(-1)!].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(store.stats).toEqual({ acknowledgedUpdates: 200, writes: adapter.written.length });
  });

  it('puts every update made while a write is in flight into exactly one next write', async () => {
    const adapter = new ScriptedAdapter();
    const store = storeWith(adapter);
    const hold = deferred();
    adapter.gate = hold.promise;
    const first = store.update((doc) => void doc.items.push(0));
    await vi.waitFor(() => expect(adapter.inFlight).toBe(1));
    adapter.gate = undefined;
    const rest = Array.from({ length: 199 }, (_, index) => store.update((doc) => void doc.items.push(index + 1)));
    hold.resolve();
    await Promise.all([first, ...rest]);
    expect(adapter.written.map((items) => items.length)).toEqual([1, 200]);
  });

  it('acknowledges a caller only after a write containing its change completed', async () => {
    const adapter = new ScriptedAdapter();
    const store = storeWith(adapter);
    const violations: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, async (_, index) => {
        for (let turn = 0; turn < index % 5; turn += 1) await Promise.resolve();
        await store.update((doc) => void doc.items.push(index));
        if (!adapter.written.some((items) => items.includes(index))) violations.push(index);
      }),
    );
    expect(violations).toEqual([]);
  });

  it('rejects the callers of a failed write, fails the queued ones, then refuses everything', async () => {
    const adapter = new ScriptedAdapter();
    const failures: StoreFailedError[] = [];
    const store = storeWith(adapter, (error) => failures.push(error));
    await store.update((doc) => void doc.items.push(1));

    const hold = deferred();
    adapter.gate = hold.promise;
    adapter.failNext = Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    const inFailedWrite = [store.update((doc) => void doc.items.push(2)), store.update((doc) => void doc.items.push(3))];
    await vi.waitFor(() => expect(adapter.inFlight).toBe(1));
    adapter.gate = undefined;
    const queuedBehind = store.update((doc) => void doc.items.push(4));
    hold.resolve();

    for (const call of inFailedWrite) {
      const error = await call.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DocumentWriteError);
      expect((error as DocumentWriteError).code).toBe('document_write_failed');
      expect((error as Error).message).toContain('disk full');
    }
    const queuedError = await queuedBehind.catch((caught: unknown) => caught);
    expect(queuedError).toBeInstanceOf(StoreFailedError);
    expect(queuedError).not.toBeInstanceOf(DocumentWriteError);

    // Only the failed write was attempted after the first one; the queued change never was.
    expect(adapter.written).toEqual([[1]]);
    expect(failures).toHaveLength(1);
    expect(store.failure).toBe(failures[0]);

    const mutator = vi.fn((doc: Doc) => void doc.items.push(5));
    await expect(store.update(mutator)).rejects.toBeInstanceOf(StoreFailedError);
    expect(mutator).not.toHaveBeenCalled();
    expect(() => store.read()).toThrow(StoreFailedError);
    await expect(store.flush()).rejects.toBeInstanceOf(StoreFailedError);
    await expect(store.close()).resolves.toBeUndefined();
  });

  it('rejects a caller whose mutator throws, writes nothing for it, and stays usable', async () => {
    const adapter = new ScriptedAdapter();
    const store = storeWith(adapter);
    await expect(
      store.update(() => {
        throw new Error('not found');
      }),
    ).rejects.toThrow('not found');
    await store.flush();
    expect(adapter.written).toEqual([]);
    await store.update((doc) => void doc.items.push(1));
    expect(adapter.written).toEqual([[1]]);
  });

  it('rejects an async mutator after persisting what it already changed synchronously', async () => {
    const adapter = new ScriptedAdapter();
    const store = storeWith(adapter);
    const call = store.update(
      // @ts-expect-error async mutators are refused by the type too
      async (doc: Doc) => {
        doc.items.push(1);
      },
    );
    await expect(call).rejects.toThrow(TypeError);
    expect(adapter.written).toEqual([[1]]);
  });

  it('close waits for pending writes and then refuses updates', async () => {
    const adapter = new ScriptedAdapter();
    const store = storeWith(adapter);
    const hold = deferred();
    adapter.gate = hold.promise;
    const pending = store.update((doc) => void doc.items.push(1));
    let closed = false;
    const closing = store.close().then(() => {
      closed = true;
    });
    await vi.waitFor(() => expect(adapter.inFlight).toBe(1));
    expect(closed).toBe(false);
    hold.resolve();
    await closing;
    await pending;
    expect(adapter.written).toEqual([[1]]);
    await expect(store.update((doc) => void doc.items.push(2))).rejects.toBeInstanceOf(StoreClosedError);
  });

  it('flush resolves once everything applied so far is written', async () => {
    const adapter = new ScriptedAdapter();
    const store = storeWith(adapter);
    void store.update((doc) => void doc.items.push(1));
    void store.update((doc) => void doc.items.push(2));
    await store.flush();
    expect(adapter.written.at(-1)).toEqual([1, 2]);
  });
});
