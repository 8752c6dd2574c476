/**
 * Measurements for `npm run bench` (server/bench/ calls these; they return numbers and assert
 * nothing). Synthetic events are generated directly, fast, through the real index and, for the
 * on-disk variants, written as real segments with a valid hash chain and loaded by the real
 * {@link AuditLog}.
 */
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { segmentName } from '../storage/index.js';
import { ManualClock } from '../traffic/clock.js';
import { AuditLog, MemoryAuditLog } from './audit-log.js';
import { AUDIT_DIR } from './chain.js';
import { resolveFilters } from './filters.js';
import { sealEvent, ZERO_HASH } from './hash.js';
import { AUDIT_EVENT_TYPES, auditEventTypeCode, type AuditEvent, type AuditEventType, type AuditFilters } from './types.js';
import { WorkspaceIndex } from './workspace-index.js';

export const BENCH_WORKSPACE = 'ws_BenchBenchBenchBench00';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function fixed22(n: number, salt: number): string {
  let out = '';
  let x = n * 2654435761 + salt;
  for (let i = 0; i < 22; i += 1) {
    out += BASE62[x % 62];
    x = Math.floor(x / 62) + (i + 1) * 7919 + n;
  }
  return out;
}

export interface SyntheticOptions {
  keys?: number;
  members?: number;
  /** First event time, ms. Events are one second apart. */
  startMs?: number;
  workspaceId?: string;
}

/**
 * The i-th synthetic event (without id and hashes): mostly uses, some failed authentications and
 * rate-limited requests, a few key actions; `keys` keys and `members` members.
 */
export function syntheticEventContent(i: number, options: SyntheticOptions = {}): Omit<AuditEvent, 'id' | 'prev_hash' | 'hash'> {
  const keys = options.keys ?? 199;
  const members = options.members ?? 10;
  const key = i % keys;
  const keyId = `key_${fixed22(key, 1)}`;
  const keyName = `Service key ${key}`;
  const type = syntheticType(i);
  const occurred_at = new Date((options.startMs ?? Date.UTC(2026, 0, 1)) + i * 1000).toISOString();
  const base = {
    workspace_id: options.workspaceId ?? BENCH_WORKSPACE,
    type,
    occurred_at,
    ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    user_agent: 'bench-client/1.0 (+https://example.com)',
    method: 'POST',
    path: '/v1/keys/verify',
    request_id: `req_${fixed22(i, 3)}`,
    correlation_id: `cor_${fixed22(i, 4)}`,
  };
  if (type === 'api_key.failed_auth') {
    return { ...base, actor: { type: 'anonymous', id: null, name: null }, target: null, status: 401, details: { code: 'invalid_api_key' } };
  }
  if (type === 'api_key.used' || type === 'api_key.rate_limited') {
    const self = { type: 'api_key' as const, id: keyId, name: keyName };
    return { ...base, actor: self, target: self, status: type === 'api_key.used' ? 200 : 429, details: {} };
  }
  const member = i % members;
  return {
    ...base,
    actor: { type: 'member', id: `mem_${fixed22(member, 2)}`, name: `Member ${member}` },
    target: { type: 'api_key', id: keyId, name: keyName },
    status: 200,
    details: { scopes: ['metrics.read'] },
  };
}

/** The type of the i-th synthetic event (the same rule as {@link syntheticEventContent}). */
export function syntheticType(i: number): AuditEventType {
  const roll = i % 100;
  return roll < 90 ? 'api_key.used' : roll < 96 ? 'api_key.failed_auth' : roll < 99 ? 'api_key.rate_limited' : AUDIT_EVENT_TYPES[11 + (i % 7)]!;
}

/** Fill a {@link WorkspaceIndex} with `count` synthetic entries (no hashing, no I/O, no event objects). */
export function buildSyntheticIndex(count: number, options: SyntheticOptions = {}): WorkspaceIndex {
  const keys = options.keys ?? 199;
  const members = options.members ?? 10;
  const keyIds = Array.from({ length: keys }, (_, k) => `key_${fixed22(k, 1)}`);
  const keyNames = Array.from({ length: keys }, (_, k) => `Service key ${k}`);
  const memberIds = Array.from({ length: members }, (_, m) => `mem_${fixed22(m, 2)}`);
  const memberNames = Array.from({ length: members }, (_, m) => `Member ${m}`);
  const start = options.startMs ?? Date.UTC(2026, 0, 1);
  const index = new WorkspaceIndex(count);
  const location = { segment: 1, offset: 0, length: 1 };
  for (let i = 0; i < count; i += 1) {
    const type = syntheticType(i);
    const key = i % keys;
    const failed = type === 'api_key.failed_auth';
    const selfKey = type === 'api_key.used' || type === 'api_key.rate_limited';
    const member = i % members;
    location.offset = i;
    index.add(
      {
        occurredAtMs: start + i * 1000,
        typeCode: auditEventTypeCode(type)!,
        targetId: failed ? null : keyIds[key]!,
        targetName: failed ? null : keyNames[key]!,
        targetIsKey: !failed,
        actorId: failed ? null : selfKey ? keyIds[key]! : memberIds[member]!,
        actorName: failed ? null : selfKey ? keyNames[key]! : memberNames[member]!,
        actorIsKey: selfKey,
        tag: i,
      },
      location,
    );
  }
  return index;
}

/** The filters the benchmark runs (relative to synthetic data starting 2026-01-01, 1 event/s). */
export function benchFilters(options: SyntheticOptions = {}): Array<{ name: string; filters: AuditFilters }> {
  const keyId = `key_${fixed22(7, 1)}`;
  const start = options.startMs ?? Date.UTC(2026, 0, 1);
  return [
    { name: 'none', filters: {} },
    { name: 'event_type=failed_auth', filters: { event_type: ['api_key.failed_auth'] } },
    { name: 'key_id', filters: { key_id: keyId } },
    { name: 'key_name', filters: { key_name: 'Service key 7' } },
    { name: 'event_type=api_key.revoked (rare)', filters: { event_type: ['api_key.revoked'] } },
    { name: 'key_id + rate_limited', filters: { key_id: keyId, event_type: ['api_key.rate_limited'] } },
    { name: 'from/to (old window)', filters: { from: new Date(start + 3600_000).toISOString(), to: new Date(start + 7200_000).toISOString() } },
    { name: 'no match (unknown key)', filters: { key_id: 'key_0000000000000000000000' } },
  ];
}

export interface QueryTiming {
  name: string;
  /** Milliseconds for the first page (median of `repeat` runs). */
  ms: number;
  returned: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** First-page timings of the index scan alone, on `events` synthetic entries. */
export function benchAuditIndex(options: { events?: number; limit?: number; repeat?: number } = {}): {
  events: number;
  buildMs: number;
  indexBytes: number;
  queries: QueryTiming[];
} {
  const events = options.events ?? 1_000_000;
  const limit = options.limit ?? 20;
  const t0 = performance.now();
  const index = buildSyntheticIndex(events);
  const buildMs = performance.now() - t0;
  const now = Date.UTC(2026, 0, 1) + events * 1000;
  const queries = benchFilters().map(({ name, filters }) => {
    const runs: number[] = [];
    let returned = 0;
    for (let r = 0; r < (options.repeat ?? 5); r += 1) {
      const start = performance.now();
      returned = index.scan(index.compile(resolveFilters(filters, now)), undefined, limit + 1).length;
      runs.push(performance.now() - start);
    }
    return { name, ms: median(runs), returned: Math.min(returned, limit) };
  });
  return { events, buildMs, indexBytes: index.memoryBytes, queries };
}

/**
 * Write `events` synthetic events with a valid chain as real segments under
 * `<dataDir>/audit/<workspace>/` (what a long-running server would have left). ~5 s per million.
 */
export async function writeSyntheticAuditData(dataDir: string, events: number, options: SyntheticOptions & { segmentMaxBytes?: number } = {}): Promise<void> {
  const workspace = options.workspaceId ?? BENCH_WORKSPACE;
  const dir = path.join(dataDir, AUDIT_DIR, workspace);
  await mkdir(dir, { recursive: true });
  const maxBytes = options.segmentMaxBytes ?? 16 * 1024 * 1024;
  let prev = ZERO_HASH;
  let sequence = 0;
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  let size = 0;
  let pending: string[] = [];
  let pendingBytes = 0;
  const flushPending = async (): Promise<void> => {
    if (pending.length === 0 || !handle) return;
    await handle.write(pending.join(''));
    pending = [];
    pendingBytes = 0;
  };
  for (let i = 0; i < events; i += 1) {
    const content = syntheticEventContent(i, { ...options, workspaceId: workspace });
    const unsealed = { id: `evt_${fixed22(i, 5)}`, ...content, prev_hash: prev };
    const event = { ...unsealed, hash: sealEvent(unsealed).hash };
    prev = event.hash;
    const line = `${JSON.stringify(event)}\n`;
    const bytes = Buffer.byteLength(line);
    if (!handle || size + bytes > maxBytes) {
      await flushPending();
      await handle?.close();
      sequence += 1;
      handle = await open(path.join(dir, segmentName(sequence, new Date(Date.parse(content.occurred_at)))), 'wx', 0o600);
      size = 0;
    }
    pending.push(line);
    pendingBytes += bytes;
    size += bytes;
    if (pendingBytes > 1 << 20) await flushPending();
  }
  await flushPending();
  await handle?.close();
}

export interface AuditQueryBench {
  events: number;
  /** Writing the synthetic segments (not part of the product's cost). */
  generateMs: number;
  /**
   * The first open: no segment has a summary yet, so every event is read and parsed (and the
   * summaries are written, in the background, before that log closes).
   */
  firstLoadMs: number;
  /** Opening the log again, as a restarted server does: from the segments' summaries. */
  loadMs: number;
  indexBytes: number;
  /** First page through `AuditLog.list()` (index scan + reading the page from disk), on the reopened log. */
  queries: QueryTiming[];
}

/**
 * The benchmark: a filtered first page on `events` (default 1,000,000) events, through
 * the real file-backed log. Uses (and removes) a temp folder unless `dataDir` is given.
 */
export async function benchAuditQuery(options: { events?: number; limit?: number; repeat?: number; dataDir?: string; keep?: boolean } = {}): Promise<AuditQueryBench> {
  const events = options.events ?? 1_000_000;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'tessera-audit-bench-')));
  try {
    const g0 = performance.now();
    await writeSyntheticAuditData(dataDir, events);
    const generateMs = performance.now() - g0;
    const clock = new ManualClock(Date.UTC(2026, 0, 1) + events * 1000);
    const timedOpen = async (): Promise<{ log: AuditLog; ms: number }> => {
      const start = performance.now();
      const log = await AuditLog.open(dataDir, { clock, maintenanceIntervalMs: 0, pruneIntervalMs: 0 });
      return { log, ms: performance.now() - start };
    };
    const first = await timedOpen();
    await first.log.close();
    const { log, ms: loadMs } = await timedOpen();
    try {
      const queries: QueryTiming[] = [];
      for (const { name, filters } of benchFilters()) {
        const runs: number[] = [];
        let returned = 0;
        for (let r = 0; r < (options.repeat ?? 5); r += 1) {
          const start = performance.now();
          const page = await log.list(BENCH_WORKSPACE, filters, { limit: options.limit ?? 20 });
          runs.push(performance.now() - start);
          returned = page.data.length;
        }
        queries.push({ name, ms: median(runs), returned });
      }
      return { events, generateMs, firstLoadMs: first.ms, loadMs, indexBytes: log.stats().indexBytes, queries };
    } finally {
      await log.close();
    }
  } finally {
    if (!options.dataDir && !options.keep) await rm(dataDir, { recursive: true, force: true });
  }
}

export interface AuditExportBench {
  events: number;
  format: 'csv' | 'ndjson' | 'cef';
  bytes: number;
  ms: number;
  /** Peak RSS during the export minus RSS before it, in MB (sampled per chunk). */
  peakRssGrowthMb: number;
  /** Heap used at the peak minus before, in MB. */
  peakHeapGrowthMb: number;
}

/** A full export of `events` synthetic events, measuring time and peak memory growth. */
export async function benchAuditExport(options: { events?: number; format?: 'csv' | 'ndjson' | 'cef'; dataDir?: string } = {}): Promise<AuditExportBench> {
  const events = options.events ?? 1_000_000;
  const format = options.format ?? 'csv';
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'tessera-audit-export-bench-')));
  try {
    await writeSyntheticAuditData(dataDir, events);
    const log = await AuditLog.open(dataDir, { clock: new ManualClock(Date.UTC(2027, 0, 1)), maintenanceIntervalMs: 0, pruneIntervalMs: 0 });
    try {
      (globalThis as { gc?: () => void }).gc?.();
      const before = process.memoryUsage();
      let peakRss = before.rss;
      let peakHeap = before.heapUsed;
      let bytes = 0;
      let chunks = 0;
      const t0 = performance.now();
      const reader = log.exportStream(BENCH_WORKSPACE, {}, format).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        if ((chunks += 1) % 4 === 0) {
          const usage = process.memoryUsage();
          if (usage.rss > peakRss) peakRss = usage.rss;
          if (usage.heapUsed > peakHeap) peakHeap = usage.heapUsed;
        }
      }
      const ms = performance.now() - t0;
      return { events, format, bytes, ms, peakRssGrowthMb: (peakRss - before.rss) / 2 ** 20, peakHeapGrowthMb: (peakHeap - before.heapUsed) / 2 ** 20 };
    } finally {
      await log.close();
    }
  } finally {
    if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

/** Cost of `record()` on the hot path: events per second into a file-backed log (fsync every second). */
export async function benchAuditAppend(options: { events?: number; dataDir?: string } = {}): Promise<{ events: number; ms: number; perSecond: number; flushMs: number }> {
  const events = options.events ?? 200_000;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'tessera-audit-append-bench-')));
  const log = await AuditLog.open(dataDir, { maintenanceIntervalMs: 1000, pruneIntervalMs: 0 });
  try {
    const t0 = performance.now();
    for (let i = 0; i < events; i += 1) {
      const content = syntheticEventContent(i);
      log.record({ ...content, details: {} } as never);
      // Yield now and then, as a server does between requests, so the log can write.
      if (i % 1000 === 999) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const ms = performance.now() - t0;
    const f0 = performance.now();
    await log.flush();
    return { events, ms, perSecond: (events / ms) * 1000, flushMs: performance.now() - f0 };
  } finally {
    await log.close();
    if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

/** The in-memory log's cost per recorded event (redaction, hashing, index), without I/O. */
export function benchAuditRecordInMemory(events = 100_000): { events: number; ms: number; perSecond: number } {
  const log = new MemoryAuditLog();
  const t0 = performance.now();
  for (let i = 0; i < events; i += 1) log.record({ ...syntheticEventContent(i), details: {} } as never);
  const ms = performance.now() - t0;
  return { events, ms, perSecond: (events / ms) * 1000 };
}
