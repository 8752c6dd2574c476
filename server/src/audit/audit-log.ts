/**
 * The audit log: an {@link EventSink} that redacts, ids, hash-chains, stores and indexes events,
 * and answers list, export, integrity and retention.
 *
 * Decisions (see README-level notes in index.ts):
 * - One chain and one folder of segments **per workspace** (`<dataDir>/audit/<workspace_id>/`,
 *   an {@link AppendLog} each). Tenants never share a segment, so retention is exact per
 *   workspace (`audit_retention_days`), an integrity check or an export reads only that
 *   workspace's files, and a workspace's check says nothing about another's.
 * - `record()` is synchronous: it assigns `evt_…` and the hashes, adds the event to the
 *   in-memory index and hands it to the append log's buffer. Until the append log has written
 *   the line and said where (segment and byte offset), the line stays in memory, so the event is
 *   listed at once.
 * - The list query runs on the index (see {@link WorkspaceIndex}); only the page's events are read
 *   from disk. Exports and integrity checks stream the segment files in constant memory.
 * - Each complete segment gets a summary beside it (`<segment>.idx`, its index entries as
 *   columns; see summary-files.ts), written in the background, so that opening loads a few typed
 *   arrays per segment instead of parsing every event. A summary that does not match its segment
 *   is ignored: the segment is read, and summarized again.
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { newId } from '../domain/ids.js';
import { listDigest } from '../domain/pagination.js';
import { AppendLog, Checkpoint, fsyncDirectory, listSegments, readLineBatches, type SegmentInfo, type WrittenSegment } from '../storage/index.js';
import { systemClock, type Clock } from '../traffic/clock.js';
import {
  AUDIT_DIR,
  CHAIN_STATE_FILE,
  decodeChainState,
  emptyChainState,
  walkChain,
  WORKSPACE_DIR_PATTERN,
  type ChainState,
} from './chain.js';
import { InvalidCursorError, InvalidQueryError } from './errors.js';
import { matchesEvent, resolveFilters, type ResolvedFilters } from './filters.js';
import { exportEncoder, PRODUCT_VERSION } from './formats.js';
import { computeEventHash, sealEvent, ZERO_HASH } from './hash.js';
import { redactSecrets, redactString, type RedactionCounter } from './redact.js';
import { readRange } from './segment-lines.js';
import type { SegmentSummary } from './segment-summary.js';
import { readSegmentSummaries, removeSegmentSummary, writeSegmentSummary } from './summary-files.js';
import {
  auditEventTypeCode,
  type AuditEvent,
  type AuditEventInput,
  type AuditEventPage,
  type AuditExportFormat,
  type AuditFilters,
  type AuditIntegrity,
  type AuditLogApi,
  type AuditPageRequest,
  type Awaitable,
  type ExportStreamOptions,
  type PruneReport,
} from './types.js';
import { idTag, WorkspaceIndex, type IndexEntryInput } from './workspace-index.js';
import { messageOf } from '../error-message.js';

const DAY_MS = 86_400_000;

export const DEFAULT_AUDIT_RETENTION_DAYS = 90;
export const MAX_PAGE_LIMIT = 100;
export const DEFAULT_PAGE_LIMIT = 20;

const ACTOR_TYPES = new Set(['member', 'api_key', 'anonymous', 'system']);
const TARGET_TYPES = new Set(['workspace', 'member', 'role', 'scope', 'api_key', 'alert_subscription', 'audit_export']);

export class AuditLogClosedError extends Error {
  readonly code = 'audit_log_closed';
  constructor() {
    super('The audit log is closed.');
    this.name = 'AuditLogClosedError';
  }
}

export class AuditLogFailedError extends Error {
  readonly code = 'audit_log_failed';
  constructor(cause: unknown) {
    const detail = messageOf(cause);
    super(`The audit log stopped after a storage failure (${detail}); events can no longer be recorded. Restart the server.`, { cause });
    this.name = 'AuditLogFailedError';
  }
}

export interface AuditLogCommonOptions {
  /** Source of "now" for `range` filters, retention and `checked_at`. Default: the system clock. */
  clock?: Clock;
  /** Each workspace's `audit_retention_days`; undefined -> `defaultRetentionDays`. */
  retentionDays?: (workspaceId: string) => Awaitable<number | undefined>;
  /** Default 90. */
  defaultRetentionDays?: number;
  /** Device version in CEF headers. Default the product version. */
  productVersion?: string;
  /** Background failures (a write, a maintenance step). */
  onError?: (error: Error) => void;
}

export interface AuditLogOptions extends AuditLogCommonOptions {
  /** Rotate to a new segment past this size. Default 16 MiB. */
  segmentMaxBytes?: number;
  /** Start a new segment once the current one is this old, so retention can prune busy workspaces. Default 1 day. */
  segmentMaxAgeMs?: number;
  /** fsync at most this often (0 = every batch). Default 1000 ms. */
  fsyncIntervalMs?: number;
  /** Save chain heads and rotate old segments this often; 0 = never (tests call `flush()`). Default 1000 ms. */
  maintenanceIntervalMs?: number;
  /** Run `prune()` this often; 0 = never. Default 1 hour. */
  pruneIntervalMs?: number;
  /**
   * Summarize only complete segments of at least this many bytes. Default 64 KiB: a smaller one
   * reads faster than its summary loads, and a server with many quiet workspaces would otherwise
   * write a summary per workspace at every close.
   */
  summaryMinBytes?: number;
}

export interface AuditLogStats {
  workspaces: number;
  events: number;
  /** Events recorded but not yet written to disk (held in memory). */
  unlocated: number;
  /** Strings replaced with `[redacted]` since start. */
  redactions: number;
  /** Approximate bytes held by the indexes. */
  indexBytes: number;
}

/** One event as an export or check reads it: the parsed event and, from disk, its exact line. */
interface StoredItem {
  event: AuditEvent;
  raw?: Buffer;
}

interface WorkspaceBase {
  id: string;
  index: WorkspaceIndex;
  headHash: string;
  headId: string | null;
}

function encodeCursor(ordinal: number, tag: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: ordinal, t: tag, f: fingerprint }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { o: number; t: number; f: string } {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError();
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown; t?: unknown; f?: unknown };
    if (!Number.isSafeInteger(parsed.o) || !Number.isSafeInteger(parsed.t) || typeof parsed.f !== 'string') throw new Error('shape');
    return { o: parsed.o as number, t: parsed.t as number, f: parsed.f };
  } catch {
    throw new InvalidCursorError();
  }
}

function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new InvalidQueryError('limit', `limit must be an integer from 1 to ${MAX_PAGE_LIMIT}.`, limit < 1 ? 'too_small' : 'too_big');
  }
  return limit;
}

function nullableString(value: unknown, counter: RedactionCounter): string | null {
  if (typeof value !== 'string') return null;
  const redacted = redactString(value);
  if (redacted !== value) counter.count += 1;
  return redacted;
}

function isNonEmptyObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const _key in value) return true;
  return false;
}

/**
 * Turn an input into the event to store, id and hashes still empty: checked, JSON-clean and with
 * secrets redacted. Throws TypeError for inputs no HTTP layer should ever send.
 */
export function sanitizeEventInput(input: AuditEventInput, counter: RedactionCounter = { count: 0 }) {
  if (typeof input !== 'object' || input === null) throw new TypeError('An audit event must be an object.');
  if (typeof input.workspace_id !== 'string' || !WORKSPACE_DIR_PATTERN.test(input.workspace_id)) {
    throw new TypeError(`Invalid workspace_id for an audit event: ${JSON.stringify(input.workspace_id)}`);
  }
  const typeCode = auditEventTypeCode(input.type);
  if (typeCode === undefined) throw new TypeError(`Unknown audit event type: ${JSON.stringify(input.type)}`);
  const occurredAtMs = typeof input.occurred_at === 'string' ? Date.parse(input.occurred_at) : Number.NaN;
  if (Number.isNaN(occurredAtMs)) throw new TypeError(`Invalid occurred_at for an audit event: ${JSON.stringify(input.occurred_at)}`);
  const actorIn = input.actor ?? { type: 'anonymous', id: null, name: null };
  const actor = {
    type: ACTOR_TYPES.has(actorIn.type) ? actorIn.type : 'anonymous',
    id: nullableString(actorIn.id, counter),
    name: nullableString(actorIn.name, counter),
  } as AuditEvent['actor'];
  let target: AuditEvent['target'] = null;
  if (input.target && typeof input.target === 'object') {
    if (!TARGET_TYPES.has(input.target.type)) throw new TypeError(`Unknown audit target type: ${JSON.stringify(input.target.type)}`);
    target = {
      type: input.target.type,
      id: nullableString(input.target.id, counter) ?? '',
      name: nullableString(input.target.name, counter),
    } as AuditEvent['target'];
  }
  const details = isNonEmptyObject(input.details) ? (redactSecrets(input.details, counter) as Record<string, unknown>) : {};
  return {
    // The stored event's own object, in its field order; the log fills in id and the hashes.
    event: {
      id: '',
      workspace_id: input.workspace_id,
      type: input.type,
      occurred_at: input.occurred_at,
      actor,
      target,
      ip: nullableString(input.ip, counter),
      user_agent: nullableString(input.user_agent, counter),
      method: nullableString(input.method, counter),
      path: nullableString(input.path, counter),
      status: Number.isInteger(input.status) ? (input.status as number) : null,
      request_id: nullableString(input.request_id, counter),
      correlation_id: nullableString(input.correlation_id, counter) ?? '',
      details,
      prev_hash: '',
      hash: '',
    } as AuditEvent,
    typeCode,
    occurredAtMs,
  };
}

export function indexFieldsOf(event: AuditEvent, typeCode: number, occurredAtMs: number): IndexEntryInput {
  return {
    occurredAtMs,
    typeCode,
    targetId: event.target?.id ?? null,
    targetName: event.target?.name ?? null,
    targetIsKey: event.target?.type === 'api_key',
    actorId: event.actor.id,
    actorName: event.actor.name,
    actorIsKey: event.actor.type === 'api_key',
    tag: idTag(event.id),
  };
}

/** What both the file-backed and the in-memory log share: recording, chaining, the list query, streaming. */
abstract class AuditLogCore<W extends WorkspaceBase> implements AuditLogApi {
  protected readonly clock: Clock;
  protected readonly retentionDaysOf: (workspaceId: string) => Awaitable<number | undefined>;
  protected readonly defaultRetentionDays: number;
  protected readonly productVersion: string;
  protected readonly onError: ((error: Error) => void) | undefined;
  protected readonly workspaces = new Map<string, W>();
  protected readonly redactionCounter: RedactionCounter = { count: 0 };
  protected closed = false;

  protected constructor(options: AuditLogCommonOptions) {
    this.clock = options.clock ?? systemClock;
    this.retentionDaysOf = options.retentionDays ?? (() => undefined);
    this.defaultRetentionDays = options.defaultRetentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS;
    this.productVersion = options.productVersion ?? PRODUCT_VERSION;
    this.onError = options.onError;
  }

  protected abstract createWorkspace(id: string): W;
  /** `line` is the event as stored: one line of JSON. */
  protected abstract persist(state: W, event: AuditEvent, ordinal: number, line: string): void;
  protected abstract fetch(state: W, ordinals: number[]): Promise<Array<AuditEvent | undefined>>;
  /** Stored events oldest first, in batches; the snapshot is taken when iteration starts. */
  protected abstract items(state: W): AsyncGenerator<StoredItem[], void, undefined>;
  protected abstract checkState(): void;
  abstract verifyIntegrity(workspaceId: string): Promise<AuditIntegrity>;
  abstract prune(now?: Date | number): Promise<PruneReport>;
  abstract flush(): Promise<void>;
  abstract close(): Promise<void>;

  /** Record one event. Synchronous; throws only for a malformed input or a stopped log. */
  record(input: AuditEventInput): void {
    this.checkState();
    const { event, typeCode, occurredAtMs } = sanitizeEventInput(input, this.redactionCounter);
    let state = this.workspaces.get(event.workspace_id);
    if (!state) {
      state = this.createWorkspace(event.workspace_id);
      this.workspaces.set(event.workspace_id, state);
    }
    event.id = newId('evt');
    event.prev_hash = state.headHash;
    const { hash, line } = sealEvent(event);
    event.hash = hash;
    const ordinal = state.index.add(indexFieldsOf(event, typeCode, occurredAtMs));
    state.headHash = hash;
    state.headId = event.id;
    this.persist(state, event, ordinal, line);
  }

  count(workspaceId: string): number {
    return this.workspaces.get(workspaceId)?.index.size ?? 0;
  }

  workspaceIds(): string[] {
    return [...this.workspaces.keys()];
  }

  async list(workspaceId: string, filters: AuditFilters = {}, page: AuditPageRequest = {}): Promise<AuditEventPage> {
    const limit = pageLimit(page.limit);
    const resolved = resolveFilters(filters, this.clock.now());
    const cursor = page.cursor !== undefined ? decodeCursor(page.cursor) : undefined;
    // What a cursor is valid for: this workspace's log with the same filters.
    const listTag = listDigest({ list: 'audit-logs', within: [workspaceId], filters: { filters: resolved.fingerprint } });
    if (cursor && cursor.f !== listTag) throw new InvalidCursorError('The cursor belongs to another list (other filters, or another workspace); start again without it.');
    const state = this.workspaces.get(workspaceId);
    if (!state) {
      if (cursor) throw new InvalidCursorError();
      return { data: [], has_more: false, next_cursor: null };
    }
    let before: number | undefined;
    if (cursor) {
      if (state.index.tag(cursor.o) === cursor.t) before = cursor.o;
      else {
        // Ordinals restart when the log is reloaded; find the event by its tag instead.
        before = state.index.findTag(cursor.t);
        if (before === undefined) throw new InvalidCursorError('The cursor points at an event that no longer exists (pruned); start again without it.');
      }
    }
    const ordinals = state.index.scan(state.index.compile(resolved), before, limit + 1);
    const has_more = ordinals.length > limit;
    const pageOrdinals = has_more ? ordinals.slice(0, limit) : ordinals;
    const fetched = await this.fetch(state, pageOrdinals);
    const data = fetched.filter((event): event is AuditEvent => event !== undefined);
    const last = pageOrdinals.at(-1);
    const next_cursor = has_more && last !== undefined ? encodeCursor(last, state.index.tag(last) ?? 0, listTag) : null;
    return { data, has_more, next_cursor };
  }

  exportStream(workspaceId: string, filters: AuditFilters | undefined, format: AuditExportFormat, options: ExportStreamOptions = {}): ReadableStream<Uint8Array> {
    this.checkState();
    const resolved = resolveFilters(filters, options.now ?? this.clock.now());
    const encoder = exportEncoder(format, this.productVersion);
    const state = this.workspaces.get(workspaceId);
    const utf8 = new TextEncoder();
    let iterator: AsyncGenerator<StoredItem[], void, undefined> | undefined;
    let count = 0;
    let preambleSent = false;
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          if (!preambleSent) {
            preambleSent = true;
            if (encoder.preamble !== '') {
              controller.enqueue(utf8.encode(encoder.preamble));
              return;
            }
          }
          if (!state) {
            options.onComplete?.(count);
            controller.close();
            return;
          }
          iterator ??= this.items(state);
          for (;;) {
            const next = await iterator.next();
            if (next.done) {
              options.onComplete?.(count);
              controller.close();
              return;
            }
            const chunk = this.#encodeBatch(next.value, resolved, format, encoder, utf8);
            count += chunk.count;
            if (chunk.bytes.length > 0) {
              controller.enqueue(chunk.bytes);
              return;
            }
          }
        },
        cancel: async () => {
          await iterator?.return(undefined);
        },
      },
      { highWaterMark: 1 },
    );
  }

  #encodeBatch(
    items: StoredItem[],
    filters: ResolvedFilters,
    format: AuditExportFormat,
    encoder: ReturnType<typeof exportEncoder>,
    utf8: TextEncoder,
  ): { bytes: Uint8Array; count: number } {
    let count = 0;
    if (format === 'ndjson') {
      // The stored line is the event's JSON: pass it through instead of re-serializing.
      const parts: Buffer[] = [];
      for (const item of items) {
        if (!matchesEvent(item.event, filters)) continue;
        count += 1;
        parts.push(item.raw ?? Buffer.from(JSON.stringify(item.event), 'utf8'), NEWLINE_BUFFER);
      }
      return { bytes: parts.length === 0 ? EMPTY : Buffer.concat(parts), count };
    }
    let text = '';
    for (const item of items) {
      if (!matchesEvent(item.event, filters)) continue;
      count += 1;
      text += encoder.encode(item.event);
    }
    return { bytes: text === '' ? EMPTY : utf8.encode(text), count };
  }

  protected async retentionFor(workspaceId: string): Promise<number> {
    const days = await this.retentionDaysOf(workspaceId);
    return typeof days === 'number' && Number.isFinite(days) && days > 0 ? days : this.defaultRetentionDays;
  }

  stats(): AuditLogStats {
    let events = 0;
    let indexBytes = 0;
    for (const state of this.workspaces.values()) {
      events += state.index.size;
      indexBytes += state.index.memoryBytes;
    }
    return { workspaces: this.workspaces.size, events, unlocated: this.unlocatedCount(), redactions: this.redactionCounter.count, indexBytes };
  }

  protected unlocatedCount(): number {
    return 0;
  }
}

const NEWLINE_BUFFER = Buffer.from('\n');
const EMPTY = new Uint8Array(0);

/** A segment goes with its summary; the summary first, so a summary never outlives its segment. */
async function removeSegment(segment: SegmentInfo): Promise<void> {
  await removeSegmentSummary(segment.path);
  await rm(segment.path, { force: true });
}

// ------------------------------------------------------------------------------------------------
// In memory

interface MemoryWorkspace extends WorkspaceBase {
  events: AuditEvent[];
  /** Ordinal of events[0]. */
  base: number;
  firstPrevHash: string;
}

/** The same interface with everything in memory: for unit tests, the in-process mock and MSW. */
export class MemoryAuditLog extends AuditLogCore<MemoryWorkspace> {
  constructor(options: AuditLogCommonOptions = {}) {
    super(options);
  }

  protected createWorkspace(id: string): MemoryWorkspace {
    return { id, index: new WorkspaceIndex(), headHash: ZERO_HASH, headId: null, events: [], base: 0, firstPrevHash: ZERO_HASH };
  }

  protected checkState(): void {
    if (this.closed) throw new AuditLogClosedError();
  }

  protected persist(state: MemoryWorkspace, event: AuditEvent): void {
    state.events.push(event);
  }

  protected async fetch(state: MemoryWorkspace, ordinals: number[]): Promise<Array<AuditEvent | undefined>> {
    return ordinals.map((ordinal) => state.events[ordinal - state.base]);
  }

  protected async *items(state: MemoryWorkspace): AsyncGenerator<StoredItem[], void, undefined> {
    const events = state.events.slice(); // a snapshot of references: later events are not exported
    for (let i = 0; i < events.length; i += 1024) yield events.slice(i, i + 1024).map((event) => ({ event }));
  }

  /** The stored events of a workspace, oldest first (tests tamper with them to exercise the check). */
  storedEvents(workspaceId: string): AuditEvent[] {
    return this.workspaces.get(workspaceId)?.events ?? [];
  }

  async verifyIntegrity(workspaceId: string): Promise<AuditIntegrity> {
    const state = this.workspaces.get(workspaceId);
    let expected = state?.firstPrevHash ?? ZERO_HASH;
    let checked = 0;
    let firstInvalid: string | null = null;
    for (const event of state?.events ?? []) {
      checked += 1;
      if (event.workspace_id !== workspaceId || event.prev_hash !== expected || computeEventHash(event) !== event.hash) {
        firstInvalid = event.id;
        break;
      }
      expected = event.hash;
    }
    if (firstInvalid === null && state && expected !== state.headHash) firstInvalid = state.headId;
    return { intact: firstInvalid === null, events_checked: checked, first_invalid_event_id: firstInvalid, checked_at: new Date(this.clock.now()).toISOString() };
  }

  /** Drop the longest run of oldest events that are all older than the workspace's retention. */
  async prune(now: Date | number = this.clock.now()): Promise<PruneReport> {
    const nowMs = typeof now === 'number' ? now : now.getTime();
    const report: PruneReport = { workspaces: [] };
    for (const state of this.workspaces.values()) {
      const days = await this.retentionFor(state.id);
      const cutoff = nowMs - days * DAY_MS;
      let keepFrom = 0;
      while (keepFrom < state.events.length && Date.parse(state.events[keepFrom]!.occurred_at) < cutoff) keepFrom += 1;
      if (keepFrom === 0) continue;
      const removed = state.events.splice(0, keepFrom);
      state.firstPrevHash = state.events[0]?.prev_hash ?? removed.at(-1)!.hash;
      state.index.dropBefore(state.base + keepFrom);
      state.base += keepFrom;
      report.workspaces.push({ workspace_id: state.id, retention_days: days, removed_segments: [], removed_events: removed.length });
    }
    return report;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
  }
}

// ------------------------------------------------------------------------------------------------
// On disk

/** `{"id":"evt_` + 22 characters + `"`: how a stored line starts, which names its event. */
const ID_PREFIX_LENGTH = '{"id":"'.length + 'evt_'.length + 22 + 1;

interface FileWorkspace extends WorkspaceBase {
  dir: string;
  log: AppendLog<AuditEvent> | undefined;
  /** Opening the next append log (events recorded meanwhile wait in `queue`, as stored lines). */
  opening: Promise<void> | undefined;
  /** Closing a retired append log; a new one opens only after it. */
  closing: Promise<void> | undefined;
  queue: string[];
  /** When the current append log was opened (clock ms) and whether it wrote anything. */
  logOpenedAt: number;
  logUsed: boolean;
  /**
   * Events recorded but not yet written, as their stored lines (far cheaper for the garbage
   * collector than an event's dozen objects), in log order; pending[pendingHead] has ordinal
   * `pendingOrdinal`. The append log writes them in this order and says where each landed.
   */
  pending: string[];
  pendingHead: number;
  pendingOrdinal: number;
  segmentNames: Map<number, string>;
}

export class AuditLog extends AuditLogCore<FileWorkspace> {
  readonly dataDir: string;
  readonly auditDir: string;
  readonly #chain: Checkpoint<ChainState>;
  readonly #segmentMaxBytes: number;
  readonly #summaryMinBytes: number;
  #pruning: Promise<PruneReport> | undefined;
  readonly #segmentMaxAgeMs: number;
  readonly #fsyncIntervalMs: number;
  readonly #timers: NodeJS.Timeout[] = [];
  #failure: AuditLogFailedError | undefined;
  #maintaining: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  /**
   * Summaries of complete segments being written, one after another, off the hot path; not before
   * the log is open, so that they do not slow down reading the segments that have none.
   */
  #summaryWrites: Promise<void>;
  #startSummaryWrites: () => void = () => undefined;
  /**
   * What opening found: events, lines skipped (unparseable, or torn by a crash; for a segment
   * loaded from its summary, what reading it did skip), and how many segments were loaded from
   * their summaries or had to be read line by line.
   */
  readonly loadReport: { events: number; skippedLines: number; tornTails: number; workspaces: number; summarizedSegments: number; readSegments: number };

  private constructor(dataDir: string, chain: Checkpoint<ChainState>, options: AuditLogOptions) {
    super(options);
    this.dataDir = dataDir;
    this.auditDir = path.join(dataDir, AUDIT_DIR);
    this.#chain = chain;
    this.#segmentMaxBytes = options.segmentMaxBytes ?? 16 * 1024 * 1024;
    this.#summaryMinBytes = options.summaryMinBytes ?? 64 * 1024;
    this.#segmentMaxAgeMs = options.segmentMaxAgeMs ?? DAY_MS;
    this.#fsyncIntervalMs = options.fsyncIntervalMs ?? 1000;
    this.loadReport = { events: 0, skippedLines: 0, tornTails: 0, workspaces: 0, summarizedSegments: 0, readSegments: 0 };
    this.#summaryWrites = new Promise((resolve) => {
      this.#startSummaryWrites = resolve;
    });
    const maintenance = options.maintenanceIntervalMs ?? 1000;
    if (maintenance > 0) {
      const timer = setInterval(() => void this.maintain().catch((error: unknown) => this.#report(error)), maintenance);
      timer.unref();
      this.#timers.push(timer);
    }
    const pruneEvery = options.pruneIntervalMs ?? 3_600_000;
    if (pruneEvery > 0) {
      const timer = setInterval(() => void this.prune().catch((error: unknown) => this.#report(error)), pruneEvery);
      timer.unref();
      this.#timers.push(timer);
    }
  }

  /**
   * Open the audit log in `<dataDir>/audit`, loading every workspace's index: from the summary of
   * each complete segment (a few tenths of a second per million events), or by reading the
   * segments that have none yet (about 5 s per million), whose summaries are then written in the
   * background. The caller holds the data-folder lock.
   */
  static async open(dataDir: string, options: AuditLogOptions = {}): Promise<AuditLog> {
    const auditDir = path.join(dataDir, AUDIT_DIR);
    await mkdir(auditDir, { recursive: true });
    const chain = await Checkpoint.open<ChainState>(path.join(auditDir, CHAIN_STATE_FILE), {
      intervalMs: 1000,
      initial: emptyChainState,
      encode: (state) => state,
      decode: decodeChainState,
      onSaveError: (error) => options.onError?.(error instanceof Error ? error : new Error(String(error))),
    });
    const log = new AuditLog(dataDir, chain, options);
    try {
      await log.#load().finally(() => log.#startSummaryWrites());
    } catch (error) {
      await log.close().catch(() => undefined);
      throw error;
    }
    return log;
  }

  get failure(): Error | undefined {
    return this.#failure;
  }

  protected checkState(): void {
    if (this.closed) throw new AuditLogClosedError();
    if (this.#failure) throw this.#failure;
  }

  protected createWorkspace(id: string): FileWorkspace {
    return {
      id,
      index: new WorkspaceIndex(),
      headHash: this.#chain.state.workspaces[id]?.first_prev_hash ?? ZERO_HASH,
      headId: null,
      dir: path.join(this.auditDir, id),
      log: undefined,
      opening: undefined,
      closing: undefined,
      queue: [],
      logOpenedAt: 0,
      logUsed: false,
      pending: [],
      pendingHead: 0,
      pendingOrdinal: 0,
      segmentNames: new Map(),
    };
  }

  protected override unlocatedCount(): number {
    let n = 0;
    for (const state of this.workspaces.values()) n += state.pending.length - state.pendingHead;
    return n;
  }

  protected persist(state: FileWorkspace, event: AuditEvent, ordinal: number, line: string): void {
    if (state.pending.length === state.pendingHead) state.pendingOrdinal = ordinal;
    state.pending.push(line);
    if (state.log) {
      state.log.appendJson(line);
      state.logUsed = true;
    } else {
      state.queue.push(line);
      this.#ensureOpen(state);
    }
  }

  #ensureOpen(state: FileWorkspace): void {
    if (state.opening || this.closed) return;
    state.opening = (async () => {
      await state.closing;
      // The retired log failed: its unwritten lines stay pending, so nothing may be written after them.
      if (this.#failure) return;
      const log = await AppendLog.open<AuditEvent>(state.dir, {
        segmentMaxBytes: this.#segmentMaxBytes,
        fsyncIntervalMs: this.#fsyncIntervalMs,
        clock: () => new Date(this.clock.now()),
        onError: (error) => this.#fail(error),
        onWritten: (segment, offset, lines) => this.#located(state, segment, offset, lines),
        onSealed: (segment) => this.#summarize(state, segment, { segmentBytes: segment.size, skippedLines: 0, tornTailBytes: 0 }),
      });
      // Synchronously: queued events go first, in order, then the log takes new ones directly.
      for (const line of state.queue) log.appendJson(line);
      state.logUsed = state.queue.length > 0;
      state.queue = [];
      state.log = log;
      state.logOpenedAt = this.clock.now();
    })()
      .catch((error: unknown) => this.#fail(error))
      .finally(() => {
        state.opening = undefined;
      });
  }

  /** Close the workspace's append log; the next event opens a new one (and so a new segment). */
  async #retire(state: FileWorkspace): Promise<void> {
    while (state.opening) await state.opening;
    const log = state.log;
    if (!log) {
      await state.closing;
      return;
    }
    state.log = undefined;
    state.logUsed = false;
    const closing = log.close().catch((error: unknown) => this.#fail(error));
    state.closing = closing;
    await closing;
  }

  #fail(error: unknown): void {
    if (!this.#failure) {
      this.#failure = new AuditLogFailedError(error);
      this.onError?.(this.#failure);
    }
  }

  #report(error: unknown): void {
    this.onError?.(error instanceof Error ? error : new Error(String(error)));
  }

  async #load(): Promise<void> {
    let names: string[];
    const entries = await readdir(this.auditDir, { withFileTypes: true });
    names = entries.filter((entry) => entry.isDirectory() && WORKSPACE_DIR_PATTERN.test(entry.name)).map((entry) => entry.name);
    names = names.sort();
    for (const id of names) {
      const state = this.createWorkspace(id);
      this.workspaces.set(id, state);
      const segments = await this.#segmentsOf(state, true);
      for await (const { segment, summary } of readSegmentSummaries(segments)) {
        state.segmentNames.set(segment.sequence, segment.name);
        if (summary) this.#loadSummary(state, segment, summary);
        else await this.#loadSegment(state, segment);
      }
      state.pendingOrdinal = state.index.nextOrdinal;
    }
    this.loadReport.workspaces = names.length;
  }

  #loadSummary(state: FileWorkspace, segment: SegmentInfo, summary: SegmentSummary): void {
    state.index.addSegmentColumns(summary.entries, segment.sequence);
    if (summary.lastEvent) {
      state.headHash = summary.lastEvent.hash;
      state.headId = summary.lastEvent.id;
    }
    this.loadReport.events += summary.entries.occurredAtMs.length;
    this.loadReport.skippedLines += summary.skippedLines;
    if (summary.tornTailBytes > 0) this.loadReport.tornTails += 1;
    this.loadReport.summarizedSegments += 1;
  }

  /** Read a segment event by event; it is complete (a new process never appends to it), so summarize it. */
  async #loadSegment(state: FileWorkspace, segment: SegmentInfo): Promise<void> {
    let skippedLines = 0;
    const reader = readLineBatches(segment.path);
    let result = await reader.next();
    while (!result.done) {
      for (const line of result.value) {
        let event: AuditEvent;
        try {
          event = JSON.parse(line.bytes.toString('utf8')) as AuditEvent;
        } catch {
          skippedLines += 1;
          continue;
        }
        const typeCode = auditEventTypeCode(event?.type);
        const occurredAtMs = Date.parse(event?.occurred_at);
        if (typeCode === undefined || Number.isNaN(occurredAtMs) || typeof event.id !== 'string' || typeof event.hash !== 'string' || !event.actor) {
          skippedLines += 1;
          continue;
        }
        state.index.add(indexFieldsOf(event, typeCode, occurredAtMs), { segment: segment.sequence, offset: line.offset, length: line.bytes.length });
        state.headHash = event.hash;
        state.headId = event.id;
        this.loadReport.events += 1;
      }
      result = await reader.next();
    }
    const { trailingBytes, bytes } = result.value;
    this.loadReport.skippedLines += skippedLines;
    if (trailingBytes > 0) this.loadReport.tornTails += 1;
    this.loadReport.readSegments += 1;
    this.#summarize(state, segment, { segmentBytes: bytes, skippedLines, tornTailBytes: trailingBytes });
  }

  /**
   * Queue writing the summary of a complete segment from the index. Not after a failure (the
   * index may then disagree with what was written), nor for a small segment: such a segment is
   * read at the next open instead, as is one whose summary cannot be written (that is reported).
   */
  #summarize(state: FileWorkspace, segment: WrittenSegment, facts: Pick<SegmentSummary, 'segmentBytes' | 'skippedLines' | 'tornTailBytes'>): void {
    if (this.#failure || facts.segmentBytes < this.#summaryMinBytes) return;
    const segmentPath = path.join(state.dir, segment.name);
    this.#summaryWrites = this.#summaryWrites
      .then(async () => {
        const entries = state.index.segmentColumns(segment.sequence);
        if (entries) await writeSegmentSummary(segmentPath, { ...facts, entries });
      })
      .catch((error: unknown) => this.#report(error));
  }

  /** The append log wrote the next pending lines: index where they are, and let them leave memory. */
  #located(state: FileWorkspace, segment: WrittenSegment, offset: number, lines: readonly Buffer[]): void {
    state.segmentNames.set(segment.sequence, segment.name);
    for (const line of lines) {
      const expected = state.pending[state.pendingHead];
      // Every stored line starts `{"id":"evt_…"`: the written line must be the next pending event.
      if (expected === undefined || line.toString('latin1', 0, ID_PREFIX_LENGTH) !== expected.slice(0, ID_PREFIX_LENGTH)) {
        this.#fail(new Error(`The audit log of ${state.id} wrote a line that is not the next recorded event (segment ${segment.name}, offset ${offset}).`));
        return;
      }
      state.index.setLocation(state.pendingOrdinal, { segment: segment.sequence, offset, length: line.length - 1 });
      offset += line.length;
      state.pending[state.pendingHead] = undefined as unknown as string;
      state.pendingHead += 1;
      state.pendingOrdinal += 1;
    }
    if (state.pendingHead === state.pending.length) {
      state.pending = [];
      state.pendingHead = 0;
    } else if (state.pendingHead > 1024 && state.pendingHead * 2 > state.pending.length) {
      state.pending = state.pending.slice(state.pendingHead);
      state.pendingHead = 0;
    }
  }

  /** Write and fsync everything recorded for the workspace so far. */
  async #flushLog(state: FileWorkspace): Promise<void> {
    while (state.opening) await state.opening;
    await state.closing;
    if (this.#failure) throw this.#failure;
    await state.log?.flush();
  }

  /** Save each workspace's newest fsynced event as the chain's anchored head. */
  async #syncHeads(): Promise<void> {
    for (const state of this.workspaces.values()) {
      const head = state.headId === null ? null : { id: state.headId, hash: state.headHash };
      await this.#flushLog(state);
      const current = this.#chain.state.workspaces[state.id];
      if (current?.head?.id === head?.id && current !== undefined) continue;
      if (head === null && current === undefined) continue;
      this.#chain.update((chain) => {
        chain.workspaces[state.id] = { first_prev_hash: current?.first_prev_hash ?? ZERO_HASH, pruning: current?.pruning ?? [], head };
      });
    }
  }

  /** Periodic work: anchor heads, start new segments for old ones. */
  maintain(): Promise<void> {
    this.#maintaining ??= (async () => {
      try {
        if (this.closed || this.#failure) return;
        await this.#syncHeads();
        const now = this.clock.now();
        for (const state of this.workspaces.values()) {
          if (state.log && state.logUsed && now - state.logOpenedAt >= this.#segmentMaxAgeMs) await this.#retire(state);
        }
      } finally {
        this.#maintaining = undefined;
      }
    })();
    return this.#maintaining;
  }

  protected async fetch(state: FileWorkspace, ordinals: number[]): Promise<Array<AuditEvent | undefined>> {
    const out: Array<AuditEvent | undefined> = new Array(ordinals.length);
    const reads: Array<{ slot: number; segment: number; offset: number; length: number }> = [];
    ordinals.forEach((ordinal, slot) => {
      const location = state.index.location(ordinal);
      if (location) reads.push({ slot, ...location });
      else {
        const line = state.pending[state.pendingHead + (ordinal - state.pendingOrdinal)];
        out[slot] = line === undefined ? undefined : (JSON.parse(line) as AuditEvent);
      }
    });
    for (const read of reads) {
      const name = state.segmentNames.get(read.segment);
      if (!name) continue;
      const bytes = await readRange(path.join(state.dir, name), read.offset, read.length);
      if (!bytes) continue;
      try {
        out[read.slot] = JSON.parse(bytes.toString('utf8')) as AuditEvent;
      } catch {
        out[read.slot] = undefined;
      }
    }
    return out;
  }

  protected async *items(state: FileWorkspace): AsyncGenerator<StoredItem[], void, undefined> {
    await this.#flushLog(state);
    const segments = await this.#segmentsOf(state);
    // Snapshot: each segment up to its size now; events recorded later are not part of this export.
    const ends = await Promise.all(segments.map((segment) => stat(segment.path).then((s) => s.size, () => 0)));
    for (let i = 0; i < segments.length; i += 1) {
      for await (const batch of readLineBatches(segments[i]!.path, { end: ends[i]! })) {
        const items: StoredItem[] = [];
        for (const line of batch) {
          try {
            items.push({ event: JSON.parse(line.bytes.toString('utf8')) as AuditEvent, raw: line.bytes });
          } catch {
            // An unparseable line is not an event; the integrity check reports it.
          }
        }
        yield items;
      }
    }
  }

  async verifyIntegrity(workspaceId: string): Promise<AuditIntegrity> {
    this.checkState();
    const state = this.workspaces.get(workspaceId);
    if (state) await this.#flushLog(state);
    const { last_hash: _last, ...result } = await walkChain(path.join(this.auditDir, workspaceId), {
      workspaceId,
      anchor: this.#chain.state.workspaces[workspaceId],
      expectedHead: state?.headId ? { id: state.headId, hash: state.headHash } : null,
      now: new Date(this.clock.now()),
    });
    void _last;
    return result;
  }

  /**
   * Retention: per workspace, delete the oldest whole segments whose every event is older than
   * `audit_retention_days`. The chain's new start is anchored (durably) before any file goes.
   */
  async prune(now: Date | number = this.clock.now()): Promise<PruneReport> {
    this.checkState();
    // One at a time (the hourly timer may meet another caller): two prunes of a workspace
    // interleaved could anchor the chain at a segment the other one deletes. A call made while one
    // runs waits for it, then prunes with its own time and the retention settings of then.
    const nowMs = typeof now === 'number' ? now : now.getTime();
    const run = (this.#pruning ?? Promise.resolve()).catch(() => undefined).then(() => this.#prune(nowMs));
    this.#pruning = run;
    try {
      return await run;
    } finally {
      if (this.#pruning === run) this.#pruning = undefined;
    }
  }

  async #prune(nowMs: number): Promise<PruneReport> {
    const report: PruneReport = { workspaces: [] };
    for (const state of [...this.workspaces.values()]) {
      if (this.#closing) break; // close waits for this prune: finish early
      const days = await this.retentionFor(state.id);
      const result = await this.#pruneWorkspace(state, nowMs - days * DAY_MS);
      if (result.removed_segments.length > 0) report.workspaces.push({ workspace_id: state.id, retention_days: days, ...result });
    }
    return report;
  }

  /** The workspace's segments, oldest first, without those a prune is deleting (which `cleanup` removes). */
  async #segmentsOf(state: FileWorkspace, cleanup = false): Promise<SegmentInfo[]> {
    let segments: SegmentInfo[];
    try {
      segments = await listSegments(state.dir);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return [];
      throw error;
    }
    const pruning = this.#chain.state.workspaces[state.id]?.pruning ?? [];
    if (pruning.length === 0) return segments;
    const doomed = new Set(pruning);
    if (cleanup) {
      // A prune was interrupted after anchoring the new start: finish it.
      for (const segment of segments) if (doomed.has(segment.name)) await removeSegment(segment);
      await fsyncDirectory(state.dir);
      this.#chain.update((chain) => {
        const anchor = chain.workspaces[state.id];
        if (anchor) anchor.pruning = [];
      });
      await this.#chain.flush();
    }
    return segments.filter((segment) => !doomed.has(segment.name));
  }

  async #pruneWorkspace(state: FileWorkspace, cutoffMs: number): Promise<{ removed_segments: string[]; removed_events: number }> {
    await this.#flushLog(state);
    await this.#syncHeads();
    const anchor = this.#chain.state.workspaces[state.id];
    const segments = await this.#segmentsOf(state);
    if (segments.length === 0) return { removed_segments: [], removed_events: 0 };
    // The first event that must stay decides: its segment and every later one are kept. If it was
    // recorded meanwhile and is not written yet, write it first.
    let firstKept = this.#firstEntryAtOrAfter(state, cutoffMs);
    for (let tries = 0; tries < 3 && firstKept !== undefined && !state.index.location(firstKept); tries += 1) {
      await this.#flushLog(state);
      firstKept = this.#firstEntryAtOrAfter(state, cutoffMs);
    }
    const keepSegment = firstKept === undefined ? Number.POSITIVE_INFINITY : state.index.location(firstKept)?.segment;
    if (keepSegment === undefined) return { removed_segments: [], removed_events: 0 }; // still not written: next time
    const doomed = segments.filter((segment) => segment.sequence < keepSegment);
    if (doomed.length === 0) return { removed_segments: [], removed_events: 0 };
    const everything = doomed.length === segments.length;
    // Events waiting for a new segment would land outside what is being deleted: try next time.
    if (everything && (state.opening !== undefined || state.queue.length > 0)) return { removed_segments: [], removed_events: 0 };
    // Decided now, before any await: events recorded from here on are never part of this prune.
    // Whole segments go, so what stays starts with the first event of the first kept segment, older
    // than the cutoff or not: the index and the chain's anchor must match what stays on disk.
    const keptOrdinal = firstKept === undefined ? state.index.nextOrdinal : state.index.firstOrdinalOfSegmentAtLeast(keepSegment);
    const lastPrunedHash = state.headHash;
    let releaseGate: () => void = () => undefined;
    if (everything) {
      // The newest segment goes too: close its writer, and hold back a new one until the files
      // are gone (a new append log numbers its segment after the existing ones).
      await this.#retire(state);
      state.closing = new Promise<void>((resolve) => {
        releaseGate = resolve;
      });
    }
    try {
      let firstPrevHash: string;
      if (firstKept !== undefined) {
        const [first] = await this.fetch(state, [keptOrdinal]);
        if (!first) throw new Error(`Cannot read the first retained audit event of ${state.id}; nothing was pruned.`);
        firstPrevHash = first.prev_hash;
      } else {
        firstPrevHash = lastPrunedHash; // the chain continues from the last pruned event's hash
      }
      const names = doomed.map((segment) => segment.name);
      // No summary may be written for a doomed segment once it is gone (the newest one's, if the
      // log was just retired, is queued): let the queue drain first.
      await this.#summaryWrites;
      this.#chain.update((chain) => {
        chain.workspaces[state.id] = { first_prev_hash: firstPrevHash, head: everything ? null : (anchor?.head ?? null), pruning: names };
      });
      await this.#chain.flush();
      const removedEvents = state.index.dropBefore(keptOrdinal);
      for (const segment of doomed) {
        await removeSegment(segment);
        state.segmentNames.delete(segment.sequence);
      }
      await fsyncDirectory(state.dir);
      this.#chain.update((chain) => {
        const current = chain.workspaces[state.id];
        if (current) current.pruning = [];
      });
      await this.#chain.flush();
      return { removed_segments: names, removed_events: removedEvents };
    } finally {
      releaseGate();
    }
  }

  /** Ordinal of the oldest entry from which on events must be kept (the first at or after the cutoff), or undefined. */
  #firstEntryAtOrAfter(state: FileWorkspace, cutoffMs: number): number | undefined {
    for (let ordinal = state.index.firstOrdinal; ordinal < state.index.nextOrdinal; ordinal += 1) {
      if ((state.index.occurredAtMs(ordinal) ?? Number.POSITIVE_INFINITY) >= cutoffMs) return ordinal;
    }
    return undefined;
  }

  async flush(): Promise<void> {
    if (this.closed) return this.#closing;
    for (const state of this.workspaces.values()) await this.#flushLog(state);
    await this.#syncHeads();
    await this.#chain.flush();
  }

  /** Write everything, anchor the heads, release the files. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      for (const timer of this.#timers) clearInterval(timer);
      await this.#maintaining?.catch(() => undefined);
      // A prune still running would go on deleting files after close returned.
      await this.#pruning?.catch(() => undefined);
      try {
        if (!this.#failure) await this.#syncHeads().catch((error: unknown) => this.#report(error));
      } finally {
        this.closed = true;
        for (const state of this.workspaces.values()) {
          while (state.opening) await state.opening;
          await state.closing;
          await state.log?.close().catch((error: unknown) => this.#report(error));
          state.log = undefined;
        }
        await this.#summaryWrites;
        await this.#chain.close();
      }
    })();
    return this.#closing;
  }
}
