/**
 * Reading a stored event back from its segment by offset. (Whole segments are read line by line
 * with `readLineBatches` from the storage layer.)
 */
import { open } from 'node:fs/promises';

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
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
