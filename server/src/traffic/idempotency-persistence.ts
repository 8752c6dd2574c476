/**
 * Completed idempotency entries that survive a restart: an {@link InMemoryIdempotencyStore} whose
 * completions are saved in the data folder in the background and loaded back at start.
 *
 * - Nothing touches the disk on the request path: `complete` only notes the entry. Every
 *   `saveIntervalMs` (when something was noted), the notes are appended to the log in one write
 *   and one fsync. A crash loses at most that interval; `close()` saves the rest.
 * - A failed save (a full disk) is said once, then retried at twice the delay each time, up to
 *   every 5 min, until one works (said too). Until then the next save is a compaction, which
 *   writes the whole store: nothing is noted meanwhile, so the memory held stays the store's.
 * - Once the log outgrows the snapshot, the next save writes a new snapshot of the store instead
 *   (a compaction) and empties the log, so the files stay within about twice the store and each
 *   save writes only what is new, not the whole store (up to 32 MiB of bodies) again.
 * - Every write is encoded and written a chunk at a time, so a save holds the event loop for
 *   milliseconds, never for the `JSON.stringify` of the whole store (see idempotency-files.ts).
 * - A response that reveals a secret (a new API key, a personal access token, a signing secret)
 *   is saved withheld: without headers or body. A raw secret never lands on disk, and a retry
 *   after a restart gets 409 `idempotency_response_unavailable` instead of a second key.
 * - In-flight entries are not saved: a request still running at a crash may or may not have done
 *   its work, and no response exists to replay, so its retry after a restart runs. (A graceful
 *   stop lets running requests finish and saves their completions.)
 * - Loading keeps the completion order (the order eviction takes), drops expired entries and
 *   applies the caps. A file whose content is damaged is renamed aside (`<name>.corrupt-<time>`)
 *   with a warning and the server starts without its entries: a replay cache is not worth
 *   refusing to start for. One that cannot be read at all (permissions, an I/O error, a folder in
 *   its place) fails the start and is left where it is: its content may be fine and the error
 *   pass, and a server started without it would overwrite it at its next compaction.
 */
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { CorruptDataFileError, fsyncDirectory, removeLeftoverTempFiles } from '../storage/durable-file.js';
import { systemClock, type Clock } from './clock.js';
import {
  InMemoryIdempotencyStore,
  type CompletedIdempotencyEntry,
  type InMemoryIdempotencyStoreOptions,
  type ReplayableIdempotencyEntry,
} from './idempotency.js';
import {
  IDEMPOTENCY_LOG_FILE_NAME,
  IDEMPOTENCY_SNAPSHOT_FILE_NAME,
  readLog,
  readSnapshot,
  setAside,
  writeLines,
  writeSnapshot,
  type LogRecord,
} from './idempotency-files.js';
import { encodeRecord, encodeSnapshotHeader } from './idempotency-records.js';
import { messageOf } from '../error-message.js';

export const DEFAULT_IDEMPOTENCY_SAVE_INTERVAL_MS = 5_000;
/** After failed background saves, the next one waits twice as long each time, up to this. */
const MAX_RETRY_DELAY_MS = 5 * 60_000;

/** Below this, the log is appended to even when larger than the snapshot: rewriting a tiny store is not worth a compaction. */
const MIN_COMPACTION_LOG_BYTES = 1024 * 1024;

export interface PersistentIdempotencyOptions extends Omit<InMemoryIdempotencyStoreOptions, 'onCompleted'> {
  /** Whether a text holds a secret. A response with one in its body or a header is saved withheld. */
  containsSecret: (text: string) => boolean;
  /** How often noted completions are saved. Default 5 s. */
  saveIntervalMs?: number;
  /** Told about a file set aside, a torn record dropped, background saves starting to fail and working again. Default: stderr. */
  onWarning?: (message: string) => void;
}

interface Files {
  readonly snapshot: string;
  readonly log: string;
}

/** A completion not saved yet, numbered in the order noted. */
type Noted = LogRecord & { readonly entry: ReplayableIdempotencyEntry };

export class PersistentIdempotency {
  readonly store: InMemoryIdempotencyStore;
  readonly #files: Files;
  readonly #containsSecret: (text: string) => boolean;
  readonly #warn: (message: string) => void;
  readonly #saveIntervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  /** Until the next background save: the interval, doubled after each failed one. */
  #saveDelayMs: number;
  /** Background saves failed in a row: the first failure is reported, and the recovery after. */
  #failedSaves = 0;
  readonly #log: FileHandle;
  #logBytes: number;
  #snapshotBytes: number;
  /** The `seq` of the last noted completion. */
  #seq = 0;
  readonly #noted: Noted[] = [];
  /** Characters of the noted responses' bodies. */
  #notedChars = 0;
  /** Whether a response revealed a secret, so that a compaction does not scan it again. */
  readonly #revealsSecret = new WeakMap<ReplayableIdempotencyEntry, boolean>();
  /** Set when the next save must be a compaction: asked for, a save failed, or more was noted than the store holds. */
  #mustCompact = false;
  #saving: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #closed = false;

  private constructor(files: Files, log: FileHandle, bytes: { log: number; snapshot: number }, options: PersistentIdempotencyOptions) {
    this.#files = files;
    this.#log = log;
    this.#logBytes = bytes.log;
    this.#snapshotBytes = bytes.snapshot;
    this.#containsSecret = options.containsSecret;
    this.#warn = options.onWarning ?? warnOnStderr;
    const { containsSecret: _secret, saveIntervalMs = DEFAULT_IDEMPOTENCY_SAVE_INTERVAL_MS, onWarning: _warn, ...storeOptions } = options;
    this.store = new InMemoryIdempotencyStore({ ...storeOptions, onCompleted: (entry) => this.#note(entry) });
    this.#saveIntervalMs = saveIntervalMs;
    this.#saveDelayMs = saveIntervalMs;
    this.#scheduleBackgroundSave();
  }

  /** Loads the entries saved in `dataDir` (which the caller has locked) and starts saving new ones. */
  static async open(dataDir: string, options: PersistentIdempotencyOptions): Promise<PersistentIdempotency> {
    const files: Files = { snapshot: path.join(dataDir, IDEMPOTENCY_SNAPSHOT_FILE_NAME), log: path.join(dataDir, IDEMPOTENCY_LOG_FILE_NAME) };
    const clock = options.clock ?? systemClock;
    const warn = options.onWarning ?? warnOnStderr;
    await removeLeftoverTempFiles(files.snapshot);
    const snapshot = await readOrSetAside(files.snapshot, readSnapshot, clock, warn);
    const log = await readOrSetAside(files.log, readLog, clock, warn);
    const handle = await open(files.log, 'a', 0o600);
    try {
      if (log !== undefined && log.tornBytes > 0) {
        // Appending after it would glue the next record onto it.
        await handle.truncate(log.bytes);
        await handle.sync();
        warn(`${files.log} ended with an incomplete record (${log.tornBytes} bytes, a write cut short by a crash); dropped it.`);
      }
      await fsyncDirectory(dataDir);
      const persistence = new PersistentIdempotency(files, handle, { log: log?.bytes ?? 0, snapshot: snapshot?.bytes ?? 0 }, options);
      const snapshotSeq = snapshot?.seq ?? 0;
      // Log records up to the snapshot's seq were folded into it by a compaction that a crash
      // stopped before it emptied the log.
      const logged = (log?.records ?? []).filter(({ seq }) => seq > snapshotSeq).map(({ entry }) => entry);
      persistence.#restore([...(snapshot?.entries ?? []), ...logged]);
      persistence.#seq = Math.max(snapshotSeq, log?.records.at(-1)?.seq ?? 0);
      return persistence;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Saves the completions noted since the last save, now. Refused once closed. */
  async flush(): Promise<void> {
    if (this.#closed) throw closedError();
    await this.#save();
    if (this.#failedSaves === 0) return;
    // Saving works again: back to the normal interval now, not after the backed-off wait.
    this.#recovered();
    clearTimeout(this.#timer);
    if (!this.#closed) this.#scheduleBackgroundSave();
  }

  /**
   * Writes a new snapshot of the store and empties the log, now. Refused once closed. The
   * persistence compacts by itself when the log outgrows the snapshot; tests call this to put
   * entries in the snapshot rather than the log.
   */
  compact(): Promise<void> {
    if (this.#closed) return Promise.reject(closedError());
    this.#requireCompaction();
    return this.#save();
  }

  /** Stops the background saving and saves the rest. Call it once requests have stopped. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#closed = true;
      clearTimeout(this.#timer);
      try {
        await this.#save();
      } finally {
        await this.#log.close();
      }
    })();
    return this.#closing;
  }

  #restore(entries: readonly CompletedIdempotencyEntry[]): void {
    this.store.restore(entries);
    // A saved response was checked when it was written.
    for (const entry of this.store.completedEntries()) if (entry.state === 'completed') this.#revealsSecret.set(entry, false);
  }

  #note(entry: ReplayableIdempotencyEntry): void {
    if (this.#closed) return;
    this.#seq += 1;
    // The next save writes the whole store, this entry included: a note would only hold its body.
    if (this.#mustCompact) return;
    this.#noted.push({ seq: this.#seq, entry });
    this.#notedChars += entry.response.body.length;
    // More noted than the store holds (a save that hangs): writing the store is then no more than
    // writing the notes, and dropping them keeps the memory held within the store's caps.
    if (this.#noted.length > this.store.maxEntries || this.#notedChars > this.store.maxStoredChars) this.#requireCompaction();
  }

  /** The next save writes the whole store: notes are not needed any more. */
  #requireCompaction(): void {
    this.#mustCompact = true;
    this.#noted.length = 0;
    this.#notedChars = 0;
  }

  /** Forgets the notes a save wrote (up to `seq`); those taken while it ran stay for the next. */
  #forgetNotedUpTo(seq: number): void {
    const firstUnsaved = this.#noted.findIndex((noted) => noted.seq > seq);
    const saved = this.#noted.splice(0, firstUnsaved === -1 ? this.#noted.length : firstUnsaved);
    for (const { entry } of saved) this.#notedChars -= entry.response.body.length;
  }

  #scheduleBackgroundSave(): void {
    this.#timer = setTimeout(() => void this.#backgroundSave(), this.#saveDelayMs);
    // Background saving must not keep the process alive; close() saves the rest.
    this.#timer.unref();
  }

  async #backgroundSave(): Promise<void> {
    // A save already running (a flush) is not queued behind: the next tick saves what it leaves.
    if (this.#saving === undefined) await this.#saveReportingFailures();
    if (!this.#closed) this.#scheduleBackgroundSave();
  }

  async #saveReportingFailures(): Promise<void> {
    try {
      await this.#save();
    } catch (error) {
      this.#failedSaves += 1;
      this.#saveDelayMs = Math.min(2 * this.#saveDelayMs, Math.max(MAX_RETRY_DELAY_MS, this.#saveIntervalMs));
      if (this.#failedSaves === 1 && !this.#closed) {
        this.#warn(
          `saving idempotent responses failed: ${messageOf(error)}. Retrying less and less often (up to every ` +
            `${MAX_RETRY_DELAY_MS / 60_000} min); said again once a save works.`,
        );
      }
      return;
    }
    if (this.#failedSaves > 0) this.#recovered();
  }

  /** A save worked after failed ones: say so, and save at the normal interval again. */
  #recovered(): void {
    this.#warn(`saving idempotent responses works again, after ${this.#failedSaves} failed attempts.`);
    this.#failedSaves = 0;
    this.#saveDelayMs = this.#saveIntervalMs;
  }

  /** One save at a time; one asked for while another runs follows it. */
  #save(): Promise<void> {
    if (this.#saving) return this.#saving.catch(() => undefined).then(() => this.#save());
    if (this.#noted.length === 0 && !this.#mustCompact) return Promise.resolve();
    const compact = this.#mustCompact || this.#logBytes > Math.max(this.#snapshotBytes, MIN_COMPACTION_LOG_BYTES);
    const saving = compact ? this.#compact() : this.#append();
    this.#saving = saving;
    const clear = (): void => {
      if (this.#saving === saving) this.#saving = undefined;
    };
    saving.then(clear, clear);
    return saving;
  }

  async #append(): Promise<void> {
    const batch = this.#noted.slice();
    try {
      this.#logBytes += await writeLines(this.#log, this.#logLines(batch));
      await this.#log.sync();
    } catch (error) {
      // A write cut short may have left part of a line in the log: only a compaction, which
      // empties it, may follow.
      this.#requireCompaction();
      throw error;
    }
    this.#forgetNotedUpTo(batch.at(-1)!.seq);
  }

  async #compact(): Promise<void> {
    const seq = this.#seq;
    const entries = this.store.completedEntries();
    // What completes from here on is not in this snapshot: it is noted for the next save.
    this.#mustCompact = false;
    try {
      this.#snapshotBytes = await writeSnapshot(this.#files.snapshot, this.#snapshotLines(seq, entries));
      // The snapshot holds everything noted up to `seq` that the store still keeps. A crash before
      // the log is emptied is harmless: loading skips log records up to the snapshot's seq.
      await this.#log.truncate(0);
      await this.#log.sync();
    } catch (error) {
      this.#requireCompaction();
      throw error;
    }
    this.#logBytes = 0;
    this.#forgetNotedUpTo(seq);
  }

  *#logLines(batch: readonly Noted[]): Generator<string> {
    for (const { seq, entry } of batch) yield encodeRecord(entry, this.#withholds(entry), seq);
  }

  *#snapshotLines(seq: number, entries: readonly CompletedIdempotencyEntry[]): Generator<string> {
    yield encodeSnapshotHeader({ seq, entries: entries.length });
    for (const entry of entries) yield encodeRecord(entry, this.#withholds(entry));
  }

  #withholds(entry: CompletedIdempotencyEntry): boolean {
    if (entry.state === 'withheld') return true;
    let reveals = this.#revealsSecret.get(entry);
    if (reveals === undefined) {
      const { body, headers } = entry.response;
      reveals = this.#containsSecret(body) || Object.values(headers).some((value) => this.#containsSecret(value));
      this.#revealsSecret.set(entry, reveals);
    }
    return reveals;
  }
}

/**
 * What `read` finds in `filePath`; a file whose content is damaged is set aside with a warning and
 * read as none. Any other failure (an UnreadableDataFileError: the file could not be read) is thrown.
 */
async function readOrSetAside<T>(filePath: string, read: (filePath: string) => Promise<T | undefined>, clock: Clock, warn: (message: string) => void): Promise<T | undefined> {
  try {
    return await read(filePath);
  } catch (error) {
    if (!(error instanceof CorruptDataFileError)) throw error;
    const problem = `${filePath} is unusable: ${error.reason}`;
    let aside: string;
    try {
      aside = await setAside(filePath, new Date(clock.now()));
    } catch (renameError) {
      throw new Error(`${problem}. Moving it aside failed too (${messageOf(renameError)}); move or repair it, then start again.`, { cause: error });
    }
    warn(
      `${problem}. Moved it to ${aside} and started without the idempotent responses it held: ` +
        'a retry of a request answered before this start runs again.',
    );
    return undefined;
  }
}

function warnOnStderr(message: string): void {
  console.error(`tessera-server: ${message}`);
}

function closedError(): Error {
  return new Error('The idempotency persistence is closed: nothing more is saved.');
}

