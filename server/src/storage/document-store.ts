/**
 * A document store holds one JSON document in memory and persists it whole.
 *
 * Writes use group commit: `update()` applies the mutation to the in-memory document at once and
 * synchronously (so concurrent callers see each other's changes, in call order), then waits for a
 * persisted write that contains it. Updates that arrive while a write is in flight are coalesced
 * into one next write. There is never more than one write in flight, and a caller is
 * acknowledged only after a write that contains its change has completed.
 *
 * Failure policy: fail-stop. When a write fails, the callers whose changes were in it are rejected
 * with {@link DocumentWriteError}, the callers queued behind it with {@link StoreFailedError}, and
 * the store refuses every further read and update until the process restarts and reloads the file.
 * Why not roll back to a snapshot and carry on?
 *  - We cannot always tell what is on disk after a failure: if the rename succeeded but the folder
 *    fsync failed, the "failed" change may be durable; rolling memory back would make it diverge.
 *  - After a failed fsync the kernel may already have dropped the dirty pages and cleared the
 *    error, so a retry that "succeeds" proves nothing (the PostgreSQL "fsyncgate" lesson).
 *  - Changes queued behind the failed write were computed on top of it; they would have to be
 *    rejected too, and readers may hold objects from the discarded state.
 * The file on disk is the single source of truth, and a restart reloads it unambiguously. Refusing
 * reads too means no request is ever answered from state that is not known to be on disk.
 * `failure` and `onFailure` let the server report itself unhealthy and exit.
 */
import { Low, Memory, type Adapter } from 'lowdb';

/** Recursively read-only view: the document must only be changed through `update()`. */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A mutator must be synchronous: async work would escape the group commit. */
export type DocumentMutator<T, R> = (draft: T) => R extends PromiseLike<unknown> ? never : R;

export interface DocumentStoreStats {
  /** Updates acknowledged as persisted. */
  readonly acknowledgedUpdates: number;
  /** Completed writes of the whole document (far fewer than updates under load). */
  readonly writes: number;
}

export interface DocumentStore<T> {
  /** The current in-memory document (includes changes whose write is still in flight). */
  read(): DeepReadonly<T>;
  /**
   * Apply `mutator` to the document now, then resolve with its return value once a write that
   * contains the change is persisted. A mutator that throws rejects the call and nothing is
   * written for it; it must do its checks before mutating (a partial change would stay in memory
   * and be written with the next commit).
   */
  update<R>(mutator: DocumentMutator<T, R>): Promise<R>;
  /** Resolves when every change applied so far is persisted; rejects if the store has failed. */
  flush(): Promise<void>;
  /** Refuse new updates, wait for pending writes to settle. Never rejects. Idempotent. */
  close(): Promise<void>;
  /** The error that stopped the store, if any. */
  readonly failure: Error | undefined;
  readonly stats: DocumentStoreStats;
}

import { GroupCommit } from './group-commit.js';
import { StoreClosedError, type StoreFailedError } from './store-errors.js';

export { DocumentWriteError, StoreClosedError, StoreFailedError } from './store-errors.js';

export interface LowDocumentStoreOptions {
  /** Names the store in error messages (e.g. the file path). */
  description: string;
  /** Called once, when a write fails and the store stops. */
  onFailure?: (error: StoreFailedError) => void;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** The group-commit engine over any lowdb `Low`; the adapter decides where the document goes. */
export class LowDocumentStore<T> implements DocumentStore<T> {
  readonly #low: Low<T>;
  readonly #description: string;
  readonly #commits: GroupCommit<void>;
  #closed = false;

  constructor(low: Low<T>, options: LowDocumentStoreOptions) {
    this.#low = low;
    this.#description = options.description;
    this.#commits = new GroupCommit<void>({
      description: options.description,
      // The adapter serializes `data` synchronously, before its first await, so exactly the
      // changes of the batch (and of nothing applied later) are in this write.
      write: () => low.write(),
      onFailure: options.onFailure,
    });
  }

  get failure(): Error | undefined {
    return this.#commits.failure;
  }

  get stats(): DocumentStoreStats {
    const { acknowledged, writes } = this.#commits.stats;
    return { acknowledgedUpdates: acknowledged, writes };
  }

  read(): DeepReadonly<T> {
    const failure = this.#commits.failure;
    if (failure) throw failure;
    return this.#low.data as DeepReadonly<T>;
  }

  update<R>(mutator: DocumentMutator<T, R>): Promise<R> {
    if (this.#closed) return Promise.reject(new StoreClosedError(this.#description));
    const failure = this.#commits.failure;
    if (failure) return Promise.reject(failure);
    let result: R;
    try {
      result = mutator(this.#low.data) as R;
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#commits.enqueue().then(() => {
      // The synchronous part of an async mutator already changed the document, so it is
      // persisted like any change; the caller still learns that async mutators are a bug.
      if (isThenable(result)) throw new TypeError('A document mutator must be synchronous; it returned a promise.');
      return result;
    });
  }

  flush(): Promise<void> {
    return this.#commits.flush();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.flush().catch(() => undefined);
  }
}

/**
 * In-memory document store (no file): same interface and the same group-commit semantics, for
 * unit tests and the in-process mock. Backed by lowdb's Memory adapter.
 */
export class MemoryDocumentStore<T> extends LowDocumentStore<T> {
  constructor(defaultData: T, options: Partial<LowDocumentStoreOptions> & { adapter?: Adapter<T> } = {}) {
    const low = new Low<T>(options.adapter ?? new Memory<T>(), structuredClone(defaultData));
    super(low, { description: options.description ?? 'the in-memory document', onFailure: options.onFailure });
  }
}
