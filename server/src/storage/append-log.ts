/**
 * An append-only, segmented NDJSON log for hot-path records (audit events, usage counters).
 *
 * - `append()` is synchronous and cheap: the record is serialized at once and buffered; buffered
 *   records are written in one batch shortly after (once the event loop has handled the I/O it
 *   has ready, or together with whatever accumulated while the previous batch was being written):
 *   under load one write carries the records of many requests, not one each. A process crash
 *   loses only records not yet handed to the OS; a power loss loses at most `fsyncIntervalMs` of records.
 *   `flush()` forces write + fsync. `fsyncIntervalMs: 0` fsyncs after every batch.
 * - Existing bytes are never rewritten: segments are opened in append mode, and every process
 *   start begins a new segment, so a record is never glued onto a line torn by a crash.
 * - Segments are named `<sequence>-<ISO time of creation>.ndjson` (colons replaced by dashes), so
 *   they sort by time; rotation happens when the next batch would exceed `segmentMaxBytes`.
 * - Reading streams segment by segment with constant memory (bounded by the longest record). A
 *   line without a final newline at the end of a segment is a write torn by a crash: it is
 *   skipped and reported, never fatal. Unparseable complete lines are skipped and reported too.
 * - Failure policy: if a write or fsync fails the log stops (fail-stop, like the document store):
 *   `append()`/`flush()` throw {@link AppendLogFailedError}, `onError` is called once. A retry
 *   could duplicate a partially written batch, and a failed fsync cannot be retried reliably.
 */
import { mkdir, open, readdir, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDirectory, writeAll } from './durable-file.js';
import { readLineBatches } from './line-reader.js';
import { messageOf } from '../error-message.js';

const SEGMENT_PATTERN = /^(\d{6,})-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})\.(\d{3})Z\.ndjson$/;
const NEWLINE = 0x0a;
const READ_CHUNK_BYTES = 64 * 1024;

export interface AppendLogOptions {
  /** Rotate to a new segment when a batch would make the current one larger than this. */
  segmentMaxBytes: number;
  /** fsync written data at most this often; 0 = after every batch. */
  fsyncIntervalMs: number;
  /** Source of segment creation times (tests inject one). */
  clock?: () => Date;
  /** Called once, when a background write or fsync fails and the log stops. */
  onError?: (error: AppendLogFailedError) => void;
  /**
   * Told where appended records landed, as soon as they are written (before the fsync): the
   * segment, the byte offset of the first, and the lines written, in append order, each with its
   * newline. A reader can then find a record without reading the log back.
   */
  onWritten?: (segment: WrittenSegment, offset: number, lines: readonly Buffer[]) => void;
  /**
   * Told when a segment is complete: the log rotated away from it or was closed, and the segment
   * is fsynced and its file closed. Nothing is ever appended to it again (a reopened log starts a
   * new segment), so a reader may summarize it. Not called once the log has failed. Must not throw.
   */
  onSealed?: (segment: SealedSegment) => void;
}

export interface WrittenSegment {
  readonly name: string;
  readonly sequence: number;
}

export interface SealedSegment extends WrittenSegment {
  /** The segment's final size in bytes. */
  readonly size: number;
}

export interface SegmentInfo {
  name: string;
  sequence: number;
  createdAt: Date;
  path: string;
}

export interface SkippedLine {
  segment: string;
  /** 1-based line number within the segment. */
  line: number;
  reason: 'torn_tail' | 'invalid_json';
  bytes: number;
}

export interface AppendLogReadOptions {
  /** Start at this segment (name or sequence number) instead of the oldest. */
  fromSegment?: string | number;
  onSkippedLine?: (skipped: SkippedLine) => void;
}

export interface AppendLogOpenReport {
  /** Segments present when the log was opened. */
  segments: number;
  /** The newest existing segment ended with a line torn by a crash (it is skipped on read). */
  tornTail: { segment: string; bytes: number } | undefined;
}

export class AppendLogFailedError extends Error {
  readonly code = 'append_log_failed';

  constructor(dir: string, cause: unknown) {
    const detail = messageOf(cause);
    super(
      `Writing to the log in ${dir} failed (${detail}). Records appended since the last successful ` +
        `flush may be lost; the log refuses further appends. Fix the cause and restart the server.`,
      { cause },
    );
    this.name = 'AppendLogFailedError';
  }
}

export class AppendLogClosedError extends Error {
  readonly code = 'append_log_closed';

  constructor(dir: string) {
    super(`The log in ${dir} is closed.`);
    this.name = 'AppendLogClosedError';
  }
}

export function segmentName(sequence: number, createdAt: Date): string {
  return `${String(sequence).padStart(6, '0')}-${createdAt.toISOString().replace(/:/g, '-')}.ndjson`;
}

export function parseSegmentName(name: string): { sequence: number; createdAt: Date } | undefined {
  const match = SEGMENT_PATTERN.exec(name);
  if (!match) return undefined;
  const [, sequence, day, hours, minutes, seconds, millis] = match;
  const createdAt = new Date(`${day}T${hours}:${minutes}:${seconds}.${millis}Z`);
  if (Number.isNaN(createdAt.getTime())) return undefined;
  return { sequence: Number(sequence), createdAt };
}

export async function listSegments(dir: string): Promise<SegmentInfo[]> {
  const names = await readdir(dir);
  const segments: SegmentInfo[] = [];
  for (const name of names) {
    const parsed = parseSegmentName(name);
    if (parsed) segments.push({ name, path: path.join(dir, name), ...parsed });
  }
  // Numerically, so that sequence 1000000 (seven digits) still sorts after 999999.
  return segments.sort((a, b) => a.sequence - b.sequence);
}


/** Length of the unterminated last line of a file (0 when it ends with a newline or is empty). */
async function unterminatedTailBytes(filePath: string): Promise<number> {
  const handle = await open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    const chunk = Buffer.alloc(READ_CHUNK_BYTES);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await handle.read(chunk, 0, end - start, start);
      const newline = chunk.subarray(0, bytesRead).lastIndexOf(NEWLINE);
      if (newline !== -1) return size - (start + newline + 1);
      end = start;
    }
    return size;
  } finally {
    await handle.close();
  }
}

interface ActiveSegment extends WrittenSegment {
  handle: FileHandle;
  /** Bytes fully written; readers never read past it, so they never see a half-written batch. */
  size: number;
  unsynced: boolean;
}

export class AppendLog<T = unknown> {
  readonly dir: string;
  readonly openReport: AppendLogOpenReport;
  readonly #segmentMaxBytes: number;
  readonly #fsyncIntervalMs: number;
  readonly #clock: () => Date;
  readonly #onError: ((error: AppendLogFailedError) => void) | undefined;
  readonly #onWritten: AppendLogOptions['onWritten'];
  readonly #onSealed: AppendLogOptions['onSealed'];
  readonly #timer: NodeJS.Timeout | undefined;
  #nextSequence: number;
  #active: ActiveSegment | undefined;
  #buffer: string[] = [];
  #drainScheduled = false;
  /** Serializes every operation on the active segment (write, rotate, fsync, close). */
  #io: Promise<void> = Promise.resolve();
  #failure: AppendLogFailedError | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  private constructor(dir: string, options: AppendLogOptions, nextSequence: number, openReport: AppendLogOpenReport) {
    this.dir = dir;
    this.openReport = openReport;
    this.#segmentMaxBytes = options.segmentMaxBytes;
    this.#fsyncIntervalMs = options.fsyncIntervalMs;
    this.#clock = options.clock ?? (() => new Date());
    this.#onError = options.onError;
    this.#onWritten = options.onWritten;
    this.#onSealed = options.onSealed;
    this.#nextSequence = nextSequence;
    if (options.fsyncIntervalMs > 0) {
      this.#timer = setInterval(() => this.#periodicSync(), options.fsyncIntervalMs);
      // A pending fsync must not keep the process alive; close() syncs anyway.
      this.#timer.unref();
    }
  }

  /** Open (creating the folder if needed) the log in `dir`. Never fails because of a torn tail. */
  static async open<T = unknown>(dir: string, options: AppendLogOptions): Promise<AppendLog<T>> {
    if (!(options.segmentMaxBytes > 0)) throw new RangeError('segmentMaxBytes must be a positive number');
    if (!(options.fsyncIntervalMs >= 0)) throw new RangeError('fsyncIntervalMs must be 0 or more');
    await mkdir(dir, { recursive: true });
    const segments = await listSegments(dir);
    const last = segments.at(-1);
    let tornTail: AppendLogOpenReport['tornTail'];
    if (last) {
      const bytes = await unterminatedTailBytes(last.path);
      if (bytes > 0) tornTail = { segment: last.name, bytes };
    }
    return new AppendLog<T>(dir, options, (last?.sequence ?? 0) + 1, { segments: segments.length, tornTail });
  }

  get failure(): Error | undefined {
    return this.#failure;
  }

  /** Buffer a record for writing. Throws if the log is closed or failed, or the record is not JSON. */
  append(record: T): void {
    const line = JSON.stringify(record) as string | undefined;
    if (typeof line !== 'string') throw new TypeError('An appended record must be JSON-serializable.');
    // JSON.stringify escapes newlines inside strings, so one record is always one line.
    this.appendJson(line);
  }

  /**
   * Buffer a record the caller has already serialized (it must be one line of JSON), for callers
   * that need the text anyway and should not pay for serializing twice.
   */
  appendJson(line: string): void {
    if (this.#closed) throw new AppendLogClosedError(this.dir);
    if (this.#failure) throw this.#failure;
    this.#buffer.push(`${line}\n`);
    if (!this.#drainScheduled) {
      this.#drainScheduled = true;
      setImmediate(() => {
        this.#exclusive(async () => {
          this.#drainScheduled = false;
          await this.#drainBuffer();
          if (this.#fsyncIntervalMs === 0) await this.#syncActive();
        }).catch(() => undefined); // #exclusive already recorded the failure
      });
    }
  }

  /** Write every buffered record and fsync. Rejects if the log has failed. */
  async flush(): Promise<void> {
    if (this.#closed) return this.#closing;
    await this.#exclusive(async () => {
      await this.#drainBuffer();
      await this.#syncActive();
    });
  }

  async segments(): Promise<SegmentInfo[]> {
    return listSegments(this.dir);
  }

  /**
   * Stream records back in append order. Only records already written are seen (call `flush()`
   * first to include buffered ones). Segments pruned meanwhile are skipped.
   */
  async *read(options: AppendLogReadOptions = {}): AsyncGenerator<T, void, undefined> {
    let segments = await this.segments();
    if (options.fromSegment !== undefined) {
      const from =
        typeof options.fromSegment === 'number' ? options.fromSegment : parseSegmentName(options.fromSegment)?.sequence;
      if (from === undefined) throw new RangeError(`Not a segment name: ${String(options.fromSegment)}`);
      segments = segments.filter((segment) => segment.sequence >= from);
    }
    for (const segment of segments) {
      const limit = this.#active?.name === segment.name ? this.#active.size : undefined;
      yield* readSegment<T>(segment, limit, options.onSkippedLine);
    }
  }

  /** Every record in memory plus what was skipped. For small logs and tests; prefer `read()`. */
  async readAll(options: Omit<AppendLogReadOptions, 'onSkippedLine'> = {}): Promise<{ records: T[]; skipped: SkippedLine[] }> {
    const records: T[] = [];
    const skipped: SkippedLine[] = [];
    for await (const record of this.read({ ...options, onSkippedLine: (line) => skipped.push(line) })) {
      records.push(record);
    }
    return { records, skipped };
  }

  /**
   * Delete whole segments whose every record is older than `cutoff`, oldest first. A segment's
   * records were all appended before its successor was created, so a segment qualifies when its
   * successor's creation time is at or before `cutoff`. The newest segment never qualifies.
   * Returns the deleted segment names.
   */
  async pruneSegmentsOlderThan(cutoff: Date): Promise<string[]> {
    const segments = await this.segments();
    const deleted: string[] = [];
    for (let index = 0; index + 1 < segments.length; index += 1) {
      const segment = segments[index]!;
      const successor = segments[index + 1]!;
      if (successor.createdAt.getTime() > cutoff.getTime() || segment.name === this.#active?.name) break;
      await rm(segment.path, { force: true });
      deleted.push(segment.name);
    }
    if (deleted.length > 0) await fsyncDirectory(this.dir);
    return deleted;
  }

  /**
   * Write and fsync what is buffered, close the file. Idempotent. Rejects with the failure if
   * records were lost (after releasing the file anyway).
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#closed = true;
      if (this.#timer) clearInterval(this.#timer);
      let active: ActiveSegment | undefined;
      try {
        await this.#exclusive(async () => {
          await this.#drainBuffer();
          await this.#syncActive();
        });
      } finally {
        await this.#io;
        active = this.#active;
        this.#active = undefined;
        await active?.handle.close();
      }
      if (active) this.#onSealed?.(sealedView(active));
    })();
    return this.#closing;
  }

  #exclusive(operation: () => Promise<void>): Promise<void> {
    const run = this.#io.then(async () => {
      if (this.#failure) throw this.#failure;
      try {
        await operation();
      } catch (error) {
        throw this.#fail(error);
      }
    });
    this.#io = run.catch(() => undefined);
    return run;
  }

  #fail(cause: unknown): AppendLogFailedError {
    if (cause instanceof AppendLogFailedError) return cause;
    if (!this.#failure) {
      this.#failure = new AppendLogFailedError(this.dir, cause);
      this.#buffer = [];
      this.#onError?.(this.#failure);
    }
    return this.#failure;
  }

  #periodicSync(): void {
    if (!this.#active?.unsynced || this.#failure || this.#closed) return;
    this.#exclusive(() => this.#syncActive()).catch(() => undefined); // recorded by #exclusive
  }

  async #drainBuffer(): Promise<void> {
    while (this.#buffer.length > 0) {
      const lines = this.#buffer;
      this.#buffer = [];
      await this.#writeLines(lines);
    }
  }

  async #writeLines(lines: string[]): Promise<void> {
    let active = this.#active ?? (await this.#openNextSegment());
    let chunk: Buffer[] = [];
    let chunkBytes = 0;
    for (const line of lines) {
      const bytes = Buffer.from(line, 'utf8');
      const sizeWithChunk = active.size + chunkBytes;
      // A record larger than a whole segment still gets written: alone, in its own segment.
      if (sizeWithChunk > 0 && sizeWithChunk + bytes.length > this.#segmentMaxBytes) {
        if (chunk.length > 0) await this.#writeToActive(active, chunk, chunkBytes);
        chunk = [];
        chunkBytes = 0;
        active = await this.#rotate(active);
      }
      chunk.push(bytes);
      chunkBytes += bytes.length;
    }
    if (chunk.length > 0) await this.#writeToActive(active, chunk, chunkBytes);
  }

  async #writeToActive(active: ActiveSegment, lines: Buffer[], totalBytes: number): Promise<void> {
    const bytes = Buffer.concat(lines, totalBytes);
    const start = active.size;
    // Append mode: the data always lands at the end.
    await writeAll(active.handle, bytes);
    active.size += bytes.length;
    active.unsynced = true;
    this.#onWritten?.(active, start, lines);
  }

  async #rotate(active: ActiveSegment): Promise<ActiveSegment> {
    await this.#syncActive();
    this.#active = undefined;
    await active.handle.close();
    this.#onSealed?.(sealedView(active));
    return this.#openNextSegment();
  }

  async #openNextSegment(): Promise<ActiveSegment> {
    const sequence = this.#nextSequence;
    const name = segmentName(sequence, this.#clock());
    // 'ax': append-only, and never reuse an existing file.
    const handle = await open(path.join(this.dir, name), 'ax', 0o600);
    this.#nextSequence += 1;
    this.#active = { name, sequence, handle, size: 0, unsynced: false };
    await fsyncDirectory(this.dir); // the new segment's name must survive a power loss too
    return this.#active;
  }

  async #syncActive(): Promise<void> {
    const active = this.#active;
    if (!active?.unsynced) return;
    active.unsynced = false;
    try {
      await active.handle.sync();
    } catch (error) {
      active.unsynced = true;
      throw error;
    }
  }
}

/** What `onSealed` is told: not the segment's live state (its file handle). */
function sealedView(active: ActiveSegment): SealedSegment {
  return { name: active.name, sequence: active.sequence, size: active.size };
}

async function* readSegment<T>(
  segment: SegmentInfo,
  limit: number | undefined,
  onSkippedLine: ((skipped: SkippedLine) => void) | undefined,
): AsyncGenerator<T, void, undefined> {
  let lineNumber = 0;
  // A segment pruned meanwhile reads as empty.
  const lines = readLineBatches(segment.path, limit === undefined ? {} : { end: limit });
  let read;
  try {
    for (read = await lines.next(); !read.done; read = await lines.next()) {
      for (const line of read.value) {
        lineNumber += 1;
        let value: T;
        try {
          value = JSON.parse(line.bytes.toString('utf8')) as T;
        } catch {
          onSkippedLine?.({ segment: segment.name, line: lineNumber, reason: 'invalid_json', bytes: line.bytes.length });
          continue;
        }
        yield value;
      }
    }
  } finally {
    // Closes the file when our caller stops early (a no-op once the lines are all read); the
    // value passed is never looked at.
    await lines.return(undefined as never);
  }
  if (read.value.trailingBytes > 0) {
    // No final newline: the write was torn by a crash. Even if the bytes happen to parse, the
    // record may be cut short (`{"n":12` of `{"n":123}`), so it is never trusted.
    onSkippedLine?.({ segment: segment.name, line: lineNumber + 1, reason: 'torn_tail', bytes: read.value.trailingBytes });
  }
}
