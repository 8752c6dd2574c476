/** Audit filters: validation, resolution of the relative `range`, and matching. */
import { createHash } from 'node:crypto';
import { InvalidQueryError, InvalidTimeRangeError } from './errors.js';
import { canonicalJson } from '../canonical-json.js';
import { dateTimeMs } from '../date-time.js';
import { auditEventTypeCode, type AuditEvent, type AuditEventType, type AuditFilters } from './types.js';

export const RANGE_MS = { '24h': 24 * 3_600_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;

/** Filters checked and made absolute: what the index and the export stream compare against. */
export interface ResolvedFilters {
  /** Bit i set = event type with code i is wanted; 0 = every type. */
  typeMask: number;
  types: ReadonlySet<AuditEventType> | undefined;
  keyId: string | undefined;
  keyName: string | undefined;
  actorId: string | undefined;
  /** Inclusive lower bound, ms since the epoch. */
  fromMs: number | undefined;
  /** Exclusive upper bound, ms since the epoch. */
  toMs: number | undefined;
  /** Identifies the filters as given (`range` unresolved), so a cursor is only used with the same filters. */
  fingerprint: string;
}

function parseDateTime(field: 'from' | 'to', value: string): number {
  const ms = dateTimeMs(value);
  if (Number.isNaN(ms)) throw new InvalidQueryError(field, `${field} must be an RFC 3339 date-time such as 2026-03-19T14:00:00Z.`);
  return ms;
}

/**
 * Check `filters` and resolve `range` against `nowMs`. Throws {@link InvalidTimeRangeError}
 * (`range` with `from`, or `from` not before `to`) and {@link InvalidQueryError} (an unknown
 * event type, a malformed date-time) before anything is read.
 */
export function resolveFilters(filters: AuditFilters | undefined, nowMs: number): ResolvedFilters {
  const f = filters ?? {};
  if (f.range !== undefined && f.from !== undefined) {
    throw new InvalidTimeRangeError('range is a shorthand for from; pass one or the other, not both.', [
      { field: 'range', code: 'invalid_time_range', message: 'range cannot be combined with from.' },
    ]);
  }
  let typeMask = 0;
  let types: Set<AuditEventType> | undefined;
  if (f.event_type !== undefined && f.event_type.length > 0) {
    types = new Set();
    for (const type of f.event_type) {
      const code = auditEventTypeCode(type);
      if (code === undefined) throw new InvalidQueryError('event_type', `${String(type)} is not an audit event type.`, 'invalid_value');
      typeMask |= 1 << code;
      types.add(type);
    }
  }
  let fromMs: number | undefined;
  if (f.range !== undefined) {
    const span = RANGE_MS[f.range];
    if (span === undefined) throw new InvalidQueryError('range', 'range must be 24h, 7d or 30d.', 'invalid_value');
    fromMs = nowMs - span;
  } else if (f.from !== undefined) {
    fromMs = parseDateTime('from', f.from);
  }
  const toMs = f.to !== undefined ? parseDateTime('to', f.to) : undefined;
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) {
    throw new InvalidTimeRangeError(`The time range is empty: ${f.range !== undefined ? `the last ${f.range}` : 'from'} must start before to.`, [
      { field: 'to', code: 'invalid_time_range', message: 'to must be after from.' },
    ]);
  }
  return {
    typeMask,
    types,
    keyId: f.key_id,
    keyName: f.key_name,
    actorId: f.actor_id,
    fromMs,
    toMs,
    fingerprint: filterFingerprint(f),
  };
}

export function filterFingerprint(filters: AuditFilters): string {
  const normalized = {
    ...filters,
    event_type: filters.event_type && filters.event_type.length > 0 ? [...new Set(filters.event_type)].sort() : undefined,
  };
  return createHash('sha256').update(canonicalJson(normalized)).digest('base64url').slice(0, 12);
}

/** The same test the index applies, on a full event (used when streaming exports). */
export function matchesEvent(event: AuditEvent, filters: ResolvedFilters, occurredAtMs = Date.parse(event.occurred_at)): boolean {
  if (filters.types !== undefined && !filters.types.has(event.type)) return false;
  if (filters.fromMs !== undefined && !(occurredAtMs >= filters.fromMs)) return false;
  if (filters.toMs !== undefined && !(occurredAtMs < filters.toMs)) return false;
  if (filters.actorId !== undefined && event.actor.id !== filters.actorId) return false;
  const targetIsKey = event.target?.type === 'api_key';
  const actorIsKey = event.actor.type === 'api_key';
  if (filters.keyId !== undefined) {
    const hit = (targetIsKey && event.target?.id === filters.keyId) || (actorIsKey && event.actor.id === filters.keyId);
    if (!hit) return false;
  }
  if (filters.keyName !== undefined) {
    const hit = (targetIsKey && event.target?.name === filters.keyName) || (actorIsKey && event.actor.name === filters.keyName);
    if (!hit) return false;
  }
  return true;
}
