/**
 * Collections of JSON records, persisted as a lowdb snapshot plus a write-ahead journal (see
 * record-snapshot.ts and record-journal.ts), with indexes in memory.
 *
 * Memory: a record is held as its JSON text, not as an object: in the snapshot file when it has
 * not changed since the last checkpoint (read back by offset, see row-table.ts), in memory
 * otherwise. The heap holds ids, indexes (unique fields, e.g. digests) and a few thousand parsed
 * records of a cache. Opening scans the file without parsing records, and a checkpoint copies
 * texts instead of running `JSON.stringify` over everything. Reads return a fresh copy, so no
 * caller can ever change stored state: a record read again soon is cached (privately) and
 * handed out as a deep copy, cheaper than a parse.
 *
 * Writes: `commit()` applies a transaction's writes in memory at once and synchronously (readers
 * see them immediately, in commit order), then resolves once the journal line holding them is
 * fsynced. Commits that arrive while an append is in flight share the next one: one write and one
 * fsync for all of them, never a rewrite of the snapshot. When the journal passes a size threshold
 * (a quarter of the snapshot, at least `checkpointMinBytes`) and on close, a checkpoint switches to
 * a new journal file, writes the snapshot in the background, and deletes the journal files it
 * covers.
 *
 * Failure policy, as for the document store (document-store.ts explains why): a failed journal
 * append is fail-stop, the store refuses reads and writes until a restart replays the files. A
 * failed checkpoint is not: the journal still holds everything, so it is reported and retried
 * after another threshold's worth of journal.
 */
import { Low } from 'lowdb';
import path from 'node:path';
import { CorruptDataFileError, isPlainObject, removeLeftoverTempFiles } from './durable-file.js';
import { GroupCommit } from './group-commit.js';
import { StoreClosedError, type StoreFailedError } from './store-errors.js';
import { JournalWriter, deleteJournalsBefore, listJournalFiles, replayJournal } from './record-journal.js';
import { RecordSnapshotAdapter, writeSnapshotFile, type RecordSnapshot, type SnapshotFormat } from './record-snapshot.js';
import { RowTable, readLeadingStrings, type BaseFile } from './row-table.js';
import { messageOf } from '../error-message.js';

export type JsonRecord = Record<string, unknown>;

export interface CollectionSpec {
  name: string;
  /** A field whose string value groups records (e.g. `workspace_id`), for `list(name, group)`. */
  groupBy?: string;
  /** Fields whose string value identifies one record (e.g. a digest), for `idBy()`. */
  unique?: readonly string[];
}

export interface RecordStoreOptions {
  collections: readonly CollectionSpec[];
  /** Top-level fields of a new snapshot, e.g. `{ schema_version: 1 }`. */
  initialMeta?: JsonRecord;
  /** Throws when a snapshot's top-level fields show it is not ours; the message says why. */
  validateMeta?: (meta: JsonRecord) => void;
  /** Never checkpoint for less journal than this (bytes). Default 4 MiB. */
  checkpointMinBytes?: number;
  /** Checkpoint once the journal reaches this fraction of the snapshot's size. Default 0.25. */
  checkpointSnapshotRatio?: number;
  /** Called once, when a journal append fails and the store stops. */
  onFailure?: (error: StoreFailedError) => void;
  /** Called when a checkpoint fails (the data is safe in the journal). Default: a process warning. */
  onCheckpointError?: (error: unknown) => void;
}

export interface RecordWrite {
  collection: string;
  id: string;
  /** The whole record; `null` deletes it. */
  record: JsonRecord | null;
}

export interface RecordStoreStats {
  /** Commits acknowledged as durable. */
  acknowledgedCommits: number;
  /** Journal appends (each one write and one fsync, shared by every commit in it). */
  journalAppends: number;
  /** Completed checkpoints (snapshot written, covered journal files deleted). */
  checkpoints: number;
  failedCheckpoints: number;
  /** Journal bytes not yet covered by a completed checkpoint. */
  journalBytes: number;
  /** Size of the snapshot file last read or written. */
  snapshotBytes: number;
}

const DEFAULT_CHECKPOINT_MIN_BYTES = 4 * 1024 * 1024;
const DEFAULT_CHECKPOINT_RATIO = 0.25;
/** Parsed records kept per collection for fast reads. */
const CACHE_SIZE = 2048;

/**
 * A deep copy of a JSON value (what `JSON.parse` returns). Object spread copies a record's
 * fields in one native step (then nested objects and arrays are copied the same way): about 20
 * times faster than `structuredClone` and 10 times faster than a parse, for a record of
 * twenty-odd fields. Spread defines properties, so a field named "__proto__" stays a field
 * (assigning it would set the copy's prototype), and re-assigning it below hits that own field.
 */
export function copyJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i += 1) out[i] = copyJson(value[i]);
    return out as T;
  }
  const out: JsonRecord = { ...(value as JsonRecord) };
  for (const key in out) {
    const field = out[key];
    if (typeof field === 'object' && field !== null) out[key] = copyJson(field);
  }
  return out as T;
}

/** The fields written first in a collection's records (see Table's `#lead`). */
function leadFields(spec: CollectionSpec): string[] {
  return [...(spec.groupBy === undefined ? [] : [spec.groupBy]), ...(spec.unique ?? [])];
}

/**
 * Whether the record's own keys already start with `lead`, in order: then it is its own text's
 * order (records parsed from the journal at start-up are, so they are not copied to reorder them).
 */
function leadsFirst(record: JsonRecord, lead: readonly string[]): boolean {
  let i = 0;
  for (const key in record) {
    if (i === lead.length) return true;
    if (key !== lead[i] || !Object.hasOwn(record, key)) return false;
    i += 1;
  }
  return i === lead.length;
}

/** A record's text, with `lead` fields first. Throws when it is not a JSON object. */
function encodeRecord(collection: string, lead: readonly string[], record: JsonRecord): string {
  if (!isPlainObject(record)) throw new TypeError(`A record of "${collection}" must be a plain object.`);
  if (lead.length === 0 || leadsFirst(record, lead)) return JSON.stringify(record);
  const ordered: JsonRecord = {};
  for (const field of lead) if (Object.hasOwn(record, field)) ordered[field] = record[field];
  for (const key of Object.keys(record)) {
    // Assigning "__proto__" would set the prototype and drop the field from the text.
    if (key === '__proto__') Object.defineProperty(ordered, key, { value: record[key], enumerable: true, writable: true, configurable: true });
    else ordered[key] = record[key];
  }
  return JSON.stringify(ordered);
}

/**
 * Drops the oldest entries past `size`. Oldest by insertion (Maps and Sets iterate in insertion
 * order): a hot record evicted this way is parsed once more, cheaper than keeping an LRU order
 * on every hit.
 */
function bounded(entries: Map<string, unknown> | Set<string>, size: number): void {
  while (entries.size > size) entries.delete(entries.keys().next().value!);
}

/** One collection: records as JSON text (in a {@link RowTable}), its indexes, and a small cache of parsed records. */
class Table {
  readonly name: string;
  readonly rows: RowTable;
  /** Per unique field (in `unique` order): value -> id. */
  readonly #unique: Array<Map<string, string>>;
  readonly #uniqueFields: string[];
  readonly #groupBy: string | undefined;
  /** The bytes of `{"<groupBy>":`: every grouped record's text starts with them (see `#lead`). */
  readonly #groupPrefix: Buffer | undefined;
  /**
   * Indexed fields, written first in every record's text (`{"workspace_id":"…","key_digest":"…",…`)
   * so that their values can be read without parsing it: at open, that is what makes indexing
   * 100,000 records cheap. Field order in a record has no meaning in JSON.
   */
  readonly #lead: string[];
  /** The bytes of `"<field>":"` per lead field. */
  readonly #leadPrefixes: Buffer[];
  /** Reused for the indexed values of one record: indexing allocates no array per record. */
  readonly #values: Array<string | undefined>;
  readonly #cache = new Map<string, JsonRecord>();
  /** Ids read once recently and not cached (yet). */
  readonly #missed = new Set<string>();

  constructor(spec: CollectionSpec, rows: RowTable) {
    this.name = spec.name;
    this.rows = rows;
    this.#groupBy = spec.groupBy;
    this.#groupPrefix = spec.groupBy === undefined ? undefined : Buffer.from(`{${JSON.stringify(spec.groupBy)}:`, 'utf8');
    this.#uniqueFields = [...(spec.unique ?? [])];
    this.#unique = this.#uniqueFields.map(() => new Map<string, string>());
    this.#lead = leadFields(spec);
    this.#leadPrefixes = this.#lead.map((field) => Buffer.from(`${JSON.stringify(field)}:"`, 'utf8'));
    this.#values = this.#lead.map(() => undefined);
    // One pass over the records in file order (a few large reads), not a read per record.
    if (this.#unique.length > 0) {
      this.rows.forEachRow((bytes, start, end, id) => this.#addToIndexes(id, this.#leadValuesOf(bytes, start, end)));
    }
  }

  encode(record: JsonRecord): string {
    return encodeRecord(this.name, this.#lead, record);
  }

  get(id: string): JsonRecord | undefined {
    const cached = this.#cache.get(id);
    if (cached !== undefined) return copyJson(cached);
    const text = this.rows.text(id);
    if (text === undefined) return undefined;
    const parsed = JSON.parse(text) as JsonRecord;
    // A record read once (say, one of 100,000 keys verified at random) is handed out as parsed:
    // caching it would cost a copy and evict a hot one. Read again soon, it is cached.
    if (!this.#missed.has(id)) {
      bounded(this.#missed.add(id), CACHE_SIZE);
      return parsed;
    }
    this.#missed.delete(id);
    bounded(this.#cache.set(id, parsed), CACHE_SIZE);
    return copyJson(parsed);
  }

  idBy(field: string, value: string): string | undefined {
    const index = this.#uniqueFields.indexOf(field);
    return index === -1 ? undefined : this.#unique[index]!.get(value);
  }

  /**
   * Visit every record (of one group), freshly parsed; bypasses the cache so a listing cannot flush it.
   * A group is found by the start of each record's text (the group field comes first), which
   * costs a few milliseconds per 100,000 records and no index to build at open or keep in memory.
   */
  forEach(group: string | undefined, visit: (record: JsonRecord) => void): void {
    if (group === undefined) {
      this.rows.forEachText((text) => visit(JSON.parse(text) as JsonRecord));
      return;
    }
    const groupBy = this.#groupBy;
    if (groupBy === undefined) throw new RangeError(`"${this.name}" records are not grouped.`);
    // The closing quote is part of the match, and the parsed value is checked anyway.
    const match = Buffer.concat([this.#groupPrefix!, Buffer.from(JSON.stringify(group), 'utf8')]);
    this.rows.forEachCandidate(match, this.#groupPrefix!, (text) => {
      const record = JSON.parse(text) as JsonRecord;
      if (record[groupBy] === group) visit(record);
    });
  }

  /** Put (`text`) or delete (`null`), keeping indexes and cache in step. */
  set(id: string, text: string | null): void {
    if (this.rows.has(id)) this.#unindex(id);
    this.#cache.delete(id);
    this.#missed.delete(id);
    if (text === null) {
      this.rows.delete(id);
      return;
    }
    this.rows.set(id, text);
    this.#index(id);
  }

  #index(id: string): void {
    if (this.#unique.length === 0) return;
    this.#addToIndexes(id, this.#leadValues(id));
  }

  #addToIndexes(id: string, values: Array<string | undefined>): void {
    let i = this.#groupBy === undefined ? 0 : 1;
    for (let u = 0; u < this.#unique.length; u += 1) {
      const value = values[i++];
      if (value !== undefined) this.#unique[u]!.set(value, id);
    }
  }

  #unindex(id: string): void {
    if (this.#unique.length === 0) return;
    const values = this.#leadValues(id);
    let i = this.#groupBy === undefined ? 0 : 1;
    for (let u = 0; u < this.#unique.length; u += 1) {
      const value = values[i++];
      if (value !== undefined && this.#unique[u]!.get(value) === id) this.#unique[u]!.delete(value);
    }
  }

  /**
   * The string values of the lead fields of a stored record, read off the front of its text when
   * it allows (the group value is skipped: it is not indexed), in a reused array valid until the
   * next call.
   */
  #leadValues(id: string): Array<string | undefined> {
    return this.rows.withHead(id, (bytes, start, end) => this.#leadValuesOf(bytes, start, end, id))!;
  }

  /** {@link #leadValues} of the text (or the first bytes of the text) in `bytes[start..end)`. */
  #leadValuesOf(bytes: Buffer, start: number, end: number, id?: string): Array<string | undefined> {
    const skip = this.#groupBy === undefined ? 0 : 1;
    if (readLeadingStrings(bytes, start, end, this.#leadPrefixes, skip, this.#values)) return this.#values;
    // Not led by them (a field is missing or not a plain string, or a value is very long): only
    // the parser can tell. `bytes` may hold only the first bytes of the record: read it whole.
    const text = id === undefined ? bytes.toString('utf8', start, end) : this.rows.text(id)!;
    const record = JSON.parse(text) as JsonRecord;
    for (let i = 0; i < this.#lead.length; i += 1) {
      const value = record[this.#lead[i]!];
      this.#values[i] = typeof value === 'string' ? value : undefined;
    }
    return this.#values;
  }
}

function snapshotFormat(options: RecordStoreOptions): SnapshotFormat {
  const leads = new Map(options.collections.map((spec) => [spec.name, leadFields(spec)]));
  return {
    collections: options.collections.map((c) => c.name),
    // Records of a file read the slow way become text the same way commits do.
    encode: (collection, record) => encodeRecord(collection, leads.get(collection) ?? [], record),
    ...(options.validateMeta ? { validateMeta: options.validateMeta } : {}),
  };
}

/** A transaction applied in memory, waiting for its journal append. */
interface Committed {
  seq: number;
  writes: Array<{ table: Table; id: string; row: string | null }>;
}

interface Persistence {
  low: Low<RecordSnapshot>;
  adapter: RecordSnapshotAdapter;
  journal: JournalWriter;
  dir: string;
  stem: string;
}

export class RecordStore {
  readonly description: string;
  readonly #tables = new Map<string, Table>();
  /** lowdb's `data`: the tables' row maps plus the top-level fields and the last sequence number. */
  readonly #data: RecordSnapshot;
  readonly #files: Persistence | undefined;
  readonly #onCheckpointError: (error: unknown) => void;
  readonly #checkpointMinBytes: number;
  readonly #checkpointRatio: number;
  /** Journal appends: each makes the lines of every commit waiting durable at once. */
  readonly #commits: GroupCommit<Committed>;
  #closed = false;
  #closing: Promise<void> | undefined;
  /** After close(): the snapshot file is closed, so reads are refused. */
  #released = false;
  #checkpointing: Promise<void> | undefined;
  /** The snapshot on disk was written by this layout (false: read the slow way, reseal it). */
  #sealed = true;
  /** Journal files of generations before the current one may still exist. */
  #staleJournals = false;
  /** Journal bytes not covered by a completed checkpoint, and when to try the next one. */
  #journalBytes = 0;
  #nextCheckpointAt = 0;
  #snapshotBytes = 0;
  #checkpoints = 0;
  #failedCheckpoints = 0;

  private constructor(data: RecordSnapshot, options: RecordStoreOptions, files: Persistence | undefined, description: string) {
    this.description = description;
    this.#data = data;
    this.#files = files;
    this.#commits = new GroupCommit<Committed>({
      description,
      // Without files there is nothing to write, but commits take the same path (as in
      // MemoryDocumentStore): the same ordering, the same stats.
      write: files === undefined ? () => Promise.resolve() : (batch) => this.#append(batch),
      // Between appends: the only moment a checkpoint may switch journal files.
      afterWrite: () => this.#maybeCheckpoint(),
      onFailure: options.onFailure,
    });
    this.#onCheckpointError =
      options.onCheckpointError ??
      ((error) => process.emitWarning(`Checkpointing ${description} failed; the journal keeps every change and it is retried later: ${messageOf(error)}`));
    this.#checkpointMinBytes = options.checkpointMinBytes ?? DEFAULT_CHECKPOINT_MIN_BYTES;
    this.#checkpointRatio = options.checkpointSnapshotRatio ?? DEFAULT_CHECKPOINT_RATIO;
    for (const spec of options.collections) {
      let rows = data.tables.get(spec.name);
      if (rows === undefined) data.tables.set(spec.name, (rows = new RowTable()));
      this.#tables.set(spec.name, new Table(spec, rows));
    }
  }

  /** A store without files (tests, the in-process mock): same behaviour, nothing persisted. */
  static inMemory(options: RecordStoreOptions): RecordStore {
    return new RecordStore({ meta: { ...options.initialMeta }, seq: 0, tables: new Map() }, options, undefined, 'the in-memory records');
  }

  /**
   * Open the snapshot at `filePath` and replay its journal. A missing snapshot is created (with
   * no journal beside it); a damaged snapshot or journal throws {@link CorruptDataFileError} and
   * nothing is written. The caller must hold the data folder's lock.
   */
  static async open(filePath: string, options: RecordStoreOptions): Promise<RecordStore> {
    const dir = path.dirname(filePath);
    const stem = path.basename(filePath).replace(/\.json$/, '');
    await removeLeftoverTempFiles(filePath);
    const format = snapshotFormat(options);
    const adapter = new RecordSnapshotAdapter(filePath, format);
    const journals = await listJournalFiles(dir, stem);
    let data = await adapter.read();
    const created = data === null;
    if (data === null) {
      if (journals.length > 0) {
        throw new CorruptDataFileError(
          journals[0]!.path,
          `the snapshot it continues (${filePath}) is missing, so the records before it are lost`,
        );
      }
      data = { meta: { ...options.initialMeta }, seq: 0, tables: new Map() };
    }
    const low = new Low<RecordSnapshot>(adapter, data);
    const generation = (journals.at(-1)?.generation ?? 0) + 1;
    let store: RecordStore;
    let report;
    try {
      store = new RecordStore(data, options, { low, adapter, journal: new JournalWriter(dir, stem, generation), dir, stem }, `data file ${filePath}`);
      const opened = store;
      report = await replayJournal(journals, data.seq, (entry, where) => {
        for (const [collection, id, record] of entry.writes) {
          const table = opened.#tables.get(collection);
          if (table === undefined) throw new CorruptDataFileError(where.file, `line ${where.line} writes to an unknown collection ${JSON.stringify(collection)}`);
          table.set(id, record === null ? null : table.encode(record));
        }
        data.seq = entry.seq;
      });
      // A new folder gets its (empty) snapshot now, so the folder always holds a readable file.
      if (created) {
        await low.write();
        store.#moveToWrittenSnapshot();
      }
    } catch (error) {
      data.base?.close();
      throw error;
    }
    store.#sealed = created || adapter.lastRead?.sealed === true;
    if (!created) store.#snapshotBytes = adapter.lastRead?.bytes ?? 0;
    store.#staleJournals = journals.length > 0;
    store.#journalBytes = report.bytes;
    // A file read the slow way is resealed at once, in the background, so the next start is fast.
    store.#nextCheckpointAt = store.#sealed ? store.#threshold() : 0;
    store.#maybeCheckpoint();
    return store;
  }

  /**
   * Write a new snapshot holding exactly `writes` (seeding benchmarks and fixtures), encoded as
   * the store encodes commits. Replaces `filePath` atomically; must not be used on an open store's
   * file.
   */
  static async writeSnapshot(filePath: string, options: RecordStoreOptions, writes: readonly RecordWrite[]): Promise<void> {
    const store = RecordStore.inMemory(options);
    await store.commit(writes);
    await writeSnapshotFile(filePath, { ...store.#data, seq: 0 }, snapshotFormat(options));
  }

  get failure(): Error | undefined {
    return this.#commits.failure;
  }

  get stats(): RecordStoreStats {
    return {
      acknowledgedCommits: this.#commits.stats.acknowledged,
      journalAppends: this.#commits.stats.writes,
      checkpoints: this.#checkpoints,
      failedCheckpoints: this.#failedCheckpoints,
      journalBytes: this.#journalBytes,
      snapshotBytes: this.#snapshotBytes,
    };
  }

  /** A fresh copy of the record, or undefined. */
  get(collection: string, id: string): JsonRecord | undefined {
    return this.#readable(collection).get(id);
  }

  /** The id of the record whose unique `field` has `value`. */
  idBy(collection: string, field: string, value: string): string | undefined {
    return this.#readable(collection).idBy(field, value);
  }

  /** Fresh copies of every record of the collection, or of one group of it. */
  list(collection: string, group?: string): JsonRecord[] {
    const out: JsonRecord[] = [];
    this.forEach(collection, group, (record) => out.push(record));
    return out;
  }

  /**
   * Visit the records one at a time, as `list` returns them: a caller that keeps few of them (a
   * filter, an index of one field) leaves the rest to die young instead of holding them all,
   * which at 100,000 keys keeps a scan's peak RSS about 270 MB lower.
   */
  forEach(collection: string, group: string | undefined, visit: (record: JsonRecord) => void): void {
    this.#readable(collection).forEach(group, visit);
  }

  /**
   * Apply `writes` now, atomically (all or none: every record is encoded before any is applied),
   * and resolve once they are durable. Rejects at once, changing nothing, when a record is not a
   * JSON object or the store is closed or failed.
   */
  commit(writes: readonly RecordWrite[]): Promise<void> {
    if (this.#closed) return Promise.reject(new StoreClosedError(this.description));
    if (this.#commits.failure) return Promise.reject(this.#commits.failure);
    let encoded: Committed['writes'];
    try {
      encoded = writes.map(({ collection, id, record }) => {
        const table = this.#table(collection);
        if (typeof id !== 'string') throw new TypeError(`A record id must be a string, not ${typeof id}.`);
        return { table, id, row: record === null ? null : table.encode(record) };
      });
    } catch (error) {
      return Promise.reject(error);
    }
    if (encoded.length === 0) return Promise.resolve();
    const seq = this.#data.seq + 1;
    this.#data.seq = seq;
    for (const { table, id, row } of encoded) table.set(id, row);
    return this.#commits.enqueue({ seq, writes: encoded });
  }

  /** Resolves when every commit so far is durable; rejects if the store has failed. */
  flush(): Promise<void> {
    return this.#commits.flush();
  }

  /** Write a checkpoint now (after the running one, if any) and wait for it. Never rejects. */
  async checkpoint(): Promise<void> {
    if (this.#files === undefined) return;
    // A checkpoint switches journal files, so it must start while no append is in flight.
    while (this.#commits.writing || this.#checkpointing !== undefined) {
      await this.#checkpointing;
      await this.flush().catch(() => undefined);
      if (this.#commits.failure) return;
    }
    this.#startCheckpoint();
    await this.#checkpointing;
  }

  /**
   * Refuse new commits, wait for pending ones, and checkpoint whatever the snapshot lacks, so the
   * next start replays nothing. Never rejects: a failed final checkpoint leaves the journal, which
   * the next start replays. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#closed = true;
      await this.flush().catch(() => undefined);
      await this.#checkpointing;
      const files = this.#files;
      if (files === undefined) return;
      if (!this.#commits.failure && (!this.#sealed || this.#staleJournals || files.journal.bytes > 0)) {
        this.#startCheckpoint();
        await this.#checkpointing;
      }
      await files.journal.close().catch(() => undefined);
      this.#released = true;
      this.#data.base?.close();
    })();
    return this.#closing;
  }

  #table(collection: string): Table {
    const table = this.#tables.get(collection);
    if (table === undefined) throw new RangeError(`No collection ${JSON.stringify(collection)} in ${this.description}.`);
    return table;
  }

  #readable(collection: string): Table {
    if (this.#commits.failure) throw this.#commits.failure;
    // Records are read back from the snapshot file, whose descriptor close() released.
    if (this.#released) throw new StoreClosedError(this.description);
    return this.#table(collection);
  }

  #threshold(): number {
    return Math.max(this.#checkpointMinBytes, this.#snapshotBytes * this.#checkpointRatio);
  }

  async #append(batch: Committed[]): Promise<void> {
    // The lines are assembled from the texts encoded at commit: no second serialization.
    const lines = batch.map(
      ({ seq, writes }) => `{"seq":${seq},"writes":[${writes.map(({ table, id, row }) => `[${JSON.stringify(table.name)},${JSON.stringify(id)},${row ?? 'null'}]`).join(',')}]}\n`,
    );
    const bytes = Buffer.from(lines.join(''), 'utf8');
    await this.#files!.journal.append(bytes);
    this.#journalBytes += bytes.length;
  }

  /** Only where no append is in flight: in the write loop between appends, or before any. */
  #maybeCheckpoint(): void {
    if (this.#journalBytes >= this.#nextCheckpointAt) this.#startCheckpoint();
  }

  /**
   * Switch to a new journal file and write the snapshot, both decided synchronously here: every
   * transaction in the old files was applied in memory before this point, so the snapshot taken
   * now holds all of them and the old files can go once it is durable. Commits applied but not yet
   * appended are in the snapshot too and go to the new file; replaying them is harmless (writes
   * are absolute, and the snapshot's sequence number skips them). Must not run while an append is
   * in flight.
   */
  #startCheckpoint(): void {
    const files = this.#files;
    if (files === undefined || this.#checkpointing !== undefined || this.#commits.failure) return;
    if (files.journal.bytes > 0) this.#staleJournals = true;
    const covered = this.#journalBytes;
    const { previous, closed } = files.journal.nextGeneration();
    // lowdb's write() calls the adapter before its first await: the tables are copied right here.
    const written = files.low.write();
    this.#checkpointing = (async () => {
      try {
        await Promise.all([closed, written]);
        this.#moveToWrittenSnapshot();
        this.#sealed = true;
        await deleteJournalsBefore(files.dir, files.stem, previous + 1);
        this.#staleJournals = false;
        this.#journalBytes -= covered;
        this.#checkpoints += 1;
        this.#nextCheckpointAt = this.#threshold();
      } catch (error) {
        this.#failedCheckpoints += 1;
        // Retry after more journal, not at the next append (which would retry on every one).
        this.#nextCheckpointAt = this.#journalBytes + this.#threshold();
        this.#onCheckpointError(error);
      } finally {
        this.#checkpointing = undefined;
      }
    })();
  }

  /**
   * The snapshot just written holds every record captured for it: read those that have not
   * changed since from it, free their in-memory text, and close the file they were read from.
   */
  #moveToWrittenSnapshot(): void {
    const files = this.#files!;
    const written = files.adapter.lastWrite!;
    // Let go of the capture: it holds the slabs the rebase frees.
    files.adapter.lastWrite = undefined;
    for (const { name, rows, offsets } of written.sections) this.#tables.get(name)?.rows.rebase(rows, written.base, offsets);
    const previous: BaseFile | undefined = this.#data.base;
    this.#data.base = written.base;
    previous?.close();
    this.#snapshotBytes = written.bytes;
  }
}
