/**
 * The file format of a segment summary: the index entries of one complete segment, so that
 * opening the log loads them as a few typed arrays instead of parsing every event again.
 *
 * Layout: an 8-byte magic (format version and byte order), the header's length (uint32 LE), a
 * SHA-256 of everything after it, the header (JSON: what is summarized, and the strings; padded
 * with spaces to a multiple of 8 bytes), then the columns' raw bytes, one after another, widest
 * first, so that each starts aligned for its type. The columns are written in the machine's byte
 * order, which the magic names: a summary from a machine of the other order is not read (and is
 * rewritten). Decoding never throws: anything but an intact summary of this format is `undefined`.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import { AUDIT_EVENT_TYPES } from './types.js';
import type { IndexColumns } from './workspace-index.js';

const MAGIC = Buffer.from(`TAIX1${os.endianness()}\n`, 'latin1');
const HEADER_LENGTH_BYTES = 4;
const DIGEST_BYTES = 32;
const PREFIX_BYTES = MAGIC.length + HEADER_LENGTH_BYTES + DIGEST_BYTES;
/** The columns start at a multiple of this (the widest element, a float64). */
const COLUMN_ALIGNMENT = 8;

type ColumnName = Exclude<keyof IndexColumns, 'strings'>;
type ColumnArray = Float64Array | Uint32Array | Int32Array | Uint8Array;
type ColumnType = { new (buffer: ArrayBuffer, byteOffset: number, length: number): ColumnArray; readonly BYTES_PER_ELEMENT: number };

/** The body's columns, in file order. */
const COLUMNS: ReadonlyArray<readonly [ColumnName, ColumnType]> = [
  ['occurredAtMs', Float64Array],
  ['offset', Float64Array],
  ['tag', Uint32Array],
  ['length', Uint32Array],
  ['targetId', Int32Array],
  ['targetName', Int32Array],
  ['actorId', Int32Array],
  ['actorName', Int32Array],
  ['typeCode', Uint8Array],
  ['flags', Uint8Array],
];
const STRING_COLUMNS: readonly ColumnName[] = ['targetId', 'targetName', 'actorId', 'actorName'];
export const SUMMARY_BYTES_PER_ENTRY = COLUMNS.reduce((sum, [, type]) => sum + type.BYTES_PER_ELEMENT, 0);

export interface SegmentSummary {
  /** The summarized segment's file name. */
  segment: string;
  /** Its size when summarized: a summary describes exactly these bytes. */
  segmentBytes: number;
  /** The segment's last event, whose hash is the chain's head after the segment; null if it has none. */
  lastEvent: { id: string; hash: string } | null;
  /** What a full read of the segment reports: unparseable lines skipped, the bytes of a torn last line. */
  skippedLines: number;
  tornTailBytes: number;
  entries: IndexColumns;
}

interface Header extends Omit<SegmentSummary, 'entries'> {
  count: number;
  strings: string[];
}

export function encodeSegmentSummary(summary: SegmentSummary): Buffer {
  const { entries, ...described } = summary;
  const header: Header = { ...described, count: entries.occurredAtMs.length, strings: entries.strings };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  // Spaces after the JSON start the columns at a multiple of 8 bytes, so a reader can view them in place.
  const padding = (COLUMN_ALIGNMENT - ((PREFIX_BYTES + json.length) % COLUMN_ALIGNMENT)) % COLUMN_ALIGNMENT;
  const parts: Buffer[] = [Buffer.concat([json, Buffer.alloc(padding, ' ')])];
  for (const [name] of COLUMNS) {
    const column = entries[name];
    parts.push(Buffer.from(column.buffer, column.byteOffset, column.byteLength));
  }
  const digest = createHash('sha256');
  for (const part of parts) digest.update(part);
  const headerLength = Buffer.alloc(HEADER_LENGTH_BYTES);
  headerLength.writeUInt32LE(parts[0]!.length);
  return Buffer.concat([MAGIC, headerLength, digest.digest(), ...parts]);
}

export function decodeSegmentSummary(bytes: Buffer): SegmentSummary | undefined {
  if (bytes.length < PREFIX_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const digest = bytes.subarray(MAGIC.length + HEADER_LENGTH_BYTES, PREFIX_BYTES);
  if (!createHash('sha256').update(bytes.subarray(PREFIX_BYTES)).digest().equals(digest)) return undefined;
  const headerEnd = PREFIX_BYTES + bytes.readUInt32LE(MAGIC.length);
  let header: unknown;
  try {
    header = JSON.parse(bytes.toString('utf8', PREFIX_BYTES, headerEnd));
  } catch {
    return undefined;
  }
  if (!isHeader(header) || bytes.length - headerEnd !== header.count * SUMMARY_BYTES_PER_ENTRY) return undefined;
  const { count, strings, ...described } = header;
  let body = bytes.subarray(headerEnd);
  // Typed arrays need aligned memory; a file read whole starts aligned, a slice of a buffer may not.
  if (body.byteOffset % COLUMN_ALIGNMENT !== 0) body = Buffer.from(body);
  const columns: Partial<Record<ColumnName, ColumnArray>> = {};
  let at = body.byteOffset;
  for (const [name, type] of COLUMNS) {
    columns[name] = new type(body.buffer as ArrayBuffer, at, count);
    at += count * type.BYTES_PER_ELEMENT;
  }
  const entries = { strings, ...columns } as IndexColumns;
  return entriesAreWellFormed(entries, header.segmentBytes) ? { ...described, entries } : undefined;
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isHeader(value: unknown): value is Header {
  if (typeof value !== 'object' || value === null) return false;
  const h = value as Record<string, unknown>;
  const last = h.lastEvent as Record<string, unknown> | null | undefined;
  return (
    typeof h.segment === 'string' &&
    isCount(h.segmentBytes) &&
    isCount(h.skippedLines) &&
    isCount(h.tornTailBytes) &&
    isCount(h.count) &&
    Array.isArray(h.strings) &&
    h.strings.every((item) => typeof item === 'string') &&
    (last === null || (typeof last === 'object' && last !== undefined && typeof last.id === 'string' && typeof last.hash === 'string')) &&
    (last === null) === (h.count === 0)
  );
}

/** Every string reference and type code exists, and every line lies inside the segment. */
function entriesAreWellFormed(entries: IndexColumns, segmentBytes: number): boolean {
  const stringCount = entries.strings.length;
  for (const name of STRING_COLUMNS) {
    const refs = entries[name];
    for (let i = 0; i < refs.length; i += 1) if (refs[i]! < -1 || refs[i]! >= stringCount) return false;
  }
  const { typeCode, offset, length } = entries;
  for (let i = 0; i < offset.length; i += 1) {
    const start = offset[i]!;
    if (typeCode[i]! >= AUDIT_EVENT_TYPES.length || !Number.isSafeInteger(start) || start < 0 || start + length[i]! > segmentBytes) return false;
  }
  return true;
}
