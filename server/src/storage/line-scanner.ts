/**
 * Reads a file line by line in fixed-size chunks, calling back synchronously per line.
 *
 * Why not `readline` or an async generator: both cost an await (a promise round trip) per line,
 * which is most of the time when a snapshot holds 100,000 one-line records. Memory stays bounded
 * by the chunk size plus the longest line.
 */
import { open } from 'node:fs/promises';

const NEWLINE = 0x0a;

export interface ScanLinesOptions {
  chunkBytes?: number;
  /**
   * A complete line: `bytes[start..end)`, without its newline; `lineNumber` is 1-based. `bytes`
   * is a reused buffer: copy whatever must outlive the call. Offsets rather than a
   * `subarray` per line, because creating 100,000 Buffer objects costs more than the scan itself.
   * `fileOffset` is where the line starts in the file.
   * Throwing stops the scan.
   */
  onLine: (bytes: Buffer, start: number, end: number, lineNumber: number, fileOffset: number) => void;
}

export interface ScanLinesResult {
  /** Complete (newline-terminated) lines delivered. */
  lines: number;
  /** Bytes after the last newline: a line still being written or torn by a crash. */
  tailBytes: number;
  /** Bytes read. */
  bytes: number;
}

export async function scanLines(filePath: string, options: ScanLinesOptions): Promise<ScanLinesResult> {
  const chunkBytes = options.chunkBytes ?? 1 << 20;
  const handle = await open(filePath, 'r');
  // The next chunk is read while the current one is scanned (two buffers take turns): the scan
  // then mostly does not wait for the disk.
  const spare = [Buffer.allocUnsafeSlow(chunkBytes), Buffer.allocUnsafeSlow(chunkBytes)];
  let turn = 0;
  let position = 0;
  const read = (at: number) => {
    const buffer = spare[turn++ % 2]!;
    const reading = handle.read(buffer, 0, chunkBytes, at).then(({ bytesRead }) => buffer.subarray(0, bytesRead));
    // Awaited below; this only keeps a read left in flight by a throwing `onLine` from being an
    // unhandled rejection.
    reading.catch(() => undefined);
    return reading;
  };
  let next: Promise<Buffer> | undefined = read(position);
  try {
    let bytes = 0;
    let lines = 0;
    // A line split across chunks: its parts so far (copied, since a buffer may be reused).
    let carry: Buffer[] = [];
    let carryBytes = 0;
    let carryOffset = 0;
    for (;;) {
      const chunk: Buffer = await next;
      next = undefined;
      const bytesRead = chunk.length;
      if (bytesRead === 0) break;
      const chunkOffset = position;
      position += bytesRead;
      bytes += bytesRead;
      next = read(position);
      let from = 0;
      let newline = chunk.indexOf(NEWLINE);
      while (newline !== -1) {
        if (carryBytes > 0) {
          const part = chunk.subarray(from, newline);
          carry.push(part);
          const line = Buffer.concat(carry, carryBytes + part.length);
          carry = [];
          carryBytes = 0;
          options.onLine(line, 0, line.length, ++lines, carryOffset);
        } else {
          options.onLine(chunk, from, newline, ++lines, chunkOffset + from);
        }
        from = newline + 1;
        newline = chunk.indexOf(NEWLINE, from);
      }
      if (from < bytesRead) {
        if (carryBytes === 0) carryOffset = chunkOffset + from;
        carry.push(Buffer.from(chunk.subarray(from)));
        carryBytes += bytesRead - from;
      }
    }
    return { lines, tailBytes: carryBytes, bytes };
  } finally {
    // Never close the file under a read still in flight.
    await next?.catch(() => undefined);
    await handle.close();
  }
}
