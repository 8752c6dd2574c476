/**
 * Reading NDJSON segment files line by line with byte offsets, in constant memory (bounded by the
 * chunk size and the longest line). Only complete lines (ending with a newline) are returned: a
 * trailing line without one is a write torn by a crash, or one still being written.
 */
import { open } from 'node:fs/promises';

const NEWLINE = 0x0a;
export const DEFAULT_CHUNK_BYTES = 256 * 1024;

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
}

export interface ReadLinesResult {
  /** Bytes after the last complete line (an unterminated tail), 0 if none. */
  trailingBytes: number;
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}

/**
 * Yield batches of complete lines. The generator's return value counts the unterminated tail.
 * A file that does not exist (pruned meanwhile) yields nothing.
 */
export async function* readLineBatches(filePath: string, options: ReadLinesOptions = {}): AsyncGenerator<SegmentLine[], ReadLinesResult, undefined> {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  let handle;
  try {
    handle = await open(filePath, 'r');
  } catch (error) {
    if (isMissing(error)) return { trailingBytes: 0 };
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
    return { trailingBytes: carry?.length ?? 0 };
  } finally {
    await handle.close();
  }
}

/** Read exactly `length` bytes at `offset`, or undefined if the file or the bytes are gone. */
export async function readRange(filePath: string, offset: number, length: number): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(filePath, 'r');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  try {
    const buffer = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await handle.read(buffer, read, length - read, offset + read);
      if (bytesRead === 0) return undefined;
      read += bytesRead;
    }
    return buffer;
  } finally {
    await handle.close();
  }
}
