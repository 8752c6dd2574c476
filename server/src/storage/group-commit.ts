/**
 * Group commit, shared by the document store and the records store: callers whose change is
 * already applied in memory wait for one write that contains it. There is never more than one
 * write in flight; changes that arrive meanwhile are coalesced into the next one, and a caller is
 * acknowledged only after a write containing its change has completed.
 *
 * Failure is fail-stop (see document-store.ts for why): the callers of the failed write are
 * rejected with {@link DocumentWriteError}, those queued behind it with {@link StoreFailedError},
 * and every later call is refused until the process restarts and reloads from disk.
 */
import { DocumentWriteError, StoreFailedError } from './store-errors.js';

export interface GroupCommitOptions<T> {
  /** Names the store in error messages (e.g. the file path). */
  description: string;
  /** Makes one batch durable. It must capture what it writes before its first await. */
  write(batch: T[]): Promise<void>;
  /** After each completed write, before the next starts: the only moment none is in flight. */
  afterWrite?(): void;
  /** Called once, when a write fails and the store stops. */
  onFailure?: ((error: StoreFailedError) => void) | undefined;
}

interface Waiting<T> {
  item: T;
  resolve(): void;
  reject(error: unknown): void;
}

export class GroupCommit<T> {
  readonly #options: GroupCommitOptions<T>;
  /** Changes applied in memory but not yet part of a started write. */
  #queue: Array<Waiting<T>> = [];
  #writing = false;
  #idleWaiters: Array<() => void> = [];
  #failure: StoreFailedError | undefined;
  #writes = 0;
  #acknowledged = 0;

  constructor(options: GroupCommitOptions<T>) {
    this.#options = options;
  }

  /** The error that stopped the store, if any. */
  get failure(): StoreFailedError | undefined {
    return this.#failure;
  }

  /** Whether a write is in flight (or about to start). */
  get writing(): boolean {
    return this.#writing;
  }

  /** Completed writes, and the changes they acknowledged. */
  get stats(): { writes: number; acknowledged: number } {
    return { writes: this.#writes, acknowledged: this.#acknowledged };
  }

  /** Resolves once a write containing `item` has completed. */
  enqueue(item: T): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (this.#writing) return; // the running loop takes it after its current write
      this.#writing = true;
      void this.#writeLoop();
    });
  }

  /** Resolves when every change enqueued so far is written; rejects if the store has failed. */
  flush(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (!this.#writing && this.#queue.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#idleWaiters.push(() => (this.#failure ? reject(this.#failure) : resolve()));
    });
  }

  async #writeLoop(): Promise<void> {
    // Let every change issued in the same synchronous run join the first write.
    await Promise.resolve();
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      try {
        await this.#options.write(batch.map((waiting) => waiting.item));
      } catch (error) {
        this.#fail(error, batch);
        return;
      }
      this.#writes += 1;
      this.#acknowledged += batch.length;
      for (const waiting of batch) waiting.resolve();
      this.#options.afterWrite?.();
    }
    // Checked and cleared in the same synchronous step as the loop condition: no change can slip
    // in between and find neither a running loop nor a new one.
    this.#writing = false;
    this.#notifyIdle();
  }

  #fail(cause: unknown, batch: Array<Waiting<T>>): void {
    const { description } = this.#options;
    const writeError = new DocumentWriteError(description, cause);
    this.#failure = writeError;
    for (const waiting of batch) waiting.reject(writeError);
    const queued = this.#queue;
    this.#queue = [];
    const notAttempted = new StoreFailedError(
      // Not "was not written": another write of the same store (e.g. a snapshot) may hold it.
      `The change to ${description} was not written by its own write because an earlier write failed, so it may ` +
        `or may not be on disk; the store refuses reads and writes until the server restarts and reloads the data from disk.`,
      { cause: writeError },
    );
    for (const waiting of queued) waiting.reject(notAttempted);
    this.#writing = false;
    this.#notifyIdle();
    this.#options.onFailure?.(writeError);
  }

  #notifyIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const waiter of waiters) waiter();
  }
}
