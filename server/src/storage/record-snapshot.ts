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
 *    file is read once into one Buffer, scanned line by line, and each record is only noted as a
 *    location in those bytes, which the store keeps and reads records from (see row-table.ts):
 *    several times faster, and the records never become strings or objects on the V8 heap.
 *  - The seal stands in for the parse as corruption check: it covers every byte of the file, so a
 *    damaged, truncated or edited file is refused instead of half-trusted. It is the SHA-256 of
 *    the first line (with the seal's 64 characters as zeros) followed by the hex SHA-256 of the
 *    rest: one pass over the body, whatever the header says. A file
 *    without a seal (written by an older version, by a script, or edited by hand with the
 *    `sha256` field removed) is read the slow way, with a full `JSON.parse`.
 *  - Writing copies the records' texts (from memory or from the previous snapshot) into one
 *    buffer of the file's exact size, writing it out every ~1 MB, so a checkpoint never blocks the
 *    event loop for a 64 MB `JSON.stringify`; that buffer then becomes the store's new base, so the
 *    file just written is not read back.
 * `journal_seq` says which journal entries the snapshot already contains (see record-journal.ts).
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import { CorruptDataFileError, isPlainObject, parseJsonBytes, readDataFile, writeAll, writeFileDurablyWith } from './durable-file.js';
import { BaseFile, CapturedRowReader, RowTable, type CapturedRows } from './row-table.js';
import { messageOf } from '../error-message.js';

const SEAL_FIELD = 'sha256';
const SEQ_FIELD = 'journal_seq';
const HEADER_PREFIX = `{"${SEAL_FIELD}":"`;
const PLACEHOLDER_SEAL = '0'.repeat(64);
const SEALED_HEADER = /^\{"sha256":"[0-9a-f]{64}",.*,$/s;
const CHUNK_BYTES = 1 << 20;
/** Our first line holds only the top-level scalar fields; a longer one means another layout. */
const FIRST_LINE_MAX_BYTES = 64 * 1024;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const NEWLINE = 0x0a;

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
  /** The file's bytes, as written. */
  content: Buffer;
  sections: Array<{ name: string; rows: CapturedRows; offsets: Float64Array }>;
}

function corrupt(filePath: string, reason: string, cause?: unknown): CorruptDataFileError {
  return new CorruptDataFileError(filePath, reason, cause === undefined ? undefined : { cause });
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
    throw corrupt(filePath, messageOf(error), error);
  }
}

function captureSnapshot(snapshot: RecordSnapshot, format: SnapshotFormat): CapturedSnapshot {
  const fields = JSON.stringify({ ...snapshot.meta, [SEQ_FIELD]: snapshot.seq }).slice(1, -1);
  const header = `${HEADER_PREFIX}${PLACEHOLDER_SEAL}",${fields},\n`;
  // A few milliseconds for 100,000 records (ids and locations, not the texts).
  const sections = format.collections.map((name) => ({ name, rows: (snapshot.tables.get(name) ?? new RowTable()).capture() }));
  return { header, sections };
}

const FILE_END = '}\n';

function sectionOpening(name: string): string {
  return `${JSON.stringify(name)}:{\n`;
}

function sectionClosing(index: number, count: number): string {
  return index === count - 1 ? '}\n' : '},\n';
}

/** The size of the file {@link writeCaptured} writes, so that it can be assembled in one buffer. */
function fileSize(captured: CapturedSnapshot): number {
  let size = Buffer.byteLength(captured.header) + FILE_END.length;
  for (const [index, { name, rows }] of captured.sections.entries()) {
    size += Buffer.byteLength(sectionOpening(name)) + sectionClosing(index, captured.sections.length).length;
    // `"<id>":<record>,\n` per record, without the comma for the last.
    for (let i = 0; i < rows.ids.length; i += 1) size += Buffer.byteLength(JSON.stringify(rows.ids[i])) + rows.length[i]! + 3;
    if (rows.ids.length > 0) size -= 1;
  }
  return size;
}

async function writeCaptured(handle: FileHandle, captured: CapturedSnapshot): Promise<SnapshotWriteResult> {
  // The whole file is assembled in `content`, which the store keeps as its new base (it would
  // otherwise read the file back), and written out as it fills: each awaited write lets the event
  // loop run, and no string is built per record.
  const content = Buffer.allocUnsafeSlow(fileSize(captured));
  const hash = createHash('sha256');
  let used = content.write(captured.header, 0, 'utf8');
  const headerEnd = used;
  let written = 0;
  /** Writes out (and hashes, past the first line) what was assembled since the last call. */
  const writeOut = async () => {
    hash.update(content.subarray(Math.max(written, headerEnd), used));
    await writeAll(handle, content.subarray(written, used), written);
    written = used;
  };
  const sections: SnapshotWriteResult['sections'] = [];
  for (const [index, { name, rows }] of captured.sections.entries()) {
    used += content.write(sectionOpening(name), used, 'utf8');
    const offsets = new Float64Array(rows.ids.length);
    const reader = new CapturedRowReader(rows);
    const last = rows.ids.length - 1;
    for (let i = 0; i <= last; i += 1) {
      used += content.write(JSON.stringify(rows.ids[i]), used, 'utf8');
      content[used++] = COLON;
      offsets[i] = used;
      const { bytes, start } = reader.read(i);
      used += bytes.copy(content, used, start, start + rows.length[i]!);
      if (i !== last) content[used++] = COMMA;
      content[used++] = NEWLINE;
      if (used - written >= CHUNK_BYTES) await writeOut();
    }
    sections.push({ name, rows, offsets });
    used += content.write(sectionClosing(index, captured.sections.length), used, 'utf8');
  }
  used += content.write(FILE_END, used, 'utf8');
  // A buffer write past its end is silently cut short: a size mismatch fails this write (the
  // temp file is then removed) rather than leaving the store a base that differs from its file.
  if (used !== content.length) throw new Error(`The snapshot came to ${used} bytes, not the ${content.length} computed (a bug in the record store).`);
  await writeOut();
  // The seal goes into the placeholder of the first line, which it covers as zeros.
  content.write(sealOf(content.subarray(0, headerEnd), hash.digest('hex')), HEADER_PREFIX.length, 'latin1');
  await writeAll(handle, content.subarray(HEADER_PREFIX.length, HEADER_PREFIX.length + PLACEHOLDER_SEAL.length), HEADER_PREFIX.length);
  return { bytes: content.length, content, sections };
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

/** The seal of a file whose first line is `firstLine` (with its newline) and whose body hashes to `bodyHex`. */
function sealOf(firstLine: Buffer, bodyHex: string): string {
  const zeroed = Buffer.from(firstLine);
  if (zeroed.length >= HEADER_PREFIX.length + 64) zeroed.write(PLACEHOLDER_SEAL, HEADER_PREFIX.length, 'latin1');
  return createHash('sha256').update(zeroed).update(bodyHex, 'latin1').digest('hex');
}

function sealMatches(seal: unknown, firstLine: Buffer, bodyHex: string): boolean {
  return seal === sealOf(firstLine, bodyHex);
}

function sealMismatch(filePath: string): CorruptDataFileError {
  return corrupt(
    filePath,
    `its content does not match the "${SEAL_FIELD}" checksum at its start (the file was damaged, truncated or ` +
      `edited; if you edited it on purpose, delete the "${SEAL_FIELD}" field from its first line)`,
  );
}

/** A file in our layout, whose first line (`bytes[0..headerEnd)`, with its newline) is `headerLine`. */
function readSealed(filePath: string, bytes: Buffer, headerLine: string, headerEnd: number, format: SnapshotFormat): SnapshotReadResult {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(`${headerLine.slice(0, -1)}}`) as Record<string, unknown>;
  } catch (error) {
    throw corrupt(filePath, 'its first line is damaged', error);
  }
  const { [SEAL_FIELD]: seal, [SEQ_FIELD]: rawSeq, ...meta } = parsed;
  // The seal is checked first: it is the likelier explanation of a layout problem below.
  if (!sealMatches(seal, bytes.subarray(0, headerEnd), createHash('sha256').update(bytes.subarray(headerEnd)).digest('hex'))) {
    throw sealMismatch(filePath);
  }
  // Records are read from these bytes for as long as the store runs (or until a checkpoint
  // replaces the file): a key check never waits on the disk.
  const base = new BaseFile(filePath, bytes);
  const known = new Set(format.collections);
  const tables: RecordTables = new Map();
  // Parser state: before a collection, inside one, or after the document's closing brace.
  let section: RowTable | undefined;
  let done = false;
  /** Why the line `bytes[start..end)` (without its newline) breaks the layout, or undefined. */
  const onLine = (start: number, end: number): string | undefined => {
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
    section.setInBase(decodeKey(bytes, start, key), close + 2, rowEnd - close - 2);
    return undefined;
  };
  let lineNumber = 1;
  let start = headerEnd;
  for (let newline = bytes.indexOf(NEWLINE, start); newline !== -1; newline = bytes.indexOf(NEWLINE, start)) {
    lineNumber += 1;
    const reason = onLine(start, newline);
    if (reason !== undefined) throw corrupt(filePath, `it is not laid out as a Tessera snapshot (line ${lineNumber} ${reason})`);
    start = newline + 1;
  }
  if (start < bytes.length || !done) throw corrupt(filePath, 'it ends before the end of the document');
  const seq = checkSeq(filePath, rawSeq);
  checkMeta(filePath, format, meta);
  for (const name of format.collections) {
    if (!tables.has(name)) throw corrupt(filePath, `its "${name}" section is missing or not an object`);
  }
  return { snapshot: { meta, seq, tables, base }, sealed: true, bytes: bytes.length };
}

/** Any other layout: one `JSON.parse` of the whole file, then every record turned into text. */
function readUnsealed(filePath: string, bytes: Buffer, format: SnapshotFormat): SnapshotReadResult {
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
  const bytes = await readDataFile(filePath);
  if (bytes === undefined) return undefined;
  // Only a short first line can be ours; a longer one (e.g. a whole document on one line) is
  // another layout, which the slow path reads.
  const newline = bytes.subarray(0, FIRST_LINE_MAX_BYTES).indexOf(NEWLINE);
  const firstLine = newline === -1 ? '' : bytes.toString('utf8', 0, newline);
  if (SEALED_HEADER.test(firstLine)) return readSealed(filePath, bytes, firstLine, newline + 1, format);
  return readUnsealed(filePath, bytes, format);
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
   * The last file written: where each captured record went, and its bytes as the base to read
   * them from. The store moves its tables onto it (RowTable.rebase) and closes the previous one.
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
    return writeSnapshotFile(this.path, snapshot, this.#format).then((result) => {
      this.lastWrite = { ...result, base: new BaseFile(this.path, result.content) };
    });
  }
}
