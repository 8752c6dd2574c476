/**
 * The write-ahead journal of a {@link RecordStore}: append-only NDJSON files beside the snapshot,
 * one line per committed transaction with its absolute writes:
 *
 * ```
 * {"seq":43,"writes":[["api_keys","key_1",{...the whole record...}],["roles","role_1",null]]}
 * ```
 *
 * - `seq` numbers transactions in commit order with no gap; the snapshot records the last one it
 *   contains (`journal_seq`), so opening replays exactly the entries after it, and a missing line
 *   or file shows up as a gap instead of silently losing transactions.
 * - Writes are absolute (the whole record, or `null` for a deletion), so an entry applied twice
 *   has the same effect as once.
 * - The files are numbered generations (`<stem>-journal-000007.ndjson`). A checkpoint starts a new
 *   generation and deletes the older ones once the snapshot holding them is durable. Every process
 *   also starts a new generation, so a line torn by a crash is never extended by a later append.
 * - A line without its final newline is a write torn by a crash, never acknowledged (an append is
 *   acknowledged only after its fsync): it is dropped. A complete line that does not parse is
 *   damage, and stops the start with an error naming the file and the line.
 */
import { open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { CorruptDataFileError, fsyncDirectory, isPlainObject, namesIn, parseJsonText, writeAll } from './durable-file.js';
import { forEachLine } from './line-reader.js';
import { messageOf } from '../error-message.js';

export interface JournalFile {
  generation: number;
  name: string;
  path: string;
}

/** One write of an entry: `record` null deletes. */
export type JournalWrite = [collection: string, id: string, record: Record<string, unknown> | null];

export interface JournalEntry {
  seq: number;
  writes: JournalWrite[];
}

export interface JournalReplayReport {
  /** The last sequence number seen (or `afterSeq` when nothing followed it). */
  lastSeq: number;
  /** Entries applied (those after `afterSeq`). */
  applied: number;
  /** Bytes of every journal file read. */
  bytes: number;
  /** Unterminated last lines dropped, per file. */
  tornTails: Array<{ file: string; bytes: number }>;
}

export function journalFileName(stem: string, generation: number): string {
  return `${stem}-journal-${String(generation).padStart(6, '0')}.ndjson`;
}

/** The journal files of `stem` in `dir`, oldest generation first. */
export async function listJournalFiles(dir: string, stem: string): Promise<JournalFile[]> {
  const names = await namesIn(dir);
  const pattern = new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-journal-(\\d{6,})\\.ndjson$`);
  const files: JournalFile[] = [];
  for (const name of names) {
    const match = pattern.exec(name);
    if (match) files.push({ generation: Number(match[1]), name, path: path.join(dir, name) });
  }
  // Numerically, so that generation 1000000 (seven digits) still sorts after 999999.
  return files.sort((a, b) => a.generation - b.generation);
}

/** The entry on a line, or a reason why the line is not one. */
function parseEntry(line: Buffer): JournalEntry | string {
  let value: unknown;
  try {
    value = parseJsonText(line);
  } catch (error) {
    return messageOf(error);
  }
  if (!isPlainObject(value)) return 'it is not an object';
  const { seq, writes } = value;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return 'its "seq" is not a positive integer';
  if (!Array.isArray(writes)) return 'its "writes" is not an array';
  for (const write of writes as unknown[]) {
    if (
      !Array.isArray(write) ||
      write.length !== 3 ||
      typeof write[0] !== 'string' ||
      typeof write[1] !== 'string' ||
      !(write[2] === null || isPlainObject(write[2]))
    ) {
      return 'a write is not [collection, id, record or null]';
    }
  }
  return { seq, writes: writes as JournalWrite[] };
}

/**
 * Read `files` in order and hand every entry after `afterSeq` to `apply`, checking that sequence
 * numbers continue without a gap. Throws {@link CorruptDataFileError} naming the file and line on
 * damage or a gap; `apply` may throw one too (e.g. for an unknown collection). Never modifies a file.
 */
export async function replayJournal(
  files: readonly JournalFile[],
  afterSeq: number,
  apply: (entry: JournalEntry, where: { file: string; line: number }) => void,
): Promise<JournalReplayReport> {
  const report: JournalReplayReport = { lastSeq: afterSeq, applied: 0, bytes: 0, tornTails: [] };
  for (const file of files) {
    // Listed a moment ago, under the folder's lock: a journal file that is gone now is an error.
    const read = await forEachLine(file.path, (bytes, lineNumber) => {
      const entry = parseEntry(bytes);
      if (typeof entry === 'string') {
        throw new CorruptDataFileError(file.path, `line ${lineNumber} is damaged: ${entry}`);
      }
      // Entries the snapshot already holds are skipped. They may even have a gap: a checkpoint
      // can take in a transaction whose journal append then failed.
      if (entry.seq <= afterSeq) return;
      const expected = report.lastSeq + 1;
      if (entry.seq !== expected) {
        const missing = expected === entry.seq - 1 ? `${expected} is` : `${expected} to ${entry.seq - 1} are`;
        throw new CorruptDataFileError(
          file.path,
          `line ${lineNumber} holds transaction ${entry.seq}, but transaction${expected === entry.seq - 1 ? '' : 's'} ${missing} ` +
            `neither in the snapshot nor in the journal before it (a journal file or line is missing)`,
        );
      }
      apply(entry, { file: file.path, line: lineNumber });
      report.applied += 1;
      report.lastSeq = entry.seq;
    });
    report.bytes += read.bytes;
    if (read.trailingBytes > 0) report.tornTails.push({ file: file.path, bytes: read.trailingBytes });
  }
  return report;
}

/**
 * Appends to the current generation. The file is created on the first append (so a process that
 * writes nothing leaves no file), with its name made durable before anything in it is
 * acknowledged. Not safe for concurrent use: the store calls it from one write loop.
 */
export class JournalWriter {
  readonly dir: string;
  readonly stem: string;
  #generation: number;
  #handle: FileHandle | undefined;
  /** Bytes appended to the current generation. */
  #bytes = 0;

  constructor(dir: string, stem: string, generation: number) {
    this.dir = dir;
    this.stem = stem;
    this.#generation = generation;
  }

  get generation(): number {
    return this.#generation;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Write `data` (whole lines) at the end of the current generation and fsync it. */
  async append(data: Buffer): Promise<void> {
    if (this.#handle === undefined) {
      // 'ax': append-only, and never reuse an existing file.
      const handle = await open(path.join(this.dir, journalFileName(this.stem, this.#generation)), 'ax', 0o600);
      try {
        await fsyncDirectory(this.dir);
      } catch (error) {
        await handle.close().catch(() => undefined);
        throw error;
      }
      this.#handle = handle;
    }
    await writeAll(this.#handle, data);
    this.#bytes += data.length;
    // fdatasync: the data and the file size, which is all a reader needs.
    await this.#handle.datasync();
  }

  /**
   * Move on to the next generation (synchronously, so the caller can take a snapshot at exactly
   * this point). Returns the generation left behind and a promise that closes its file.
   */
  nextGeneration(): { previous: number; closed: Promise<void> } {
    const previous = this.#generation;
    const handle = this.#handle;
    this.#handle = undefined;
    this.#generation += 1;
    this.#bytes = 0;
    return { previous, closed: handle ? handle.close() : Promise.resolve() };
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }
}

/** Delete the journal files of generations below `generation`; returns their names. */
export async function deleteJournalsBefore(dir: string, stem: string, generation: number): Promise<string[]> {
  const deleted: string[] = [];
  for (const file of await listJournalFiles(dir, stem)) {
    if (file.generation >= generation) continue;
    await rm(file.path, { force: true });
    deleted.push(file.name);
  }
  if (deleted.length > 0) await fsyncDirectory(dir);
  return deleted;
}
