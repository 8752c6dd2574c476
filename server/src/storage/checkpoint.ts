/**
 * Periodic checkpoint of hot in-memory state (e.g. a Map of key id -> last_used_at) that changes
 * too often to rewrite a data file per change.
 *
 * The state lives in memory; `update()` marks it changed. Every `intervalMs`, and on `flush()` /
 * `close()`, the whole state is encoded and written with {@link writeFileDurably} — but only if it
 * changed since the last save. A crash loses at most one interval of changes, which is the
 * accepted trade for this kind of derived, best-effort data.
 *
 * Unlike the document store, a failed save is retried at the next interval instead of stopping:
 * every save writes the complete current state (nothing is acknowledged per change, nothing can
 * be duplicated or half-applied), and the file is only ever replaced atomically.
 */
import {
  CorruptDataFileError,
  type DurableFileWriter,
  readJsonFile,
  removeLeftoverTempFiles,
  writeFileDurably,
} from './durable-file.js';
import { messageOf } from '../error-message.js';

export interface CheckpointCodec<S> {
  /** State -> JSON-serializable value. */
  encode(state: S): unknown;
  /** Parsed file -> state; throws when the shape is wrong (the file is then reported corrupt). */
  decode(value: unknown): S;
}

export interface CheckpointOptions<S> extends CheckpointCodec<S> {
  /** Save at most this often (only when changed). */
  intervalMs: number;
  /** The state when no checkpoint file exists yet. */
  initial: () => S;
  /** Replaces {@link writeFileDurably}; tests inject counting or failing writers. */
  writeFile?: DurableFileWriter;
  /** Called when a periodic save fails (it is retried at the next interval). */
  onSaveError?: (error: unknown) => void;
}

export class CheckpointClosedError extends Error {
  readonly code = 'checkpoint_closed';

  constructor(filePath: string) {
    super(`The checkpoint ${filePath} is closed.`);
    this.name = 'CheckpointClosedError';
  }
}

/** Codec for a `Map` stored as an array of [key, value] entries (JSON has no Map). */
export function mapCodec<K extends string | number, V>(isValue?: (value: unknown) => value is V): CheckpointCodec<Map<K, V>> {
  return {
    encode: (state) => [...state],
    decode: (value) => {
      if (!Array.isArray(value)) throw new Error('expected an array of [key, value] entries');
      const map = new Map<K, V>();
      for (const entry of value as unknown[]) {
        if (!Array.isArray(entry) || entry.length !== 2 || (typeof entry[0] !== 'string' && typeof entry[0] !== 'number')) {
          throw new Error('expected every entry to be a [key, value] pair with a string or number key');
        }
        if (isValue && !isValue(entry[1])) throw new Error(`unexpected value for key ${String(entry[0])}`);
        map.set(entry[0] as K, entry[1] as V);
      }
      return map;
    },
  };
}

export class Checkpoint<S> {
  readonly path: string;
  readonly #state: S;
  readonly #encode: (state: S) => unknown;
  readonly #writeFile: DurableFileWriter;
  readonly #onSaveError: ((error: unknown) => void) | undefined;
  readonly #timer: NodeJS.Timeout;
  /** Incremented per change; compared with the version last saved to know whether to save. */
  #version = 0;
  #savedVersion = 0;
  #saving: Promise<void> | undefined;
  #saves = 0;
  #closed = false;
  #closing: Promise<void> | undefined;

  private constructor(filePath: string, state: S, options: CheckpointOptions<S>) {
    this.path = filePath;
    this.#state = state;
    this.#encode = options.encode;
    this.#writeFile = options.writeFile ?? writeFileDurably;
    this.#onSaveError = options.onSaveError;
    this.#timer = setInterval(() => {
      this.#save().catch((error: unknown) => this.#onSaveError?.(error));
    }, options.intervalMs);
    // Periodic saving must never keep the process alive; close() saves the last changes.
    this.#timer.unref();
  }

  /** Load the checkpoint (or start from `initial()`); a corrupt file throws and is left as is. */
  static async open<S>(filePath: string, options: CheckpointOptions<S>): Promise<Checkpoint<S>> {
    if (!(options.intervalMs > 0)) throw new RangeError('intervalMs must be a positive number');
    await removeLeftoverTempFiles(filePath);
    const value = await readJsonFile(filePath);
    let state: S;
    if (value === undefined) {
      state = options.initial();
    } else {
      try {
        state = options.decode(value);
      } catch (error) {
        const message = messageOf(error);
        throw new CorruptDataFileError(filePath, `its content does not have the expected shape (${message})`, {
          cause: error,
        });
      }
    }
    return new Checkpoint<S>(filePath, state, options);
  }

  /** The live state. Mutate it only inside `update()` (or call `markChanged()` afterwards). */
  get state(): S {
    return this.#state;
  }

  get hasUnsavedChanges(): boolean {
    return this.#version !== this.#savedVersion;
  }

  /** Completed saves (for metrics and tests). */
  get saves(): number {
    return this.#saves;
  }

  /** Mutate the state and mark it changed. Synchronous: hot paths call this per request. */
  update<R>(mutator: (state: S) => R): R {
    if (this.#closed) throw new CheckpointClosedError(this.path);
    try {
      return mutator(this.#state);
    } finally {
      // Even when the mutator throws: it may have changed the state before throwing, and saving
      // an unchanged state is harmless while losing a change is not.
      this.#version += 1;
    }
  }

  markChanged(): void {
    if (this.#closed) throw new CheckpointClosedError(this.path);
    this.#version += 1;
  }

  /** Save now if anything changed since the last save. */
  async flush(): Promise<void> {
    await this.#save();
  }

  /** Stop the timer and save the last changes. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#closed = true;
      clearInterval(this.#timer);
      await this.#save();
    })();
    return this.#closing;
  }

  /**
   * One save at a time. When nothing is in flight and the state changed, the writer is called
   * synchronously (tests rely on that to count saves without waiting on the clock).
   */
  #save(): Promise<void> {
    if (this.#saving) {
      // Changes made during the in-flight save are not in it: save again after it.
      const previous = this.#saving;
      return previous.catch(() => undefined).then(() => this.#save());
    }
    if (!this.hasUnsavedChanges) return Promise.resolve();
    const version = this.#version;
    let text: string;
    try {
      text = `${JSON.stringify(this.#encode(this.#state))}\n`;
    } catch (error) {
      return Promise.reject(error);
    }
    const saving = this.#writeFile(this.path, text).then(() => {
      this.#savedVersion = version;
      this.#saves += 1;
    });
    this.#saving = saving;
    const clear = (): void => {
      if (this.#saving === saving) this.#saving = undefined;
    };
    saving.then(clear, clear);
    return saving;
  }
}
