/**
 * A table of records held as their JSON text (UTF-8 bytes), either in the snapshot file they were
 * last checkpointed to or, when written since, in large buffers outside the V8 heap.
 *
 * Why not a `Map<string, string>` of texts: 100,000 API keys are ~64 MB of text. On the JS heap
 * that is 100,000 strings the garbage collector copies while they are created (most of the cost of
 * opening the file) and then counts as live data, which V8 multiplies into headroom for garbage.
 * Off the heap, as the snapshot file's bytes read once into one Buffer (the "base"), the same text
 * costs the collector nothing: a record that has not changed since the last checkpoint is only a
 * location in it. It is held in memory rather than read back from the file on demand because
 * authenticating or verifying a key must never wait on the disk. Records written since the last
 * checkpoint (bounded by the journal size that triggers the next one) go into slabs. The heap holds
 * ids and small typed arrays.
 *
 * In-memory texts go into append-only slabs (Buffers of up to 4 MiB): a replaced or deleted text
 * just becomes dead space, and a capture (a checkpoint being written) can keep reading the slabs
 * and the base file it saw while the table changes. When dead space passes half the live texts,
 * the live ones are copied into fresh slabs; old slabs are freed once no capture uses them.
 */

const MIN_SLAB_BYTES = 64 * 1024;
const MAX_SLAB_BYTES = 4 * 1024 * 1024;
/** Compact only above this much dead space, so small tables never bother. */
const MIN_COMPACT_BYTES = 1024 * 1024;
/** The leading fields of a record fit in this many bytes, unless values are unusually long. */
const HEAD_BYTES = 512;
/** Location of a record in the base file rather than a slab. */
const IN_BASE = -1;
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;

/** The bytes of the snapshot file that records not written since were read from. */
export class BaseFile {
  readonly path: string;
  #bytes: Buffer | undefined;

  constructor(filePath: string, bytes: Buffer) {
    this.path = filePath;
    this.#bytes = bytes;
  }

  /** The file's bytes, for reading records in place. */
  get bytes(): Buffer {
    if (this.#bytes === undefined) throw new Error(`Reading ${this.path} after it was released (a bug in the record store).`);
    return this.#bytes;
  }

  /** Lets the bytes go once no row or capture uses them. */
  close(): void {
    this.#bytes = undefined;
  }
}


/**
 * The string values of leading fields, when `bytes[start..end)` starts
 * `{"<field 1>":"<value>","<field 2>":"…` in that order (each prefix is the bytes of
 * `"<field>":"`). Written into `out` (undefined for the first `skip`); false when the text does not
 * start that way or a value holds an escape, so the caller must parse it.
 */
export function readLeadingStrings(bytes: Buffer, start: number, end: number, prefixes: readonly Buffer[], skip: number, out: Array<string | undefined>): boolean {
  let position = start + 1; // after "{"
  for (let i = 0; i < prefixes.length; i += 1) {
    const prefix = prefixes[i]!;
    if (position + prefix.length > end) return false;
    // By hand: for a dozen bytes, cheaper than a call into Buffer.compare.
    for (let j = 0; j < prefix.length; j += 1) if (bytes[position + j] !== prefix[j]) return false;
    const valueStart = position + prefix.length;
    let close = valueStart;
    while (close < end && bytes[close] !== QUOTE) {
      if (bytes[close] === BACKSLASH) return false;
      close += 1;
    }
    if (close >= end) return false;
    // Followed by "," or, for the last field of a record holding nothing else, "}".
    const next = bytes[close + 1];
    if (!(next === COMMA || (next === CLOSE_BRACE && i === prefixes.length - 1))) return false;
    out[i] = i < skip ? undefined : bytes.toString('utf8', valueStart, close);
    position = close + 2;
  }
  return true;
}

function startsWith(bytes: Buffer, start: number, length: number, prefix: Buffer): boolean {
  if (length < prefix.length) return false;
  for (let j = 0; j < prefix.length; j += 1) if (bytes[start + j] !== prefix[j]) return false;
  return true;
}

/** A consistent copy of a table's rows, in iteration order (see {@link RowTable.capture}). */
export interface CapturedRows {
  readonly ids: readonly string[];
  readonly slabs: readonly Buffer[];
  readonly base: BaseFile | undefined;
  /** Slab index, or -1 for the base file. */
  readonly slab: Int32Array;
  readonly offset: Float64Array;
  readonly length: Int32Array;
  /** Which write of the record this is, to tell later whether it changed since. */
  readonly version: Float64Array;
}

/** Reads captured records one by one. */
export class CapturedRowReader {
  readonly #rows: CapturedRows;

  constructor(rows: CapturedRows) {
    this.#rows = rows;
  }

  /** Record i's bytes start at `start` of `bytes` (length `rows.length[i]`). */
  read(i: number): { bytes: Buffer; start: number } {
    const slab = this.#rows.slab[i]!;
    const offset = this.#rows.offset[i]!;
    if (slab === IN_BASE) return { bytes: this.#rows.base!.bytes, start: offset };
    return { bytes: this.#rows.slabs[slab]!, start: offset };
  }
}

export class RowTable {
  /** id -> slot; a slot indexes the location arrays below. Small integers: no boxing. */
  readonly #slots = new Map<string, number>();
  #slab = new Int32Array(64);
  #offset = new Float64Array(64);
  #length = new Int32Array(64);
  #version = new Float64Array(64);
  #writes = 0;
  #freeSlots: number[] = [];
  #nextSlot = 0;
  #slabs: Buffer[] = [];
  /** The slab new texts are appended to, and how much of it is used. */
  #current = -1;
  #used = 0;
  #base: BaseFile | undefined;
  /** Bytes of in-memory texts, live and dead. */
  #liveBytes = 0;
  #deadBytes = 0;

  constructor(base?: BaseFile) {
    this.#base = base;
  }

  /** Bytes of texts held in memory (live and not yet compacted away); base records hold none. */
  get memoryBytes(): { live: number; dead: number } {
    return { live: this.#liveBytes, dead: this.#deadBytes };
  }

  has(id: string): boolean {
    return this.#slots.has(id);
  }

  text(id: string): string | undefined {
    const slot = this.#slots.get(id);
    if (slot === undefined) return undefined;
    const offset = this.#offset[slot]!;
    const length = this.#length[slot]!;
    const slab = this.#slab[slot]!;
    return (slab === IN_BASE ? this.#base!.bytes : this.#slabs[slab]!).toString('utf8', offset, offset + length);
  }

  /** Calls `fn` with the record's bytes (valid during the call only); undefined when absent. */
  withBytes<R>(id: string, maxBytes: number, fn: (bytes: Buffer, start: number, end: number) => R): R | undefined {
    const slot = this.#slots.get(id);
    if (slot === undefined) return undefined;
    const offset = this.#offset[slot]!;
    const length = this.#length[slot]!;
    const slab = this.#slab[slot]!;
    return fn(slab === IN_BASE ? this.#base!.bytes : this.#slabs[slab]!, offset, offset + Math.min(length, maxBytes));
  }

  /** The first bytes of a record (enough for its leading fields), for {@link readLeadingStrings}. */
  withHead<R>(id: string, fn: (bytes: Buffer, start: number, end: number) => R): R | undefined {
    return this.withBytes(id, HEAD_BYTES, fn);
  }

  /** Calls `visit` with every record's bytes (valid during the call only), in insertion order. */
  forEachRow(visit: (bytes: Buffer, start: number, end: number, id: string) => void): void {
    for (const [id, slot] of this.#slots) {
      const offset = this.#offset[slot]!;
      const slab = this.#slab[slot]!;
      visit(slab === IN_BASE ? this.#base!.bytes : this.#slabs[slab]!, offset, offset + this.#length[slot]!, id);
    }
  }

  forEachText(visit: (text: string, id: string) => void): void {
    this.forEachRow((bytes, start, end, id) => visit(bytes.toString('utf8', start, end), id));
  }

  /**
   * Like {@link forEachText}, for the records whose text starts with `match`, or does not start
   * with `known` (then its start says nothing, and the caller must look inside). Skips the rest
   * without decoding them.
   */
  forEachCandidate(match: Buffer, known: Buffer, visit: (text: string, id: string) => void): void {
    this.forEachRow((bytes, start, end, id) => {
      const length = end - start;
      if (startsWith(bytes, start, length, match) || !startsWith(bytes, start, length, known)) visit(bytes.toString('utf8', start, end), id);
    });
  }

  /** Record that `id`'s text is `length` bytes at `offset` of the base file (while opening). */
  setInBase(id: string, offset: number, length: number): void {
    if (this.#base === undefined) throw new Error('This table has no base file.');
    if (offset + length > this.#base.bytes.length) throw new RangeError(`Record ${id} would end past the ${this.#base.bytes.length} bytes of ${this.#base.path}.`);
    this.#place(id, IN_BASE, offset, length);
  }

  /** Put a record's text (kept in memory until a checkpoint writes it to a new base). */
  set(id: string, text: string): void {
    const length = Buffer.byteLength(text, 'utf8');
    const { slab, offset } = this.#allocate(length);
    this.#slabs[slab]!.write(text, offset, length, 'utf8');
    this.#place(id, slab, offset, length);
  }

  delete(id: string): boolean {
    const slot = this.#slots.get(id);
    if (slot === undefined) return false;
    this.#slots.delete(id);
    this.#forget(slot);
    this.#freeSlots.push(slot);
    this.#maybeCompact();
    return true;
  }

  /**
   * A consistent copy of every row, taken synchronously: ids and locations are copied, and what
   * they point at is never written again (slabs are appended to past them, compaction writes new
   * slabs, and a new base is a new file), so the copy stays valid however the table changes.
   */
  capture(): CapturedRows {
    const count = this.#slots.size;
    const ids = new Array<string>(count);
    const slab = new Int32Array(count);
    const offset = new Float64Array(count);
    const length = new Int32Array(count);
    const version = new Float64Array(count);
    let i = 0;
    for (const [id, at] of this.#slots) {
      ids[i] = id;
      slab[i] = this.#slab[at]!;
      offset[i] = this.#offset[at]!;
      length[i] = this.#length[at]!;
      version[i] = this.#version[at]!;
      i += 1;
    }
    return { ids, slabs: this.#slabs.slice(), base: this.#base, slab, offset, length, version };
  }

  /**
   * `captured` has been written to `base`, record i at `offsets[i]`: every record not written
   * since the capture now lives there, and its in-memory text is freed. The caller closes the
   * previous base once every table sharing it has moved on.
   */
  rebase(captured: CapturedRows, base: BaseFile, offsets: Float64Array): void {
    this.#base = base;
    for (let i = 0; i < captured.ids.length; i += 1) {
      const slot = this.#slots.get(captured.ids[i]!);
      if (slot === undefined || this.#version[slot] !== captured.version[i]) continue;
      // The same write of the record (perhaps moved by compaction since): same text.
      if (this.#slab[slot] !== IN_BASE) {
        this.#liveBytes -= this.#length[slot]!;
        this.#deadBytes += this.#length[slot]!;
      }
      this.#slab[slot] = IN_BASE;
      this.#offset[slot] = offsets[i]!;
    }
    // Any record still in the previous base changed since the capture, so none is left there.
    this.#maybeCompact();
  }

  #forget(slot: number): void {
    if (this.#slab[slot] === IN_BASE) return;
    this.#liveBytes -= this.#length[slot]!;
    this.#deadBytes += this.#length[slot]!;
  }

  #place(id: string, slab: number, offset: number, length: number): void {
    let slot = this.#slots.get(id);
    if (slot !== undefined) {
      this.#forget(slot);
    } else {
      slot = this.#freeSlots.pop() ?? this.#newSlot();
      this.#slots.set(id, slot);
    }
    this.#slab[slot] = slab;
    this.#offset[slot] = offset;
    this.#length[slot] = length;
    this.#writes += 1;
    this.#version[slot] = this.#writes;
    if (slab !== IN_BASE) this.#liveBytes += length;
    this.#maybeCompact();
  }

  #newSlot(): number {
    const slot = this.#nextSlot;
    this.#nextSlot += 1;
    if (slot >= this.#slab.length) {
      const size = this.#slab.length * 2;
      const grow = <A extends Int32Array | Float64Array>(from: A, to: A): A => {
        to.set(from);
        return to;
      };
      this.#slab = grow(this.#slab, new Int32Array(size));
      this.#offset = grow(this.#offset, new Float64Array(size));
      this.#length = grow(this.#length, new Int32Array(size));
      this.#version = grow(this.#version, new Float64Array(size));
    }
    return slot;
  }

  /** Room for `length` bytes: at the end of the current slab, in a new one, or in its own. */
  #allocate(length: number): { slab: number; offset: number } {
    if (length > MAX_SLAB_BYTES) {
      // A huge record gets a slab of its own; small ones keep filling the current slab.
      this.#slabs.push(Buffer.allocUnsafeSlow(length));
      return { slab: this.#slabs.length - 1, offset: 0 };
    }
    const current = this.#current === -1 ? undefined : this.#slabs[this.#current];
    if (current === undefined || this.#used + length > current.length) {
      // Doubling from 64 KiB: small tables (roles, scopes) stay small; large ones reach 4 MiB.
      const size = Math.max(length, Math.min(MAX_SLAB_BYTES, current === undefined ? MIN_SLAB_BYTES : current.length * 2));
      this.#slabs.push(Buffer.allocUnsafeSlow(size));
      this.#current = this.#slabs.length - 1;
      this.#used = 0;
    }
    const offset = this.#used;
    this.#used += length;
    return { slab: this.#current, offset };
  }

  #maybeCompact(): void {
    if (this.#deadBytes < MIN_COMPACT_BYTES || this.#deadBytes < this.#liveBytes / 2) return;
    const oldSlabs = this.#slabs;
    this.#slabs = [];
    this.#current = -1;
    this.#used = 0;
    for (const slot of this.#slots.values()) {
      const from = this.#slab[slot]!;
      if (from === IN_BASE) continue;
      const length = this.#length[slot]!;
      const { slab, offset } = this.#allocate(length);
      const start = this.#offset[slot]!;
      oldSlabs[from]!.copy(this.#slabs[slab]!, offset, start, start + length);
      this.#slab[slot] = slab;
      this.#offset[slot] = offset;
    }
    this.#deadBytes = 0;
  }
}
