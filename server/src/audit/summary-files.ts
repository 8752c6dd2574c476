/**
 * Segment summaries on disk: `<segment>.idx` beside each complete segment. A summary is a cache:
 * it is used only while it matches its segment (same name and size, and the segment's line where
 * the summary puts the last event holds that event), and anything else reads the segment itself.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { removeLeftoverTempFiles, writeFileDurably, type SegmentInfo } from '../storage/index.js';
import { readRange } from './segment-lines.js';
import { decodeSegmentSummary, encodeSegmentSummary, type SegmentSummary } from './segment-summary.js';

const SUMMARY_SUFFIX = '.idx';

export function summaryPathOf(segmentPath: string): string {
  return `${segmentPath}${SUMMARY_SUFFIX}`;
}

/** The id and hash of the event stored at `offset` (its line's bytes), if it is one. */
async function eventIdentityAt(segmentPath: string, offset: number, length: number): Promise<{ id: string; hash: string } | undefined> {
  const bytes = await readRange(segmentPath, offset, length);
  if (!bytes) return undefined;
  try {
    const event = JSON.parse(bytes.toString('utf8')) as { id?: unknown; hash?: unknown } | null;
    return typeof event?.id === 'string' && typeof event.hash === 'string' ? { id: event.id, hash: event.hash } : undefined;
  } catch {
    return undefined;
  }
}

function lastLocation(summary: Pick<SegmentSummary, 'entries'>): { offset: number; length: number } | undefined {
  const last = summary.entries.offset.length - 1;
  return last < 0 ? undefined : { offset: summary.entries.offset[last]!, length: summary.entries.length[last]! };
}

/**
 * The summary of `segment` when there is one that matches the segment on disk; `undefined` when
 * it is missing, unreadable, damaged, of another format or stale. Never throws.
 */
export async function readSegmentSummary(segment: SegmentInfo): Promise<SegmentSummary | undefined> {
  try {
    const summary = decodeSegmentSummary(await readFile(summaryPathOf(segment.path)));
    if (!summary || summary.segment !== segment.name) return undefined;
    if ((await stat(segment.path)).size !== summary.segmentBytes) return undefined;
    const last = lastLocation(summary);
    if (last) {
      const found = await eventIdentityAt(segment.path, last.offset, last.length);
      if (found?.id !== summary.lastEvent?.id || found?.hash !== summary.lastEvent?.hash) return undefined;
    }
    return summary;
  } catch {
    return undefined;
  }
}

/**
 * {@link readSegmentSummary} of each segment, in order, reading up to `ahead` of them while the
 * caller handles the current one, so the disk works while the index fills.
 */
export async function* readSegmentSummaries(
  segments: readonly SegmentInfo[],
  ahead = 4,
): AsyncGenerator<{ segment: SegmentInfo; summary: SegmentSummary | undefined }, void, undefined> {
  const reading: Array<Promise<SegmentSummary | undefined>> = [];
  let next = 0;
  for (const segment of segments) {
    while (next < segments.length && reading.length < ahead) reading.push(readSegmentSummary(segments[next++]!));
    yield { segment, summary: await reading.shift()! };
  }
}

/**
 * Write the summary of a complete segment (atomically, replacing any older one). `entries` are the
 * segment's index entries; the last event's id and hash are read back from the segment itself.
 */
export async function writeSegmentSummary(segmentPath: string, summary: Omit<SegmentSummary, 'segment' | 'lastEvent'>): Promise<void> {
  const last = lastLocation(summary);
  const lastEvent = last ? await eventIdentityAt(segmentPath, last.offset, last.length) : null;
  if (lastEvent === undefined) throw new Error(`Cannot summarize the audit segment ${segmentPath}: its last indexed line is not an event.`);
  const summaryPath = summaryPathOf(segmentPath);
  // An earlier attempt may have been cut short by a crash, leaving its temp file.
  await removeLeftoverTempFiles(summaryPath);
  await writeFileDurably(summaryPath, encodeSegmentSummary({ segment: path.basename(segmentPath), lastEvent, ...summary }));
}

export async function removeSegmentSummary(segmentPath: string): Promise<void> {
  await rm(summaryPathOf(segmentPath), { force: true });
}
