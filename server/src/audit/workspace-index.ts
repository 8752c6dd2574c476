/**
 * The in-memory index of one workspace's audit events: compact columns (typed arrays) in log
 * order, about 54 bytes an event, so a million events cost ~54 MB instead of the ~1 GB their
 * objects would. Strings (ids, names) are interned to numbers. A list query scans the columns
 * from the newest entry down and stops at `limit` matches, or as soon as every older entry is
 * before `from` (a running maximum of the event times makes that test exact even when events
 * arrive slightly out of time order). Full events are read back from disk only for the page.
 *
 * Every entry has an ordinal: its position in the workspace's log since the index was built.
 * Pruning drops a prefix; ordinals of the remaining entries do not change.
 *
 * Locations are set in log order and segments are numbered in the order they are written, so the
 * segment column ascends over the located entries (the unlocated ones are the newest): a
 * segment's entries are one run of ordinals, found by binary search ({@link WorkspaceIndex.segmentColumns}).
 */
import type { ResolvedFilters } from './filters.js';

const FLAG_TARGET_IS_KEY = 1;
const FLAG_ACTOR_IS_KEY = 2;
/** The interned id of a filter value that no event has: the query matches nothing. */
const IMPOSSIBLE = -2;
const NONE = -1;

export interface IndexEntryInput {
  occurredAtMs: number;
  typeCode: number;
  targetId: string | null;
  targetName: string | null;
  targetIsKey: boolean;
  actorId: string | null;
  actorName: string | null;
  actorIsKey: boolean;
  /** A 32-bit fingerprint of the event id (see {@link idTag}); cursors carry it. */
  tag: number;
}

/** Where an event's line is: segment sequence number, byte offset and length (newline excluded). */
export interface EntryLocation {
  segment: number;
  offset: number;
  length: number;
}

/**
 * The entries of one segment, column by column: what a segment summary stores. Strings are
 * positions in `strings` (-1 for null); all columns have one element per entry.
 */
export interface IndexColumns {
  strings: string[];
  occurredAtMs: Float64Array;
  typeCode: Uint8Array;
  /** Bit 0: the target is an API key; bit 1: the actor is. */
  flags: Uint8Array;
  targetId: Int32Array;
  targetName: Int32Array;
  actorId: Int32Array;
  actorName: Int32Array;
  tag: Uint32Array;
  offset: Float64Array;
  length: Uint32Array;
}

export interface CompiledFilter {
  typeMask: number;
  keyId: number;
  keyName: number;
  actorId: number;
  fromMs: number;
  toMs: number;
  impossible: boolean;
}

/** FNV-1a over the id's characters: a 32-bit tag that tells events apart with high probability. */
export function idTag(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export class WorkspaceIndex {
  #strings = new Map<string, number>();
  /** Interned strings by id (the reverse of `#strings`). */
  #stringList: string[] = [];
  /** The oldest live segment when a drop cut through it: the index no longer holds all its entries. */
  #partialSegment = NONE;
  #capacity: number;
  /** Ordinal of array slot 0. */
  #base = 0;
  /** First live slot (slots before it were pruned). */
  #start = 0;
  /** One past the last used slot. */
  #end = 0;
  #ts: Float64Array;
  #maxTs: Float64Array;
  #type: Uint8Array;
  #flags: Uint8Array;
  #target: Int32Array;
  #targetName: Int32Array;
  #actor: Int32Array;
  #actorName: Int32Array;
  #tag: Uint32Array;
  #segment: Int32Array;
  #offset: Float64Array;
  #length: Uint32Array;

  constructor(initialCapacity = 1024) {
    this.#capacity = Math.max(16, initialCapacity);
    this.#ts = new Float64Array(this.#capacity);
    this.#maxTs = new Float64Array(this.#capacity);
    this.#type = new Uint8Array(this.#capacity);
    this.#flags = new Uint8Array(this.#capacity);
    this.#target = new Int32Array(this.#capacity);
    this.#targetName = new Int32Array(this.#capacity);
    this.#actor = new Int32Array(this.#capacity);
    this.#actorName = new Int32Array(this.#capacity);
    this.#tag = new Uint32Array(this.#capacity);
    this.#segment = new Int32Array(this.#capacity);
    this.#offset = new Float64Array(this.#capacity);
    this.#length = new Uint32Array(this.#capacity);
  }

  /** Live entries. */
  get size(): number {
    return this.#end - this.#start;
  }

  /** Ordinal of the oldest live entry. */
  get firstOrdinal(): number {
    return this.#base + this.#start;
  }

  /** Ordinal the next added entry gets. */
  get nextOrdinal(): number {
    return this.#base + this.#end;
  }

  /** Approximate bytes held (columns and interned strings). */
  get memoryBytes(): number {
    let strings = 0;
    for (const key of this.#strings.keys()) strings += 2 * key.length + 48;
    return this.#capacity * 54 + strings;
  }

  add(entry: IndexEntryInput, location?: EntryLocation): number {
    if (this.#end === this.#capacity) this.#grow();
    const i = this.#end;
    this.#ts[i] = entry.occurredAtMs;
    const previousMax = i > this.#start ? this.#maxTs[i - 1]! : Number.NEGATIVE_INFINITY;
    this.#maxTs[i] = entry.occurredAtMs > previousMax ? entry.occurredAtMs : previousMax;
    this.#type[i] = entry.typeCode;
    this.#flags[i] = (entry.targetIsKey ? FLAG_TARGET_IS_KEY : 0) | (entry.actorIsKey ? FLAG_ACTOR_IS_KEY : 0);
    this.#target[i] = this.#intern(entry.targetId);
    this.#targetName[i] = this.#intern(entry.targetName);
    this.#actor[i] = this.#intern(entry.actorId);
    this.#actorName[i] = this.#intern(entry.actorName);
    this.#tag[i] = entry.tag;
    if (location) {
      this.#segment[i] = location.segment;
      this.#offset[i] = location.offset;
      this.#length[i] = location.length;
    } else {
      this.#segment[i] = NONE;
    }
    this.#end += 1;
    return this.#base + i;
  }

  /** Append a segment's entries (read from its summary), all located in `segment`. */
  addSegmentColumns(columns: IndexColumns, segment: number): void {
    const count = columns.occurredAtMs.length;
    while (this.#capacity - this.#end < count) this.#grow();
    // Interned id by local string position + 1 (slot 0: null stays null).
    const ids = new Int32Array(columns.strings.length + 1);
    ids[0] = NONE;
    columns.strings.forEach((value, ref) => {
      ids[ref + 1] = this.#intern(value);
    });
    const at = this.#end;
    this.#ts.set(columns.occurredAtMs, at);
    this.#type.set(columns.typeCode, at);
    this.#flags.set(columns.flags, at);
    this.#tag.set(columns.tag, at);
    this.#offset.set(columns.offset, at);
    this.#length.set(columns.length, at);
    this.#segment.fill(segment, at, at + count);
    const translate = (refs: Int32Array, into: Int32Array): void => {
      for (let i = 0; i < count; i += 1) into[at + i] = ids[refs[i]! + 1]!;
    };
    translate(columns.targetId, this.#target);
    translate(columns.targetName, this.#targetName);
    translate(columns.actorId, this.#actor);
    translate(columns.actorName, this.#actorName);
    const ts = columns.occurredAtMs;
    const maxTs = this.#maxTs;
    let max = at > this.#start ? maxTs[at - 1]! : Number.NEGATIVE_INFINITY;
    for (let i = 0; i < count; i += 1) {
      if (ts[i]! > max) max = ts[i]!;
      maxTs[at + i] = max;
    }
    this.#end += count;
  }

  /**
   * The entries located in `segment`, as columns with their own string table; undefined when
   * some of them were dropped (the segment itself still holds them).
   */
  segmentColumns(segment: number): IndexColumns | undefined {
    if (segment === this.#partialSegment) return undefined;
    const from = this.#firstSlotOfSegmentAtLeast(segment);
    const to = this.#firstSlotOfSegmentAtLeast(segment + 1);
    const local = new Map<number, number>();
    const strings: string[] = [];
    const localRef = (id: number): number => {
      if (id === NONE) return NONE;
      let ref = local.get(id);
      if (ref === undefined) {
        ref = strings.push(this.#stringList[id]!) - 1;
        local.set(id, ref);
      }
      return ref;
    };
    const refs = (column: Int32Array): Int32Array => column.subarray(from, to).map(localRef);
    return {
      strings,
      occurredAtMs: this.#ts.slice(from, to),
      typeCode: this.#type.slice(from, to),
      flags: this.#flags.slice(from, to),
      targetId: refs(this.#target),
      targetName: refs(this.#targetName),
      actorId: refs(this.#actor),
      actorName: refs(this.#actorName),
      tag: this.#tag.slice(from, to),
      offset: this.#offset.slice(from, to),
      length: this.#length.slice(from, to),
    };
  }

  /** Ordinal of the oldest live entry located in `segment` or a later one (unlocated entries count as later). */
  firstOrdinalOfSegmentAtLeast(segment: number): number {
    return this.#base + this.#firstSlotOfSegmentAtLeast(segment);
  }

  /** Binary search over the live slots; unlocated entries count as after every segment. */
  #firstSlotOfSegmentAtLeast(segment: number): number {
    let low = this.#start;
    let high = this.#end;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const value = this.#segment[middle]!;
      if (value !== NONE && value < segment) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  setLocation(ordinal: number, location: EntryLocation): void {
    const i = this.#slot(ordinal);
    if (i === undefined) return;
    this.#segment[i] = location.segment;
    this.#offset[i] = location.offset;
    this.#length[i] = location.length;
  }

  location(ordinal: number): EntryLocation | undefined {
    const i = this.#slot(ordinal);
    if (i === undefined || this.#segment[i] === NONE) return undefined;
    return { segment: this.#segment[i]!, offset: this.#offset[i]!, length: this.#length[i]! };
  }

  tag(ordinal: number): number | undefined {
    const i = this.#slot(ordinal);
    return i === undefined ? undefined : this.#tag[i];
  }

  occurredAtMs(ordinal: number): number | undefined {
    const i = this.#slot(ordinal);
    return i === undefined ? undefined : this.#ts[i];
  }

  /** Ordinal of the newest live entry with this tag, or undefined. */
  findTag(tag: number): number | undefined {
    for (let i = this.#end - 1; i >= this.#start; i -= 1) if (this.#tag[i] === tag) return this.#base + i;
    return undefined;
  }

  /** Drop every entry older than `ordinal`. Returns how many were dropped. */
  dropBefore(ordinal: number): number {
    const target = Math.min(Math.max(ordinal - this.#base, this.#start), this.#end);
    const dropped = target - this.#start;
    if (dropped > 0) {
      const first = target < this.#end ? this.#segment[target]! : NONE;
      this.#partialSegment = first !== NONE && this.#segment[target - 1] === first ? first : NONE;
    }
    this.#start = target;
    if (this.#start > 4096 && this.#start * 2 > this.#end) this.#compact();
    return dropped;
  }

  compile(filters: ResolvedFilters): CompiledFilter {
    const lookup = (value: string | undefined): number => {
      if (value === undefined) return NONE;
      return this.#strings.get(value) ?? IMPOSSIBLE;
    };
    const compiled: CompiledFilter = {
      typeMask: filters.typeMask,
      keyId: lookup(filters.keyId),
      keyName: lookup(filters.keyName),
      actorId: lookup(filters.actorId),
      fromMs: filters.fromMs ?? Number.NEGATIVE_INFINITY,
      toMs: filters.toMs ?? Number.POSITIVE_INFINITY,
      impossible: false,
    };
    compiled.impossible = compiled.keyId === IMPOSSIBLE || compiled.keyName === IMPOSSIBLE || compiled.actorId === IMPOSSIBLE;
    return compiled;
  }

  /**
   * Ordinals of matching entries, newest first, strictly older than `beforeOrdinal` (or from the
   * newest), at most `limit` of them.
   */
  scan(filter: CompiledFilter, beforeOrdinal: number | undefined, limit: number): number[] {
    const out: number[] = [];
    if (filter.impossible || limit <= 0) return out;
    let i = beforeOrdinal === undefined ? this.#end - 1 : Math.min(beforeOrdinal - this.#base - 1, this.#end - 1);
    const start = this.#start;
    const { typeMask, keyId, keyName, actorId, fromMs, toMs } = filter;
    const ts = this.#ts;
    const maxTs = this.#maxTs;
    const types = this.#type;
    const flags = this.#flags;
    const target = this.#target;
    const targetName = this.#targetName;
    const actor = this.#actor;
    const actorName = this.#actorName;
    for (; i >= start; i -= 1) {
      if (maxTs[i]! < fromMs) break; // every older entry is before `from` too
      const t = ts[i]!;
      if (t >= toMs || t < fromMs) continue;
      if (typeMask !== 0 && ((typeMask >>> types[i]!) & 1) === 0) continue;
      if (actorId !== NONE && actor[i] !== actorId) continue;
      if (keyId !== NONE || keyName !== NONE) {
        const f = flags[i]!;
        const targetKey = (f & FLAG_TARGET_IS_KEY) !== 0;
        const actorKey = (f & FLAG_ACTOR_IS_KEY) !== 0;
        if (keyId !== NONE && !((targetKey && target[i] === keyId) || (actorKey && actor[i] === keyId))) continue;
        if (keyName !== NONE && !((targetKey && targetName[i] === keyName) || (actorKey && actorName[i] === keyName))) continue;
      }
      out.push(this.#base + i);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Count of matching entries (for tests and the benchmark). */
  countMatching(filter: CompiledFilter): number {
    let count = 0;
    let before: number | undefined;
    for (;;) {
      const batch = this.scan(filter, before, 65_536);
      count += batch.length;
      if (batch.length < 65_536) return count;
      before = batch.at(-1);
    }
  }

  #slot(ordinal: number): number | undefined {
    const i = ordinal - this.#base;
    return i >= this.#start && i < this.#end ? i : undefined;
  }

  #intern(value: string | null): number {
    if (value === null) return NONE;
    let id = this.#strings.get(value);
    if (id === undefined) {
      id = this.#strings.size;
      this.#strings.set(value, id);
      this.#stringList.push(value);
    }
    return id;
  }

  #grow(): void {
    const live = this.#end - this.#start;
    // Reclaim pruned space before growing when it is worth it.
    if (this.#start > 0 && live * 2 <= this.#capacity) {
      this.#compact();
      return;
    }
    this.#resize(this.#capacity * 2);
  }

  #compact(): void {
    this.#resize(Math.max(16, this.#capacity));
  }

  /** Copy live entries into fresh columns of `capacity` slots, starting at slot 0. */
  #resize(capacity: number): void {
    const from = this.#start;
    const to = this.#end;
    const move = <A extends Float64Array | Uint8Array | Int32Array | Uint32Array>(column: A, make: (n: number) => A): A => {
      const next = make(capacity);
      next.set(column.subarray(from, to) as never);
      return next;
    };
    this.#ts = move(this.#ts, (n) => new Float64Array(n));
    this.#maxTs = move(this.#maxTs, (n) => new Float64Array(n));
    this.#type = move(this.#type, (n) => new Uint8Array(n));
    this.#flags = move(this.#flags, (n) => new Uint8Array(n));
    this.#target = move(this.#target, (n) => new Int32Array(n));
    this.#targetName = move(this.#targetName, (n) => new Int32Array(n));
    this.#actor = move(this.#actor, (n) => new Int32Array(n));
    this.#actorName = move(this.#actorName, (n) => new Int32Array(n));
    this.#tag = move(this.#tag, (n) => new Uint32Array(n));
    this.#segment = move(this.#segment, (n) => new Int32Array(n));
    this.#offset = move(this.#offset, (n) => new Float64Array(n));
    this.#length = move(this.#length, (n) => new Uint32Array(n));
    this.#base += from;
    this.#start = 0;
    this.#end = to - from;
    this.#capacity = capacity;
  }
}
