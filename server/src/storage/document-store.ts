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

/** The store stopped accepting reads and writes after a failed write. Restart to reload from disk. */
export class StoreFailedError extends Error {
  readonly code: string = 'store_failed';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreFailedError';
  }
}

/** The write that contained the caller's change failed; the change may or may not be on disk. */
export class DocumentWriteError extends StoreFailedError {
  override readonly code: string = 'document_write_failed';

  constructor(description: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      `Writing ${description} failed (${detail}). The change may or may not have reached the disk; ` +
        `the store now refuses reads and writes. Fix the cause (disk full, permissions) and restart ` +
        `the server to reload the data from disk.`,
      { cause },
    );
    this.name = 'DocumentWriteError';
  }
}

export class StoreClosedError extends Error {
  readonly code = 'store_closed';

  constructor(description: string) {
    super(`The document store for ${description} is closed.`);
    this.name = 'StoreClosedError';
  }
}

export interface LowDocumentStoreOptions {
  /** Names the store in error messages (e.g. the file path). */
  description: string;
  /** Called once, when a write fails and the store stops. */
  onFailure?: (error: StoreFailedError) => void;
}

interface PendingAck {
  resolve(): void;
  reject(error: unknown): void;
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
  readonly #onFailure: ((error: StoreFailedError) => void) | undefined;
  /** Callers whose change is in memory but not yet part of a started write. */
  #unwritten: PendingAck[] = [];
  #writing = false;
  #idleWaiters: Array<() => void> = [];
  #failure: StoreFailedError | undefined;
  #closed = false;
  #writes = 0;
  #acknowledged = 0;

  constructor(low: Low<T>, options: LowDocumentStoreOptions) {
    this.#low = low;
    this.#description = options.description;
    this.#onFailure = options.onFailure;
  }

  get failure(): Error | undefined {
    return this.#failure;
  }

  get stats(): DocumentStoreStats {
    return { acknowledgedUpdates: this.#acknowledged, writes: this.#writes };
  }

  read(): DeepReadonly<T> {
    if (this.#failure) throw this.#failure;
    return this.#low.data as DeepReadonly<T>;
  }

  update<R>(mutator: DocumentMutator<T, R>): Promise<R> {
    if (this.#closed) return Promise.reject(new StoreClosedError(this.#description));
    if (this.#failure) return Promise.reject(this.#failure);
    let result: R;
    try {
      result = mutator(this.#low.data) as R;
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<R>((resolve, reject) => {
      this.#unwritten.push({
        resolve: () => {
          this.#acknowledged += 1;
          // The synchronous part of an async mutator already changed the document, so it is
          // persisted like any change; the caller still learns that async mutators are a bug.
          if (isThenable(result)) reject(new TypeError('A document mutator must be synchronous; it returned a promise.'));
          else resolve(result);
        },
        reject,
      });
      this.#startWriting();
    });
  }

  flush(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (!this.#writing && this.#unwritten.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#idleWaiters.push(() => (this.#failure ? reject(this.#failure) : resolve()));
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.flush().catch(() => undefined);
  }

  #startWriting(): void {
    if (this.#writing) return; // the running loop picks the new change up after its current write
    this.#writing = true;
    void this.#writeLoop();
  }

  async #writeLoop(): Promise<void> {
    // Let every update issued in the same synchronous run join the first write.
    await Promise.resolve();
    while (this.#unwritten.length > 0) {
      const batch = this.#unwritten;
      this.#unwritten = [];
      try {
        // The adapter serializes `data` synchronously, before its first await, so exactly the
        // changes of `batch` (and of nothing applied later) are in this write.
        await this.#low.write();
      } catch (error) {
        this.#fail(error, batch);
        return;
      }
      this.#writes += 1;
      for (const ack of batch) ack.resolve();
    }
    // Checked and cleared in the same synchronous step as the loop condition: no update can slip
    // in between and find neither a running loop nor a new one.
    this.#writing = false;
    this.#notifyIdle();
  }

  #fail(cause: unknown, batch: PendingAck[]): void {
    const writeError = new DocumentWriteError(this.#description, cause);
    this.#failure = writeError;
    for (const ack of batch) ack.reject(writeError);
    const queued = this.#unwritten;
    this.#unwritten = [];
    const notAttempted = new StoreFailedError(
      `The change to ${this.#description} was not written because an earlier write failed; the store ` +
        `refuses reads and writes until the server restarts and reloads the data from disk.`,
      { cause: writeError },
    );
    for (const ack of queued) ack.reject(notAttempted);
    this.#writing = false;
    this.#notifyIdle();
    this.#onFailure?.(writeError);
  }

  #notifyIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const waiter of waiters) waiter();
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
