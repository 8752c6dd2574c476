/**
 * The two files completed idempotency entries are kept in, read and written a line at a time:
 * - the snapshot: a header line, then every entry, oldest first; only ever replaced whole,
 *   atomically and durably (temp file, fsync, rename), so it is complete or absent;
 * - the log: the entries recorded since, appended in batches. A crash can cut its last line
 *   short; that tail is reported, never read as a record.
 */
import type { FileHandle } from 'node:fs/promises';
import { lstat, rename } from 'node:fs/promises';
import path from 'node:path';
import {
  CorruptDataFileError,
  errnoCode,
  fsyncDirectory,
  parseJsonText,
  UnreadableDataFileError,
  writeAll,
  writeFileDurablyWith,
} from '../storage/durable-file.js';
import { forEachLine } from '../storage/line-reader.js';
import type { CompletedIdempotencyEntry } from './idempotency.js';
import { decodeRecord, decodeSnapshotHeader, type SnapshotHeader } from './idempotency-records.js';
import { messageOf } from '../error-message.js';

export const IDEMPOTENCY_SNAPSHOT_FILE_NAME = 'idempotency.ndjson';
export const IDEMPOTENCY_LOG_FILE_NAME = 'idempotency-log.ndjson';

/**
 * Lines are written this many characters at a time: each chunk is encoded, then written with an
 * await, so the event loop is never held for more than one chunk's encoding.
 */
const CHUNK_CHARS = 256 * 1024;

export interface SnapshotContent {
  /** The last log `seq` the snapshot contains. */
  readonly seq: number;
  readonly entries: CompletedIdempotencyEntry[];
  readonly bytes: number;
}

export interface LogRecord {
  readonly seq: number;
  readonly entry: CompletedIdempotencyEntry;
}

export interface LogContent {
  readonly records: LogRecord[];
  /** Bytes of complete lines. */
  readonly bytes: number;
  /** Bytes after the last complete line: a write cut short. */
  readonly tornBytes: number;
}

/**
 * Calls `onValue` with each complete line's value, in order. `undefined` when the file does not
 * exist; {@link CorruptDataFileError} naming the line when a line is not JSON or `onValue` throws;
 * {@link UnreadableDataFileError} when it cannot be read.
 */
async function readValues(filePath: string, onValue: (value: unknown) => void): Promise<{ bytes: number; tornBytes: number } | undefined> {
  try {
    const read = await forEachLine(filePath, (bytes, lineNumber) => {
      try {
        onValue(parseJsonText(bytes));
      } catch (error) {
        throw new CorruptDataFileError(filePath, `line ${lineNumber} is damaged: ${messageOf(error)}`, { cause: error });
      }
    });
    return { bytes: read.bytes - read.trailingBytes, tornBytes: read.trailingBytes };
  } catch (error) {
    if (error instanceof UnreadableDataFileError && errnoCode(error.cause) === 'ENOENT') return undefined;
    throw error;
  }
}

/** The snapshot, `undefined` when there is none; throws like {@link readValues}, and when it is incomplete. */
export async function readSnapshot(filePath: string): Promise<SnapshotContent | undefined> {
  let header: SnapshotHeader | undefined;
  const entries: CompletedIdempotencyEntry[] = [];
  const read = await readValues(filePath, (value) => {
    if (header === undefined) header = decodeSnapshotHeader(value);
    else entries.push(decodeRecord(value).entry);
  });
  if (read === undefined) return undefined;
  // Written whole and renamed into place, a snapshot is never cut short by a crash: damage it is.
  if (header === undefined) throw new CorruptDataFileError(filePath, 'it has no complete first line');
  if (read.tornBytes > 0 || entries.length !== header.entries) {
    const reason = `it holds ${entries.length} complete records, not the ${header.entries} its first line announces (it was cut short or edited)`;
    throw new CorruptDataFileError(filePath, reason);
  }
  return { seq: header.seq, entries, bytes: read.bytes };
}

/** The log, `undefined` when there is none; throws like {@link readValues}, and for a record without `seq`. */
export async function readLog(filePath: string): Promise<LogContent | undefined> {
  const records: LogRecord[] = [];
  const read = await readValues(filePath, (value) => {
    const { entry, seq } = decodeRecord(value);
    if (seq === undefined) throw new Error('it has no "seq"');
    records.push({ seq, entry });
  });
  return read === undefined ? undefined : { records, ...read };
}

/**
 * Writes `lines` (each with its newline) at the handle's position, {@link CHUNK_CHARS} at a
 * time. The lines are only produced as they are written, so pass a generator that encodes them.
 * Returns the bytes written.
 */
export async function writeLines(handle: FileHandle, lines: Iterable<string>): Promise<number> {
  let chunk: string[] = [];
  let chars = 0;
  let written = 0;
  const writeChunk = async () => {
    const bytes = Buffer.from(chunk.join(''));
    chunk = [];
    chars = 0;
    await writeAll(handle, bytes);
    written += bytes.length;
  };
  for (const line of lines) {
    chunk.push(line);
    chars += line.length;
    if (chars >= CHUNK_CHARS) await writeChunk();
  }
  if (chunk.length > 0) await writeChunk();
  return written;
}

/** Replaces the snapshot with `lines` (its header first), atomically and durably. Returns its size. */
export async function writeSnapshot(filePath: string, lines: Iterable<string>): Promise<number> {
  let bytes = 0;
  await writeFileDurablyWith(filePath, async (handle) => {
    bytes = await writeLines(handle, lines);
  });
  return bytes;
}

/**
 * Renames an unusable file to `<name>.corrupt-<time>` beside it, so it is kept but no longer read;
 * `-2`, `-3`… is added when that name is taken (a rename would replace the file set aside earlier
 * in the same millisecond). Returns the new path. The caller holds the data folder's lock.
 */
export async function setAside(filePath: string, at: Date): Promise<string> {
  const stamped = `${filePath}.corrupt-${at.toISOString().replace(/:/g, '-')}`;
  let aside = stamped;
  for (let n = 2; await exists(aside); n += 1) aside = `${stamped}-${n}`;
  await rename(filePath, aside);
  await fsyncDirectory(path.dirname(filePath));
  return aside;
}

async function exists(filePath: string): Promise<boolean> {
  try {
    await lstat(filePath);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
  }
}
