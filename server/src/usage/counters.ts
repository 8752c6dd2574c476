/**
 * Usage counters: requests by outcome per workspace and per key, per UTC hour, fed by the same
 * events as the audit log (an {@link EventSink}) and never recomputed from it.
 *
 * - Counted: `api_key.used` -> used, `api_key.failed_auth` -> failed_auth,
 *   `api_key.rate_limited` -> rate_limited; each also counts once in `by_status` under the
 *   event's HTTP status. The HTTP layer records exactly one of them per request outcome.
 * - Per key: the event's target when it is an API key, else its actor when that is one (a failed
 *   authentication with an unknown key counts for the workspace only).
 * - The hour is the event's `occurred_at`.
 * - Kept in memory and checkpointed (`<dataDir>/usage.json`, via the storage {@link Checkpoint})
 *   every `checkpointIntervalMs` and on close: a crash loses at most one interval of counts.
 *   Hours older than `retentionDays` are dropped.
 */
import path from 'node:path';
import type { components } from '@tessera/spec';
import { Checkpoint } from '../storage/index.js';
import { systemClock, type Clock } from '../traffic/clock.js';
import type { AuditEventInput, EventSink } from '../audit/types.js';
import { HOUR_MS, isoSeconds, resolveUsageRange, type Granularity } from './time-range.js';

export type UsageMetrics = components['schemas']['UsageMetrics'];
export type OutcomeCounts = components['schemas']['OutcomeCounts'];

export const USAGE_FILE = 'usage.json';

/** [used, failed_auth, rate_limited, by_status] for one hour. */
type HourCounts = [number, number, number, Record<string, number>];
type Series = Map<number, HourCounts>;

interface WorkspaceUsage {
  total: Series;
  keys: Map<string, Series>;
}

export type UsageState = Map<string, WorkspaceUsage>;

interface EncodedState {
  version: 1;
  workspaces: Record<string, { total: Array<[number, ...HourCounts]>; keys: Record<string, Array<[number, ...HourCounts]>> }>;
}

function encodeSeries(series: Series): Array<[number, ...HourCounts]> {
  return [...series].map(([hour, c]) => [hour, c[0], c[1], c[2], c[3]]);
}

function decodeSeries(rows: unknown): Series {
  if (!Array.isArray(rows)) throw new Error('expected an array of hour rows');
  const series: Series = new Map();
  for (const row of rows as unknown[]) {
    if (!Array.isArray(row) || row.length !== 5 || !row.slice(0, 4).every((n) => Number.isInteger(n)) || typeof row[4] !== 'object' || row[4] === null) {
      throw new Error('expected [hour, used, failed_auth, rate_limited, by_status] rows');
    }
    series.set(row[0] as number, [row[1] as number, row[2] as number, row[3] as number, { ...(row[4] as Record<string, number>) }]);
  }
  return series;
}

export function encodeUsageState(state: UsageState): EncodedState {
  const workspaces: EncodedState['workspaces'] = {};
  for (const [id, usage] of state) {
    const keys: Record<string, Array<[number, ...HourCounts]>> = {};
    for (const [key, series] of usage.keys) keys[key] = encodeSeries(series);
    workspaces[id] = { total: encodeSeries(usage.total), keys };
  }
  return { version: 1, workspaces };
}

export function decodeUsageState(value: unknown): UsageState {
  const v = value as Partial<EncodedState>;
  if (typeof v !== 'object' || v === null || v.version !== 1 || typeof v.workspaces !== 'object' || v.workspaces === null) throw new Error('expected { version: 1, workspaces }');
  const state: UsageState = new Map();
  for (const [id, raw] of Object.entries(v.workspaces)) {
    const keys = new Map<string, Series>();
    for (const [key, rows] of Object.entries(raw.keys ?? {})) keys.set(key, decodeSeries(rows));
    state.set(id, { total: decodeSeries(raw.total), keys });
  }
  return state;
}

export interface UsageCountersOptions {
  clock?: Clock;
  /** Default 5000 ms. */
  checkpointIntervalMs?: number;
  /** Hours older than this many days are dropped. Default 400. */
  retentionDays?: number;
  /** Most buckets one query may return (422 beyond). Default 2000. */
  maxBuckets?: number;
  onError?: (error: Error) => void;
}

export interface UsageQuery {
  start: string;
  end: string;
  granularity?: Granularity;
  key_id?: string | null;
}

const COUNTED = { 'api_key.used': 0, 'api_key.failed_auth': 1, 'api_key.rate_limited': 2 } as const;

export class UsageCounters implements EventSink {
  readonly #state: UsageState;
  readonly #checkpoint: Checkpoint<UsageState> | undefined;
  readonly #clock: Clock;
  readonly #retentionHours: number;
  readonly #maxBuckets: number;
  #lastPruneHour = 0;

  /** In memory (tests, mocks). Use {@link UsageCounters.open} for the checkpointed variant. */
  constructor(options: UsageCountersOptions = {}, checkpoint?: Checkpoint<UsageState>) {
    this.#checkpoint = checkpoint;
    this.#state = checkpoint?.state ?? new Map();
    this.#clock = options.clock ?? systemClock;
    this.#retentionHours = (options.retentionDays ?? 400) * 24;
    this.#maxBuckets = options.maxBuckets ?? 2000;
  }

  /** Load `<dataDir>/usage.json` (a corrupt file stops the start) and checkpoint to it periodically. */
  static async open(dataDir: string, options: UsageCountersOptions = {}): Promise<UsageCounters> {
    const checkpoint = await Checkpoint.open<UsageState>(path.join(dataDir, USAGE_FILE), {
      intervalMs: options.checkpointIntervalMs ?? 5000,
      initial: () => new Map(),
      encode: encodeUsageState,
      decode: decodeUsageState,
      onSaveError: (error) => options.onError?.(error instanceof Error ? error : new Error(String(error))),
    });
    return new UsageCounters(options, checkpoint);
  }

  record(event: AuditEventInput): void {
    const slot = COUNTED[event.type as keyof typeof COUNTED];
    if (slot === undefined) return;
    const at = Date.parse(event.occurred_at);
    if (Number.isNaN(at)) return;
    const hour = Math.floor(at / HOUR_MS);
    let usage = this.#state.get(event.workspace_id);
    if (!usage) {
      usage = { total: new Map(), keys: new Map() };
      this.#state.set(event.workspace_id, usage);
    }
    const status = Number.isInteger(event.status) ? String(event.status) : undefined;
    bump(usage.total, hour, slot, status);
    const keyId = event.target?.type === 'api_key' ? event.target.id : event.actor?.type === 'api_key' ? event.actor.id : null;
    if (keyId) {
      let series = usage.keys.get(keyId);
      if (!series) {
        series = new Map();
        usage.keys.set(keyId, series);
      }
      bump(series, hour, slot, status);
    }
    this.#checkpoint?.markChanged();
    const nowMs = this.#clock.now();
    if (nowMs >= (this.#lastPruneHour + 24) * HOUR_MS) this.prune(nowMs);
  }

  /** The UsageMetrics body: every bucket of the (aligned) range, zero-filled, and the totals. */
  query(workspaceId: string, query: UsageQuery): UsageMetrics {
    const range = resolveUsageRange(query, this.#maxBuckets);
    const usage = this.#state.get(workspaceId);
    const keyId = query.key_id ?? null;
    const series = keyId === null ? usage?.total : usage?.keys.get(keyId);
    const totals = zero();
    const out: UsageMetrics['series'] = [];
    const hoursPerBucket = range.bucketMs / HOUR_MS;
    for (let b = 0; b < range.buckets; b += 1) {
      const bucketStart = range.startMs + b * range.bucketMs;
      const counts = zero();
      if (series && series.size > 0) {
        const firstHour = bucketStart / HOUR_MS;
        for (let h = firstHour; h < firstHour + hoursPerBucket; h += 1) {
          const c = series.get(h);
          if (c) add(counts, c);
        }
      }
      addCounts(totals, counts);
      out.push({ start: isoSeconds(bucketStart), ...counts });
    }
    return { workspace_id: workspaceId, key_id: keyId, start: isoSeconds(range.startMs), end: isoSeconds(range.endMs), granularity: range.granularity, series: out, totals };
  }

  /** Drop hours older than the retention (runs by itself about daily). */
  prune(now: number = this.#clock.now()): void {
    const oldest = Math.floor(now / HOUR_MS) - this.#retentionHours;
    this.#lastPruneHour = Math.floor(now / HOUR_MS);
    let changed = false;
    for (const usage of this.#state.values()) {
      for (const hour of usage.total.keys()) if (hour < oldest) (usage.total.delete(hour), (changed = true));
      for (const [key, series] of usage.keys) {
        for (const hour of series.keys()) if (hour < oldest) (series.delete(hour), (changed = true));
        if (series.size === 0) usage.keys.delete(key);
      }
    }
    if (changed) this.#checkpoint?.markChanged();
  }

  /** Save now if anything changed. */
  async flush(): Promise<void> {
    await this.#checkpoint?.flush();
  }

  async close(): Promise<void> {
    await this.#checkpoint?.close();
  }

  /** Completed checkpoint saves (tests and diagnostics). */
  get saves(): number {
    return this.#checkpoint?.saves ?? 0;
  }
}

function bump(series: Series, hour: number, slot: 0 | 1 | 2, status: string | undefined): void {
  let counts = series.get(hour);
  if (!counts) {
    counts = [0, 0, 0, {}];
    series.set(hour, counts);
  }
  counts[slot] += 1;
  if (status !== undefined) counts[3][status] = (counts[3][status] ?? 0) + 1;
}

function zero(): OutcomeCounts {
  return { used: 0, failed_auth: 0, rate_limited: 0, by_status: {} };
}

function add(target: OutcomeCounts, c: HourCounts): void {
  target.used += c[0];
  target.failed_auth += c[1];
  target.rate_limited += c[2];
  for (const [status, n] of Object.entries(c[3])) target.by_status[status] = (target.by_status[status] ?? 0) + n;
}

function addCounts(target: OutcomeCounts, c: OutcomeCounts): void {
  add(target, [c.used, c.failed_auth, c.rate_limited, c.by_status]);
}
