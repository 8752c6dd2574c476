import { appendFile, cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppendLog } from '../storage/append-log.js';
import { useTempDir } from '../storage/test-support.js';
import { ManualClock } from '../traffic/clock.js';
import { AuditLog } from './audit-log.js';
import { CHAIN_STATE_FILE } from './chain.js';
import { KEY_A, KEY_B, MEMBER, listAll, sampleEvent, WS, WS2 } from './test-support.js';
import { AUDIT_EVENT_TYPES, type AuditEvent, type AuditEventInput, type AuditFilters } from './types.js';
import type { WorkspaceIndex } from './workspace-index.js';

const tempDir = useTempDir('tessera-audit-summaries-');
const opened: AuditLog[] = [];
afterEach(async () => {
  for (const log of opened.splice(0)) await log.close().catch(() => undefined);
});

const START = Date.UTC(2026, 2, 19, 12);
const DAY = 86_400_000;
const WS3 = 'ws_3Cc3Cc3Cc3Cc3Cc3Cc3Cc3';

async function openLog(dataDir = tempDir(), extra: Parameters<typeof AuditLog.open>[1] = {}): Promise<AuditLog> {
  const log = await AuditLog.open(dataDir, { clock: new ManualClock(START), maintenanceIntervalMs: 0, pruneIntervalMs: 0, fsyncIntervalMs: 0, segmentMaxBytes: 4096, summaryMinBytes: 0, ...extra });
  opened.push(log);
  return log;
}

async function closeLog(log: AuditLog): Promise<void> {
  opened.splice(opened.indexOf(log), 1);
  await log.close();
}

function workspaceDir(ws = WS, dataDir = tempDir()): string {
  return path.join(dataDir, 'audit', ws);
}

async function filesOf(ws = WS, dataDir = tempDir()): Promise<{ segments: string[]; summaries: string[] }> {
  const names = (await readdir(workspaceDir(ws, dataDir))).sort();
  return { segments: names.filter((name) => name.endsWith('.ndjson')), summaries: names.filter((name) => name.endsWith('.ndjson.idx')) };
}

/** A log with `count` events in WS across several segments, closed (so every segment is summarized). */
async function writtenLog(count = 40): Promise<string[]> {
  const log = await openLog();
  for (let i = 0; i < count; i += 1) log.record(sampleEvent({ occurred_at: new Date(START + i * 1000).toISOString(), details: { i } }));
  await closeLog(log);
  return (await all(await openLog())).map((event) => event.id);
}

async function all(log: AuditLog, ws = WS, filters: AuditFilters = {}): Promise<AuditEvent[]> {
  return listAll(log, ws, filters, 7);
}

interface WorkspaceInternals {
  index: WorkspaceIndex;
  headHash: string;
  headId: string | null;
}

/** The log's own per-workspace state, to compare indexes exactly. */
function internals(log: AuditLog, ws: string): WorkspaceInternals {
  return (log as unknown as { workspaces: Map<string, WorkspaceInternals> }).workspaces.get(ws)!;
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function randomEvent(rand: () => number, i: number): AuditEventInput {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const type = pick(AUDIT_EVENT_TYPES);
  const key = pick([KEY_A, KEY_B, `key_${String(Math.floor(rand() * 30)).padStart(22, '0')}`]);
  const actor = pick([
    { type: 'api_key' as const, id: key, name: `Key ${key.slice(-2)}` },
    { type: 'member' as const, id: MEMBER, name: 'Ada' },
    { type: 'anonymous' as const, id: null, name: null },
  ]);
  const target = rand() < 0.2 ? null : { type: 'api_key' as const, id: pick([KEY_A, key]), name: rand() < 0.3 ? null : `Target ${Math.floor(rand() * 5)}` };
  return sampleEvent({
    workspace_id: pick([WS, WS, WS2, WS3]),
    type,
    occurred_at: new Date(START + i * 1000 + Math.floor(rand() * 5000) - 2500).toISOString(), // not always in order
    actor,
    target,
    details: { i, pad: 'x'.repeat(Math.floor(rand() * 400)) },
  });
}

/** Insert a line that is not an event at a line boundary of a random segment of `ws`. */
async function insertGarbage(rand: () => number, ws: string): Promise<void> {
  const { segments } = await filesOf(ws);
  const file = path.join(workspaceDir(ws), segments[Math.floor(rand() * segments.length)]!);
  const lines = (await readFile(file, 'utf8')).split('\n').slice(0, -1);
  lines.splice(Math.floor(rand() * (lines.length + 1)), 0, rand() < 0.5 ? 'not json' : '{"id":"evt_notanevent"}');
  await writeFile(file, lines.map((line) => `${line}\n`).join(''));
}

const FILTERS: AuditFilters[] = [{}, { key_id: KEY_A }, { key_name: 'Target 2' }, { actor_id: MEMBER }, { event_type: ['api_key.used', 'member.created'] }, { from: new Date(START + 30_000).toISOString(), to: new Date(START + 90_000).toISOString() }];

/** Everything a reader can observe of a loaded log, and its index exactly. */
async function observe(log: AuditLog, ws: string) {
  const state = internals(log, ws);
  const segments = (await filesOf(ws)).segments.map((name) => Number(name.slice(0, 6)));
  const { summarizedSegments: _s, readSegments: _r, ...report } = log.loadReport;
  return {
    report,
    head: [state.headHash, state.headId],
    ordinals: [state.index.firstOrdinal, state.index.nextOrdinal],
    columns: segments.map((segment) => state.index.segmentColumns(segment)),
    lists: await Promise.all(FILTERS.map(async (filters) => (await all(log, ws, filters)).map((event) => event.id))),
    stats: log.stats(),
  };
}

describe('audit log segment summaries', () => {
  it('opens from the summaries without reading the events', async () => {
    const ids = await writtenLog();
    const { segments, summaries } = await filesOf();
    expect(segments.length).toBeGreaterThan(3);
    expect(summaries).toEqual(segments.map((name) => `${name}.idx`));
    for (const log of opened.splice(0)) await log.close();

    // Damage an event in the middle of the first segment, keeping its size: only a log that
    // parses the line can notice.
    const first = path.join(workspaceDir(), segments[0]!);
    const text = await readFile(first, 'utf8');
    await writeFile(first, text.replace('"type":"api_key.used"', '"type":"api_key.usedXX'.slice(0, '"type":"api_key.used"'.length)));
    const summarized = await openLog();
    expect(summarized.loadReport).toEqual({ events: 40, skippedLines: 0, tornTails: 0, workspaces: 1, summarizedSegments: segments.length, readSegments: 0 });
    expect((await summarized.list(WS, {}, { limit: 3 })).data.map((event) => event.id)).toEqual(ids.slice(0, 3));

    for (const name of summaries) await rm(path.join(workspaceDir(), name));
    const read = await openLog();
    expect(read.loadReport).toEqual({ events: 39, skippedLines: 1, tornTails: 0, workspaces: 1, summarizedSegments: 0, readSegments: segments.length });
  });

  it('loads exactly what a full read loads: index, head, ordinals, cursors, queries (randomized)', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const rand = random(seed);
      await rm(path.join(tempDir(), 'audit'), { recursive: true, force: true });
      let i = 0;
      for (let run = 0; run < 4; run += 1) {
        const log = await openLog(tempDir(), { segmentMaxBytes: 1500 + Math.floor(rand() * 6000) });
        const events = 20 + Math.floor(rand() * 60);
        for (let n = 0; n < events; n += 1, i += 1) {
          log.record(randomEvent(rand, i));
          if (rand() < 0.1) await log.flush();
        }
        await closeLog(log);
        // Between runs, what a full read must skip: lines that are not events, a tail torn by a crash.
        if (run < 3 && rand() < 0.7) await insertGarbage(rand, WS);
        if (run < 3 && rand() < 0.5) {
          const { segments } = await filesOf(WS2);
          await appendFile(path.join(workspaceDir(WS2), segments.at(-1)!), '{"id":"evt_torn');
        }
      }
      // Opening once rewrites the summaries of the damaged segments; closing waits for them.
      await closeLog(await openLog());
      const fullRead = path.join(tempDir(), `full-read-${seed}`);
      await cp(path.join(tempDir(), 'audit'), path.join(fullRead, 'audit'), { recursive: true });
      for (const ws of [WS, WS2, WS3]) for (const name of (await filesOf(ws, fullRead)).summaries) await rm(path.join(workspaceDir(ws, fullRead), name));

      const summarized = await openLog();
      const read = await openLog(fullRead);
      const segmentCount = (await Promise.all([WS, WS2, WS3].map(async (ws) => (await filesOf(ws)).segments.length))).reduce((a, b) => a + b);
      expect(summarized.loadReport).toMatchObject({ summarizedSegments: segmentCount, readSegments: 0 });
      expect(read.loadReport).toMatchObject({ summarizedSegments: 0, readSegments: segmentCount });
      expect(read.loadReport.events).toBeGreaterThan(100);
      for (const ws of [WS, WS2, WS3]) expect(await observe(summarized, ws), `seed ${seed}, ${ws}`).toEqual(await observe(read, ws));
      for (const ws of [WS, WS2, WS3]) {
        // A cursor of one is a cursor of the other.
        const page = await summarized.list(ws, { key_id: KEY_A }, { limit: 3 });
        expect(await read.list(ws, { key_id: KEY_A }, { cursor: page.next_cursor!, limit: 5 })).toEqual(await summarized.list(ws, { key_id: KEY_A }, { cursor: page.next_cursor!, limit: 5 }));
        // The chain continues from the same head.
        const next = sampleEvent({ workspace_id: ws });
        summarized.record(next);
        read.record(next);
        expect((await summarized.list(ws, {}, { limit: 1 })).data[0]!.prev_hash).toBe((await read.list(ws, {}, { limit: 1 })).data[0]!.prev_hash);
      }
      await closeLog(summarized);
      await closeLog(read);
    }
  });

  it('ignores a damaged, cut-short, emptied or foreign summary, reads the segment, and writes the summary again', async () => {
    const ids = await writtenLog();
    for (const log of opened.splice(0)) await log.close();
    const { segments, summaries } = await filesOf();
    const summaryPath = (k: number) => path.join(workspaceDir(), summaries[k]!);
    const flipped = await readFile(summaryPath(0));
    flipped[flipped.length - 5] = flipped[flipped.length - 5]! ^ 1;
    await writeFile(summaryPath(0), flipped);
    await writeFile(summaryPath(1), (await readFile(summaryPath(1))).subarray(0, 100));
    await writeFile(summaryPath(2), '');
    await writeFile(summaryPath(3), await readFile(summaryPath(segments.length - 1))); // another segment's

    const log = await openLog();
    expect(log.loadReport).toMatchObject({ events: 40, summarizedSegments: segments.length - 4, readSegments: 4 });
    expect((await all(log)).map((event) => event.id)).toEqual(ids);
    await closeLog(log);
    expect((await openLog()).loadReport).toMatchObject({ summarizedSegments: segments.length, readSegments: 0 });
  });

  it('reads again a segment that grew after it was summarized', async () => {
    await writtenLog();
    for (const log of opened.splice(0)) await log.close();
    const { segments } = await filesOf();
    const last = path.join(workspaceDir(), segments.at(-1)!);
    const lines = (await readFile(last, 'utf8')).split('\n').filter(Boolean);
    const extra = { ...(JSON.parse(lines.at(-1)!) as AuditEvent), id: 'evt_AppendedAppendedAppend', details: { i: 40 } };
    await appendFile(last, `${JSON.stringify(extra)}\n`);

    const log = await openLog();
    expect(log.loadReport).toMatchObject({ events: 41, summarizedSegments: segments.length - 1, readSegments: 1 });
    expect((await log.list(WS, {}, { limit: 1 })).data[0]).toEqual(extra);
    log.record(sampleEvent());
    expect((await log.list(WS, {}, { limit: 1 })).data[0]!.prev_hash).toBe(extra.hash);
  });

  it('is harmless to crash between finishing a segment and writing its summary', async () => {
    const ids = await writtenLog();
    for (const log of opened.splice(0)) await log.close();
    const { segments, summaries } = await filesOf();
    await rm(path.join(workspaceDir(), summaries[1]!));
    const leftover = `.${summaries[1]}.4242.0123456789ab.tmp`;
    await writeFile(path.join(workspaceDir(), leftover), 'the start of a summary');

    const log = await openLog();
    expect(log.loadReport).toMatchObject({ events: 40, summarizedSegments: segments.length - 1, readSegments: 1 });
    expect((await all(log)).map((event) => event.id)).toEqual(ids);
    await closeLog(log);
    expect(await filesOf()).toEqual({ segments, summaries });
    expect(await readdir(workspaceDir())).not.toContain(leftover);
  });

  it('fails to open on a segment it cannot read, without waiting for summaries that will never be written', async () => {
    await writtenLog();
    for (const log of opened.splice(0)) await log.close();
    const { segments } = await filesOf();
    await rm(path.join(workspaceDir(), `${segments[0]}.idx`));
    await rm(path.join(workspaceDir(), segments[1]!));
    await mkdir(path.join(workspaceDir(), segments[1]!)); // listed as a segment, unreadable as one
    await expect(AuditLog.open(tempDir(), { maintenanceIntervalMs: 0, pruneIntervalMs: 0 })).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('reports a summary it cannot write and keeps going; the next open reads that segment', async () => {
    const errors: Error[] = [];
    const log = await openLog(tempDir(), { onError: (error) => errors.push(error) });
    log.record(sampleEvent());
    await log.flush();
    const { segments } = await filesOf();
    await mkdir(path.join(workspaceDir(), `${segments[0]}.idx`)); // in the way of the summary
    log.record(sampleEvent());
    await closeLog(log);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/idx/);

    const reopened = await openLog();
    expect(reopened.loadReport).toMatchObject({ events: 2, summarizedSegments: 0, readSegments: 1 });
  });

  it('writes no summary once the log has failed (its index may not match what was written)', async () => {
    const errors: Error[] = [];
    const log = await openLog(tempDir(), { onError: (error) => errors.push(error) });
    const realAppend = AppendLog.prototype.appendJson;
    // A writer that stores another line than the one recorded: the log notices and stops.
    AppendLog.prototype.appendJson = function (this: AppendLog, line: string) {
      realAppend.call(this, line.replace('"id":"evt_', '"id":"evt_X'));
    };
    try {
      log.record(sampleEvent());
      await expect(log.flush()).rejects.toThrow(/not the next recorded event/);
    } finally {
      AppendLog.prototype.appendJson = realAppend;
    }
    await closeLog(log);
    expect(errors.map((error) => error.name)).toEqual(['AuditLogFailedError']);
    expect(await filesOf()).toMatchObject({ summaries: [] });
  });

  it('retention removes the summaries with their segments, the newest one too', async () => {
    const clock = new ManualClock(START);
    const log = await openLog(tempDir(), { clock, segmentMaxAgeMs: DAY, retentionDays: () => 30 });
    for (const day of [0, 10, 40]) {
      clock.set(START + day * DAY);
      await log.maintain();
      for (let i = 0; i < 3; i += 1) log.record(sampleEvent({ occurred_at: new Date(clock.now()).toISOString(), details: { day } }));
      await log.flush();
    }
    await closeLog(log);
    const before = await filesOf();
    expect(before.summaries).toHaveLength(3);

    const reopened = await openLog(tempDir(), { clock, retentionDays: () => 30 });
    clock.set(START + 45 * DAY);
    await reopened.prune();
    expect(await filesOf()).toEqual({ segments: before.segments.slice(2), summaries: before.summaries.slice(2) });

    clock.set(START + 100 * DAY);
    reopened.record(sampleEvent({ occurred_at: new Date(START + 41 * DAY).toISOString() })); // lands in a new segment
    await reopened.flush();
    await reopened.prune(); // everything goes: the open segment is closed, summarized, and removed
    expect(await filesOf()).toEqual({ segments: [], summaries: [] });
  });

  it('summarizes a segment retention kept whole, its events older than the cutoff included', async () => {
    const clock = new ManualClock(START);
    const log = await openLog(tempDir(), { clock, segmentMaxAgeMs: DAY, retentionDays: () => 30 });
    const recordAt = (day: number) => log.record(sampleEvent({ occurred_at: new Date(START + day * DAY).toISOString(), details: { day } }));
    recordAt(0);
    await log.flush();
    clock.set(START + 10 * DAY);
    await log.maintain(); // the first segment is complete
    recordAt(0); // a late event, in the second segment with recent ones
    recordAt(40);
    await log.flush();
    clock.set(START + 45 * DAY);
    expect((await log.prune()).workspaces[0]).toMatchObject({ removed_segments: [expect.any(String)], removed_events: 1 });
    expect(log.count(WS)).toBe(2);
    await closeLog(log);
    const { segments } = await filesOf();
    expect(segments).toHaveLength(1);
    expect(await filesOf()).toEqual({ segments, summaries: [`${segments[0]}.idx`] });

    const reopened = await openLog(tempDir(), { clock });
    expect(reopened.loadReport).toMatchObject({ events: 2, summarizedSegments: 1, readSegments: 0 });
    expect(reopened.count(WS)).toBe(2);
  });

  it('leaves segments smaller than summaryMinBytes unsummarized, and reads them at open', async () => {
    const log = await openLog(tempDir(), { summaryMinBytes: 1024 });
    log.record(sampleEvent({ occurred_at: new Date(START).toISOString() })); // one event: under 1 KiB
    await closeLog(log);
    const small = await filesOf();
    expect(small.segments).toHaveLength(1);
    expect(small.summaries).toEqual([]);
    const reopened = await openLog(tempDir(), { summaryMinBytes: 1024 });
    expect(reopened.loadReport).toMatchObject({ events: 1, readSegments: 1, summarizedSegments: 0 });
    for (let i = 0; i < 3; i += 1) reopened.record(sampleEvent({ occurred_at: new Date(START + i).toISOString() }));
    await closeLog(reopened); // the new segment holds three events: over 1 KiB
    expect((await filesOf()).summaries).toHaveLength(1);
  });

  it('finishes an interrupted prune at open, summaries included', async () => {
    await writtenLog();
    for (const log of opened.splice(0)) await log.close();
    const { segments, summaries } = await filesOf();
    const chainFile = path.join(tempDir(), 'audit', CHAIN_STATE_FILE);
    const chain = JSON.parse(await readFile(chainFile, 'utf8')) as { workspaces: Record<string, { pruning: string[] }> };
    chain.workspaces[WS]!.pruning = segments.slice(0, 2);
    await writeFile(chainFile, JSON.stringify(chain));

    const log = await openLog();
    expect(log.loadReport).toMatchObject({ summarizedSegments: segments.length - 2, readSegments: 0 });
    expect(await filesOf()).toEqual({ segments: segments.slice(2), summaries: summaries.slice(2) });
  });
});
