/** Metrics time ranges: dates or date-times, UTC buckets of an hour or a day. */
import { InvalidQueryError, InvalidTimeRangeError, TimeRangeTooLargeError } from '../audit/errors.js';
import { dateTimeMs } from '../date-time.js';

export type Granularity = 'hour' | 'day';
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const BUCKET_MS: Record<Granularity, number> = { hour: HOUR_MS, day: DAY_MS };
export const DEFAULT_MAX_BUCKETS = 2000;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A `DateOrDateTime` as ms since the epoch. A date is the start of that day (UTC) for `start`,
 * and the end of that day — the start of the next — for `end`.
 */
export function parseDateOrDateTime(field: 'start' | 'end', value: string): number {
  const date = DATE.exec(value);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const ms = Date.UTC(y, m - 1, d);
    const check = new Date(ms);
    if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) {
      throw new InvalidQueryError(field, `${value} is not a calendar date.`);
    }
    return field === 'end' ? ms + DAY_MS : ms;
  }
  const ms = dateTimeMs(value);
  if (Number.isNaN(ms)) throw new InvalidQueryError(field, `${field} must be a date (2026-03-19) or an RFC 3339 date-time (2026-03-19T14:00:00Z).`);
  return ms;
}

export interface UsageRange {
  /** Aligned down to the granularity. */
  startMs: number;
  /** Exclusive, aligned up to the granularity. */
  endMs: number;
  granularity: Granularity;
  bucketMs: number;
  buckets: number;
}

/**
 * Parse and align a metrics range. Counters are kept per hour, so a range is widened to whole
 * buckets (a start at 14:30 with hourly buckets reports from 14:00); the answer's `start` and
 * `end` say which range the numbers cover. Throws 400 for malformed values, 422
 * `invalid_time_range` when `end` is not after `start`, and 422 `time_range_too_large` beyond
 * `maxBuckets` buckets.
 */
export function resolveUsageRange(
  query: { start: string; end: string; granularity?: Granularity | undefined },
  maxBuckets: number = DEFAULT_MAX_BUCKETS,
): UsageRange {
  const granularity = query.granularity ?? 'day';
  if (granularity !== 'hour' && granularity !== 'day') throw new InvalidQueryError('granularity', 'granularity must be hour or day.', 'invalid_value');
  const start = parseDateOrDateTime('start', query.start);
  const end = parseDateOrDateTime('end', query.end);
  if (end <= start) {
    throw new InvalidTimeRangeError('end must be after start (a date as end means the end of that day).', [
      { field: 'end', code: 'invalid_time_range', message: 'end must be after start.' },
    ]);
  }
  const bucketMs = BUCKET_MS[granularity];
  const startMs = Math.floor(start / bucketMs) * bucketMs;
  const endMs = Math.ceil(end / bucketMs) * bucketMs;
  const buckets = (endMs - startMs) / bucketMs;
  if (buckets > maxBuckets) {
    throw new TimeRangeTooLargeError(`The range holds ${buckets} ${granularity} buckets; at most ${maxBuckets} are returned. Use a shorter range or day granularity.`);
  }
  return { startMs, endMs, granularity, bucketMs, buckets };
}

/** ISO 8601 without milliseconds when they are zero (`2026-03-19T00:00:00Z`). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
