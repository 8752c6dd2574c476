/**
 * The snapshot file of a {@link RecordStore}: one JSON document that lowdb (or `jq`, or a person)
 * reads like any other, laid out one record per line and sealed with a SHA-256.
 *
 * ```
 * {"sha256":"<hex>","schema_version":1,"journal_seq":42,
 * "workspaces":{
 * "ws_1":{"id":"ws_1",...}
 * },
 * "api_keys":{
 * "key_1":{"workspace_id":"ws_1","key_digest":"...",...},
 * "key_2":{...}
 * }
 * }
 * ```
 *
 * Why this layout rather than `JSON.stringify(document)`:
 *  - Opening 100,000 keys with one `JSON.parse` costs ~0.5 s and a transient ~240 MB. Here the
 *    file is scanned line by line and each record is only noted as a location in the file (the
 *    store reads records back from it, see row-table.ts): several times faster, and the file is
 *    never held in memory, whole or as records.
 *  - The seal stands in for the parse as corruption check: it covers every byte of the file, so a
 *    damaged, truncated or edited file is refused instead of half-trusted. It is the SHA-256 of
 *    the first line (with the seal's 64 characters as zeros) followed by the hex SHA-256 of the
 *    rest: one pass over the body, whatever the header says. A file
 *    without a seal (written by an older version, by a script, or edited by hand with the
 *    `sha256` field removed) is read the slow way, with a full `JSON.parse`.
 *  - Writing copies the records' texts (from memory or from the previous snapshot) in ~1 MB
 *    chunks, so a checkpoint never blocks the event loop for a 64 MB `JSON.stringify`.
 * `journal_seq` says which journal entries the snapshot already contains (see record-journal.ts).
 */
import { createHash } from 'node:crypto';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import { CorruptDataFileError, UnreadableDataFileError, parseJsonBytes, writeFileDurablyWith } from './durable-file.js';
import { scanLines } from './line-scanner.js';
import { BaseFile, CapturedRowReader, RowTable, type CapturedRows } from './row-table.js';

export const SEAL_FIELD = 'sha256';
export const SEQ_FIELD = 'journal_seq';
const HEADER_PREFIX = `{"${SEAL_FIELD}":"`;
const PLACEHOLDER_SEAL = '0'.repeat(64);
const SEALED_HEADER = /^\{"sha256":"[0-9a-f]{64}",.*,$/s;
const CHUNK_BYTES = 1 << 20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** Collection name -> its records as JSON text. */
export type RecordTables = Map<string, RowTable>;

export interface RecordSnapshot {
  /** Top-level fields other than the collections (e.g. `schema_version`), kept as they are. */
  meta: Record<string, unknown>;
  /** The last journal sequence number whose transaction the snapshot contains. */
  seq: number;
  tables: RecordTables;
  /** The file the tables' unchanged records are read back from (none in memory, or after a slow read). */
  base?: BaseFile | undefined;
}

export interface SnapshotFormat {
  /** The collections, in file order. Each must be present in a file, as an object. */
  collections: readonly string[];
  /** A record (already known to be a plain object) as the text the store keeps for it. */
  encode(collection: string, record: Record<string, unknown>): string;
  /** Throws when the top-level fields show the file is not ours (the message says why). */
  validateMeta?(meta: Record<string, unknown>): void;
}

export interface SnapshotReadResult {
  snapshot: RecordSnapshot;
  /** False when it was read the slow way (no seal); the store then checkpoints to seal it. */
  sealed: boolean;
  bytes: number;
}

/** A consistent copy of the tables, taken synchronously, written afterwards. */
interface CapturedSnapshot {
  header: string;
  sections: Array<{ name: string; rows: CapturedRows }>;
}

/** What a write put where: record i of each section is at `offsets[i]` of the new file. */
export interface SnapshotWriteResult {
  bytes: number;
  sections: Array<{ name: string; rows: CapturedRows; offsets: Float64Array }>;
}

function corrupt(filePath: string, reason: string, cause?: unknown): CorruptDataFileError {
  return new CorruptDataFileError(filePath, reason, cause === undefined ? undefined : { cause });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkSeq(filePath: string, value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw corrupt(filePath, `its "${SEQ_FIELD}" is not a non-negative integer`);
  }
  return value;
}

function checkMeta(filePath: string, format: SnapshotFormat, meta: Record<string, unknown>): void {
  try {
    format.validateMeta?.(meta);
  } catch (error) {
    throw corrupt(filePath, error instanceof Error ? error.message : String(error), error);
  }
}

function captureSnapshot(snapshot: RecordSnapshot, format: SnapshotFormat): CapturedSnapshot {
  const fields = JSON.stringify({ ...snapshot.meta, [SEQ_FIELD]: snapshot.seq }).slice(1, -1);
  const header = `${HEADER_PREFIX}${PLACEHOLDER_SEAL}",${fields},\n`;
  // A few milliseconds for 100,000 records (ids and locations, not the texts).
  const sections = format.collections.map((name) => ({ name, rows: (snapshot.tables.get(name) ?? new RowTable()).capture() }));
  return { header, sections };
}

async function writeCaptured(handle: FileHandle, captured: CapturedSnapshot): Promise<SnapshotWriteResult> {
  const hash = createHash('sha256');
  let position = 0;
  const writeOut = async (bytes: Buffer, hashed: boolean) => {
    if (hashed) hash.update(bytes);
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, position);
      offset += bytesWritten;
      position += bytesWritten;
    }
  };
  const header = Buffer.from(captured.header, 'utf8');
  await writeOut(header, false);
  // Records are copied into a reused chunk, written when full: no string is built per record, and
  // each awaited write lets the event loop run in between. Only a flush awaits, so the loop below
  // costs no promise per record.
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  const flush = async () => {
    if (used > 0) await writeOut(chunk.subarray(0, used), true);
    used = 0;
  };
  const text = async (value: string) => {
    const bytes = Buffer.from(value, 'utf8');
    if (used + bytes.length > chunk.length) await flush();
    if (bytes.length > chunk.length) await writeOut(bytes, true);
    else used += bytes.copy(chunk, used);
  };
  const sections: SnapshotWriteResult['sections'] = [];
  for (const [index, { name, rows }] of captured.sections.entries()) {
    await text(`${JSON.stringify(name)}:{\n`);
    const offsets = new Float64Array(rows.ids.length);
    const reader = new CapturedRowReader(rows);
    const last = rows.ids.length - 1;
    for (let i = 0; i <= last; i += 1) {
      const key = `${JSON.stringify(rows.ids[i])}:`;
      const length = rows.length[i]!;
      const separator = i === last ? 1 : 2;
      // Keys are ASCII nearly always, so their length in characters is their length in bytes.
      if (used + key.length * 3 + length + separator > chunk.length) {
        await flush();
        if (key.length * 3 + length + separator > chunk.length) {
          // A record larger than a chunk: written on its own.
          await text(key);
          await flush();
          offsets[i] = position;
          const { bytes, start } = reader.read(i);
          await writeOut(Buffer.from(bytes.subarray(start, start + length)), true);
          await text(i === last ? '\n' : ',\n');
          continue;
        }
      }
      used += chunk.write(key, used, 'utf8');
      offsets[i] = position + used;
      // Read after the flushes above: the reader's buffer is only valid until its next read.
      const { bytes, start } = reader.read(i);
      used += bytes.copy(chunk, used, start, start + length);
      if (i !== last) chunk[used++] = COMMA;
      chunk[used++] = 0x0a;
    }
    sections.push({ name, rows, offsets });
    await text(index === captured.sections.length - 1 ? '}\n' : '},\n');
  }
  await text('}\n');
  await flush();
  // The seal goes into the placeholder of the first line, which it covers as zeros.
  const seal = Buffer.from(sealOf(header, hash.digest('hex')), 'ascii');
  await handle.write(seal, 0, seal.length, HEADER_PREFIX.length);
  return { bytes: position, sections };
}

/**
 * Write `snapshot` to `filePath` atomically and durably (temp file, fsync, rename, folder fsync).
 * The tables are copied synchronously, at call time, so later changes are not in this write.
 */
export function writeSnapshotFile(filePath: string, snapshot: RecordSnapshot, format: SnapshotFormat): Promise<SnapshotWriteResult> {
  let captured: CapturedSnapshot;
  try {
    captured = captureSnapshot(snapshot, format);
  } catch (error) {
    return Promise.reject(error);
  }
  let result: SnapshotWriteResult | undefined;
  return writeFileDurablyWith(filePath, async (handle) => {
    result = await writeCaptured(handle, captured);
  }).then(() => result!);
}

/**
 * The JSON string opening at `bytes[start]` (a quote) and ending before `end`: its closing quote's
 * index, or -1. Sets `escaped` when it holds a backslash (then only JSON.parse can decode it).
 */
const scannedKey = { close: -1, escaped: false, ascii: true };
function scanKey(bytes: Buffer, start: number, end: number): typeof scannedKey {
  scannedKey.close = -1;
  scannedKey.escaped = false;
  scannedKey.ascii = true;
  if (bytes[start] !== QUOTE) return scannedKey;
  for (let i = start + 1; i < end; i += 1) {
    const byte = bytes[i]!;
    if (byte === BACKSLASH) {
      scannedKey.escaped = true;
      i += 1;
    } else if (byte === QUOTE) {
      scannedKey.close = i;
      break;
    } else if (byte >= 0x80) {
      scannedKey.ascii = false;
    }
  }
  return scannedKey;
}

/** The key scanned by {@link scanKey}. Ids are nearly always plain ASCII: latin1 decodes those fastest. */
function decodeKey(bytes: Buffer, start: number, key: typeof scannedKey): string {
  if (key.escaped) return JSON.parse(bytes.toString('utf8', start, key.close + 1)) as string;
  return bytes.toString(key.ascii ? 'latin1' : 'utf8', start + 1, key.close);
}

interface FirstLine {
  line: string;
  /** Offset of the second line. */
  end: number;
  /** The line's bytes with its newline. */
  bytes: Buffer;
}

/** The seal of a file whose first line is `firstLine` (with its newline) and whose body hashes to `bodyHex`. */
function sealOf(firstLine: Buffer, bodyHex: string): string {
  const zeroed = Buffer.from(firstLine);
  if (zeroed.length >= HEADER_PREFIX.length + 64) zeroed.write(PLACEHOLDER_SEAL, HEADER_PREFIX.length, 'latin1');
  return createHash('sha256').update(zeroed).update(bodyHex, 'latin1').digest('hex');
}

function sealMatches(seal: unknown, firstLine: Buffer, bodyHex: string): boolean {
  return seal === sealOf(firstLine, bodyHex);
}

async function readFirstLine(filePath: string): Promise<FirstLine | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(filePath, 'r');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw new UnreadableDataFileError(filePath, error);
  }
  try {
    // Our first line holds only the top-level scalar fields; a longer one means another layout
    // (e.g. a whole document on one line), which the slow path reads.
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const newline = buffer.subarray(0, bytesRead).indexOf(0x0a);
    if (newline === -1) return { line: '', end: -1, bytes: Buffer.alloc(0) };
    return { line: buffer.toString('utf8', 0, newline), end: newline + 1, bytes: Buffer.from(buffer.subarray(0, newline + 1)) };
  } catch (error) {
    throw new UnreadableDataFileError(filePath, error);
  } finally {
    await handle.close();
  }
}

function sealMismatch(filePath: string): CorruptDataFileError {
  return corrupt(
    filePath,
    `its content does not match the "${SEAL_FIELD}" checksum at its start (the file was damaged, truncated or ` +
      `edited; if you edited it on purpose, delete the "${SEAL_FIELD}" field from its first line)`,
  );
}

async function readSealed(filePath: string, header: FirstLine, format: SnapshotFormat): Promise<SnapshotReadResult> {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(`${header.line.slice(0, -1)}}`) as Record<string, unknown>;
  } catch (error) {
    throw corrupt(filePath, 'its first line is damaged', error);
  }

  // Records are read from these bytes for as long as the store runs (or until a checkpoint
  // replaces the file): a key check never waits on the disk.
  let bytes: Buffer;
  try {
    bytes = await readFile(filePath);
  } catch (error) {
    throw new UnreadableDataFileError(filePath, error);
  }
  const result = await scanSealed(filePath, header, format, parsed, new BaseFile(filePath, bytes));
  // We hold the folder's lock, so the file cannot change between the read and the scan; this only
  // makes sure the records are read from the bytes the seal was checked on.
  if (result.bytes !== bytes.length) throw corrupt(filePath, 'it changed while it was being read');
  return result;
}

async function scanSealed(
  filePath: string,
  header: FirstLine,
  format: SnapshotFormat,
  parsed: Record<string, unknown>,
  base: BaseFile,
): Promise<SnapshotReadResult> {
  const { [SEAL_FIELD]: seal, [SEQ_FIELD]: rawSeq, ...meta } = parsed;
  const known = new Set(format.collections);
  const tables: RecordTables = new Map();
  const hash = createHash('sha256');
  // Parser state: before a collection, inside one, or after the document's closing brace.
  let section: RowTable | undefined;
  let done = false;
  let problem: string | undefined;
  // Called per line, so no closure is created per line.
  const onLine = (bytes: Buffer, start: number, end: number, fileOffset: number): string | undefined => {
    if (done) return 'follows the end of the document';
    const length = end - start;
    if (section === undefined) {
      if (length === 1 && bytes[start] === CLOSE_BRACE) {
        done = true;
        return undefined;
      }
      const key = scanKey(bytes, start, end);
      const close = key.close;
      if (close === -1 || end !== close + 3 || bytes[close + 1] !== COLON || bytes[close + 2] !== OPEN_BRACE) {
        return 'should open a collection';
      }
      const name = decodeKey(bytes, start, key);
      if (!known.has(name)) return `opens an unknown collection ${JSON.stringify(name)}`;
      if (tables.has(name)) return `opens the collection ${JSON.stringify(name)} a second time`;
      section = new RowTable(base);
      tables.set(name, section);
      return undefined;
    }
    if (bytes[start] === CLOSE_BRACE && (length === 1 || (length === 2 && bytes[start + 1] === COMMA))) {
      section = undefined;
      return undefined;
    }
    const key = scanKey(bytes, start, end);
    const close = key.close;
    let rowEnd = end;
    if (bytes[rowEnd - 1] === COMMA) rowEnd -= 1;
    if (close === -1 || bytes[close + 1] !== COLON || bytes[close + 2] !== OPEN_BRACE || bytes[rowEnd - 1] !== CLOSE_BRACE || rowEnd <= close + 2) {
      return 'should hold one record';
    }
    // Only its place in the file is kept (see row-table.ts).
    section.setInBase(decodeKey(bytes, start, key), fileOffset + (close + 2 - start), rowEnd - close - 2);
    return undefined;
  };
  let scanned;
  try {
    scanned = await scanLines(filePath, {
      start: header.end,
      chunkBytes: 4 * 1024 * 1024,
      onChunk: (chunk) => hash.update(chunk),
      // A layout problem is only noted: the scan goes on so that the checksum, the likelier
      // explanation, can be checked first.
      onLine: (bytes, start, end, lineNumber, fileOffset) => {
        if (problem !== undefined) return;
        const reason = onLine(bytes, start, end, fileOffset);
        if (reason !== undefined) problem = `line ${lineNumber + 1} ${reason}`;
      },
    });
  } catch (error) {
    throw new UnreadableDataFileError(filePath, error);
  }
  if (!sealMatches(seal, header.bytes, hash.digest('hex'))) throw sealMismatch(filePath);
  if (problem !== undefined) throw corrupt(filePath, `it is not laid out as a Tessera snapshot (${problem})`);
  if (scanned.tailBytes > 0 || !done) throw corrupt(filePath, 'it ends before the end of the document');
  const seq = checkSeq(filePath, rawSeq);
  checkMeta(filePath, format, meta);
  for (const name of format.collections) {
    if (!tables.has(name)) throw corrupt(filePath, `its "${name}" section is missing or not an object`);
  }
  return { snapshot: { meta, seq, tables, base }, sealed: true, bytes: header.end + scanned.bytes };
}

/** Any other layout: one `JSON.parse` of the whole file, then every record turned into text. */
async function readUnsealed(filePath: string, format: SnapshotFormat): Promise<SnapshotReadResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(filePath);
  } catch (error) {
    throw new UnreadableDataFileError(filePath, error);
  }
  const value = parseJsonBytes(filePath, bytes);
  if (!isPlainObject(value)) {
    throw corrupt(filePath, 'its content does not have the expected shape (the top-level value is not an object)');
  }
  const { [SEAL_FIELD]: seal, [SEQ_FIELD]: rawSeq, ...rest } = value;
  if (seal !== undefined) {
    // Sealed, but not laid out as we write (e.g. reformatted): the seal still decides.
    const firstLineEnd = bytes.indexOf(0x0a) + 1 || bytes.length;
    const body = createHash('sha256').update(bytes.subarray(firstLineEnd)).digest('hex');
    if (!sealMatches(seal, bytes.subarray(0, firstLineEnd), body)) throw sealMismatch(filePath);
  }
  const seq = checkSeq(filePath, rawSeq);
  const collections = new Set(format.collections);
  const meta: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(rest)) if (!collections.has(key)) meta[key] = field;
  checkMeta(filePath, format, meta);
  const tables: RecordTables = new Map();
  for (const name of format.collections) {
    const section = rest[name];
    if (!isPlainObject(section)) throw corrupt(filePath, `its "${name}" section is missing or not an object`);
    const table = new RowTable();
    for (const [id, record] of Object.entries(section)) {
      if (!isPlainObject(record)) throw corrupt(filePath, `the record ${JSON.stringify(id)} in "${name}" is not an object`);
      table.set(id, format.encode(name, record));
    }
    tables.set(name, table);
  }
  return { snapshot: { meta, seq, tables }, sealed: false, bytes: bytes.length };
}

/**
 * Read the snapshot at `filePath`: `undefined` when it does not exist; {@link CorruptDataFileError}
 * when it is damaged, fails its seal, or is not ours. Never modifies the file.
 */
export async function readSnapshotFile(filePath: string, format: SnapshotFormat): Promise<SnapshotReadResult | undefined> {
  const first = await readFirstLine(filePath);
  if (first === undefined) return undefined;
  if (SEALED_HEADER.test(first.line)) return readSealed(filePath, first, format);
  return readUnsealed(filePath, format);
}

/**
 * The snapshot as a lowdb adapter: `Low<RecordSnapshot>` reads and writes it. `write()` copies
 * the tables synchronously (before its first await), so a checkpoint contains exactly the changes
 * applied when it was called.
 */
export class RecordSnapshotAdapter implements Adapter<RecordSnapshot> {
  readonly path: string;
  readonly #format: SnapshotFormat;
  /** Size and seal state of the last file read. */
  lastRead: Omit<SnapshotReadResult, 'snapshot'> | undefined;
  /**
   * The last file written: where each captured record went, and the file opened for reading
   * them back. The store moves its tables onto it (RowTable.rebase) and closes the previous one.
   */
  lastWrite: (SnapshotWriteResult & { base: BaseFile }) | undefined;

  constructor(filePath: string, format: SnapshotFormat) {
    this.path = filePath;
    this.#format = format;
  }

  async read(): Promise<RecordSnapshot | null> {
    const result = await readSnapshotFile(this.path, this.#format);
    if (result === undefined) return null;
    this.lastRead = { sealed: result.sealed, bytes: result.bytes };
    return result.snapshot;
  }

  write(snapshot: RecordSnapshot): Promise<void> {
    return writeSnapshotFile(this.path, snapshot, this.#format).then(async (result) => {
      // Read by name right after the rename: we hold the folder's lock, nothing else replaces it.
      this.lastWrite = { ...result, base: new BaseFile(this.path, await readFile(this.path)) };
    });
  }
}
