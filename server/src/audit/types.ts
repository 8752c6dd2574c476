/**
 * The audit contract with the HTTP layer. The HTTP layer builds one {@link AuditEventInput} per
 * event and hands it to an {@link EventSink}, synchronously, never awaiting on the hot path.
 */
import type { components } from '@tessera/spec';
import { zAuditEventType } from '@tessera/spec/zod';

type Schemas = components['schemas'];

export type AuditEventType = components['schemas']['AuditEventType'];

/** An audit event as the HTTP layer reports it: the spec's AuditEvent before the log assigns `id`, `prev_hash` and `hash`. */
export type AuditEventInput = Omit<Schemas['AuditEvent'], 'id' | 'prev_hash' | 'hash' | 'details'> & { details: Record<string, unknown> };

export interface EventSink {
  record(event: AuditEventInput): void;
}

/**
 * A recorded event, exactly as the API shows it (and as it is stored, one per line). `details`
 * is widened: the generator renders the spec's free-form `type: object` as `Record<string, never>`.
 */
export type AuditEvent = Omit<Schemas['AuditEvent'], 'details'> & { details: Record<string, unknown> };
export type AuditFilters = Schemas['AuditFilters'];
export type AuditExportFormat = Schemas['AuditExportFormat'];
export type AuditIntegrity = Schemas['AuditIntegrity'];
export type AuditExport = Schemas['AuditExport'];
export type AuditEventList = Schemas['AuditEventList'];

/** Every event type, in the spec's order (the in-memory index stores a type as its position here). */
export const AUDIT_EVENT_TYPES: readonly AuditEventType[] = zAuditEventType.options;

const TYPE_CODES = new Map<string, number>(AUDIT_EVENT_TYPES.map((type, index) => [type, index]));

export function auditEventTypeCode(type: string): number | undefined {
  return TYPE_CODES.get(type);
}

export function isAuditEventType(value: unknown): value is AuditEventType {
  return typeof value === 'string' && TYPE_CODES.has(value);
}

/** A page of events, newest first. */
export interface AuditEventPage {
  data: AuditEvent[];
  has_more: boolean;
  next_cursor: string | null;
}

export interface AuditPageRequest {
  cursor?: string | undefined;
  /** 1–100, default 20. */
  limit?: number | undefined;
}

export type Awaitable<T> = T | Promise<T>;

/** What the HTTP layer (and the benchmark) need from an audit log, file-backed or in memory. */
export interface AuditLogApi extends EventSink {
  /** Newest first. Throws {@link InvalidTimeRangeError} / {@link InvalidCursorError} synchronously-ish (as a rejection). */
  list(workspaceId: string, filters?: AuditFilters, page?: AuditPageRequest): Promise<AuditEventPage>;
  /** Oldest first, constant memory. Filter errors throw synchronously, before any byte is produced. */
  exportStream(workspaceId: string, filters: AuditFilters | undefined, format: AuditExportFormat, options?: ExportStreamOptions): ReadableStream<Uint8Array>;
  verifyIntegrity(workspaceId: string): Promise<AuditIntegrity>;
  prune(now?: Date | number): Promise<PruneReport>;
  /** Events recorded for the workspace that are still retained. */
  count(workspaceId: string): number;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface ExportStreamOptions {
  /** Called once, when the stream has produced every event, with how many it held. */
  onComplete?: (eventCount: number) => void;
  /** Resolve relative filters (`range`) against this moment instead of the log's clock. */
  now?: number;
}

export interface PruneReport {
  /** Per workspace: segments (or, in memory, events) removed. */
  workspaces: Array<{ workspace_id: string; retention_days: number; removed_segments: string[]; removed_events: number }>;
}
