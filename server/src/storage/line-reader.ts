/**
 * Reading NDJSON files (journals, log segments) line by line with byte offsets, in constant memory
 * (bounded by the chunk size and the longest line). Only complete lines (ending with a newline)
 * are returned: a trailing line without one is a write torn by a crash, or one still being written.
 *
 * Lines come in batches, one per chunk read: an await per line (`readline`, a generator of lines)
 * would cost more than the reading.
 */
import { open } from 'node:fs/promises';
import { CorruptDataFileError, errnoCode, UnreadableDataFileError } from './durable-file.js';

const NEWLINE = 0x0a;
const DEFAULT_CHUNK_BYTES = 256 * 1024;

export interface SegmentLine {
  /** The line without its newline. A view into a buffer owned by this batch only. */
  bytes: Buffer;
  /** Byte offset of the line's first byte in the file. */
  offset: number;
}

export interface ReadLinesOptions {
  /** Stop before this byte. Default: the file's size when reading starts. */
  end?: number;
  chunkBytes?: number;
  /**
   * Fail (with ENOENT) when the file does not exist. By default it yields nothing: a log segment
   * may be pruned while it is read, a journal file may not.
   */
  mustExist?: boolean;
}

export interface ReadLinesResult {
  /** Bytes after the last complete line (an unterminated tail), 0 if none. */
  trailingBytes: number;
  /** Bytes read: the complete lines with their newlines, and the tail. */
  bytes: number;
}

/** Yield batches of complete lines. The generator's return value counts the unterminated tail. */
export async function* readLineBatches(filePath: string, options: ReadLinesOptions = {}): AsyncGenerator<SegmentLine[], ReadLinesResult, undefined> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  let handle;
  try {
    handle = await open(filePath, 'r');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT' && options.mustExist !== true) return { trailingBytes: 0, bytes: 0 };
    throw error;
  }
  try {
    const end = options.end ?? (await handle.stat()).size;
    let position = 0;
    /** Bytes of an unfinished line carried from the previous chunk, and where it starts. */
    let carry: Buffer | undefined;
    let carryOffset = 0;
    while (position < end) {
      const want = Math.min(chunkBytes, end - position);
      const chunk = Buffer.allocUnsafe(want);
      const { bytesRead } = await handle.read(chunk, 0, want, position);
      if (bytesRead === 0) break; // truncated meanwhile
      const data = chunk.subarray(0, bytesRead);
      const batch: SegmentLine[] = [];
      let lineStart = 0;
      let newline = data.indexOf(NEWLINE, 0);
      while (newline !== -1) {
        if (carry !== undefined) {
          batch.push({ bytes: Buffer.concat([carry, data.subarray(0, newline)]), offset: carryOffset });
          carry = undefined;
        } else {
          batch.push({ bytes: data.subarray(lineStart, newline), offset: position + lineStart });
        }
        lineStart = newline + 1;
        newline = data.indexOf(NEWLINE, lineStart);
      }
      if (lineStart < data.length) {
        const rest = data.subarray(lineStart);
        if (carry === undefined) {
          carry = Buffer.from(rest); // copy: `chunk` is not retained past this batch
          carryOffset = position + lineStart;
        } else {
          carry = Buffer.concat([carry, rest]);
        }
      }
      position += bytesRead;
      if (batch.length > 0) yield batch;
    }
    return { trailingBytes: carry?.length ?? 0, bytes: position };
  } finally {
    await handle.close();
  }
}

/**
 * Hands each complete line of a file that must exist to `onLine`, with its number (from 1), in
 * order; returns the byte counts. A {@link CorruptDataFileError} from `onLine` passes through; any
 * other failure (the file missing or unreadable) is an {@link UnreadableDataFileError} whose cause
 * is the original error. The file is closed however the reading ends.
 */
export async function forEachLine(filePath: string, onLine: (bytes: Buffer, lineNumber: number) => void): Promise<ReadLinesResult> {
  let lineNumber = 0;
  const lines = readLineBatches(filePath, { mustExist: true });
  try {
    for (;;) {
      const next = await lines.next();
      if (next.done) return next.value;
      for (const line of next.value) onLine(line.bytes, ++lineNumber);
    }
  } catch (error) {
    if (error instanceof CorruptDataFileError) throw error;
    throw new UnreadableDataFileError(filePath, error);
  } finally {
    // Closes the file when a damaged line stopped the reading (a no-op once every line is read).
    await lines.return({ bytes: 0, trailingBytes: 0 });
  }
}
