import { zTimestamp } from '@tessera/spec/zod';

/**
 * An RFC 3339 date-time (the spec's `format: date-time`) as ms since the epoch, or NaN. Checked
 * with the spec's own `Timestamp` schema, the check the `from` / `to` query parameters and
 * `expires_at` get, so hour 24, 23:60 or February 30 are refused here too rather than rolled over
 * by `Date.parse`. The one date-time check for parameters parsed by hand (audit filters, metrics).
 */
export function dateTimeMs(value: string): number {
  return zTimestamp.safeParse(value).success ? Date.parse(value) : Number.NaN;
}
