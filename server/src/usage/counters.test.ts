import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY_A, KEY_B, sampleEvent, WS, WS2 } from '../audit/test-support.js';
import type { AuditEventInput } from '../audit/types.js';
import { useTempDir } from '../storage/test-support.js';
import { ManualClock } from '../traffic/clock.js';
import { UsageCounters } from './counters.js';
import { resolveUsageRange } from './time-range.js';

const tempDir = useTempDir('tessera-usage-');
const DAY0 = Date.UTC(2026, 2, 18);
const H = 3_600_000;
const open: UsageCounters[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

const at = (ms: number) => new Date(ms).toISOString();
const used = (ms: number, key = KEY_A, status = 200, ws = WS) => sampleEvent({ workspace_id: ws, occurred_at: at(ms), status, actor: { type: 'api_key', id: key, name: 'k' }, target: { type: 'api_key', id: key, name: 'k' } });
const failed = (ms: number, key: string | null = null) =>
  sampleEvent({ type: 'api_key.failed_auth', occurred_at: at(ms), status: 401, actor: { type: 'anonymous', id: null, name: null }, target: key ? { type: 'api_key', id: key, name: 'k' } : null });
const limited = (ms: number, key = KEY_A) => sampleEvent({ type: 'api_key.rate_limited', occurred_at: at(ms), status: 429, target: { type: 'api_key', id: key, name: 'k' } });

describe('time ranges', () => {
  it('reads dates as whole days and date-times as given, end exclusive', () => {
    expect(resolveUsageRange({ start: '2026-03-18', end: '2026-03-19' })).toMatchObject({ startMs: DAY0, endMs: DAY0 + 2 * 24 * H, buckets: 2 });
    expect(resolveUsageRange({ start: '2026-03-18T10:30:00Z', end: '2026-03-18T12:00:00Z', granularity: 'hour' })).toMatchObject({ startMs: DAY0 + 10 * H, endMs: DAY0 + 12 * H, buckets: 2 });
    expect(resolveUsageRange({ start: '2026-03-18T00:00:00+02:00', end: '2026-03-18', granularity: 'hour' })).toMatchObject({ startMs: DAY0 - 2 * H, buckets: 26 });
  });

  it('refuses empty, reversed, oversized and malformed ranges', () => {
    expect(() => resolveUsageRange({ start: '2026-03-19', end: '2026-03-18' })).toThrowError(expect.objectContaining({ code: 'invalid_time_range', kind: 'unprocessable' }));
    expect(() => resolveUsageRange({ start: '2026-03-19T10:00:00Z', end: '2026-03-19T10:00:00Z' })).toThrowError(expect.objectContaining({ code: 'invalid_time_range' }));
    expect(() => resolveUsageRange({ start: '2026-01-01', end: '2026-12-31', granularity: 'hour' })).toThrowError(expect.objectContaining({ code: 'time_range_too_large', kind: 'unprocessable' }));
    expect(() => resolveUsageRange({ start: '2022-01-01', end: '2026-12-31' })).not.toThrow();
    expect(() => resolveUsageRange({ start: '2026-02-30', end: '2026-03-02' })).toThrowError(expect.objectContaining({ kind: 'invalid' }));
    expect(() => resolveUsageRange({ start: 'yesterday', end: '2026-03-02' })).toThrowError(expect.objectContaining({ kind: 'invalid' }));
    // Date-times Date.parse would roll over (hour 24, minute 60, February 30) are not date-times.
    for (const bad of ['2026-01-01T24:00:00Z', '2026-01-01T23:60:00Z', '2026-02-30T10:00:00Z']) {
      expect(() => resolveUsageRange({ start: bad, end: '2026-03-03' })).toThrowError(expect.objectContaining({ kind: 'invalid', code: 'validation_failed', extras: { errors: [expect.objectContaining({ field: 'start' })] } }));
      expect(() => resolveUsageRange({ start: '2025-12-01', end: bad })).toThrowError(expect.objectContaining({ kind: 'invalid', code: 'validation_failed', extras: { errors: [expect.objectContaining({ field: 'end' })] } }));
    }
    expect(() => resolveUsageRange({ start: '2026-03-01', end: '2026-03-02', granularity: 'week' as never })).toThrowError(expect.objectContaining({ kind: 'invalid' }));
  });
});

describe('usage counters', () => {
  it('count outcomes per workspace and key, zero-filled, in the spec shape', () => {
    const counters = new UsageCounters({ clock: new ManualClock(DAY0) });
    counters.record(used(DAY0 + 1 * H));
    counters.record(used(DAY0 + 1 * H + 5, KEY_A, 403));
    counters.record(used(DAY0 + 26 * H, KEY_B));
    counters.record(failed(DAY0 + 2 * H));
    counters.record(failed(DAY0 + 2 * H, KEY_B));
    counters.record(limited(DAY0 + 27 * H));
    counters.record(used(DAY0 + 1 * H, KEY_A, 200, WS2));
    counters.record(sampleEvent({ type: 'api_key.created', occurred_at: at(DAY0 + H) })); // not counted
    const daily = counters.query(WS, { start: '2026-03-18', end: '2026-03-19' });
    expect(daily).toEqual({
      workspace_id: WS,
      key_id: null,
      start: '2026-03-18T00:00:00Z',
      end: '2026-03-20T00:00:00Z',
      granularity: 'day',
      series: [
        { start: '2026-03-18T00:00:00Z', used: 2, failed_auth: 2, rate_limited: 0, by_status: { '200': 1, '403': 1, '401': 2 } },
        { start: '2026-03-19T00:00:00Z', used: 1, failed_auth: 0, rate_limited: 1, by_status: { '200': 1, '429': 1 } },
      ],
      totals: { used: 3, failed_auth: 2, rate_limited: 1, by_status: { '200': 2, '403': 1, '401': 2, '429': 1 } },
    });
    const keyB = counters.query(WS, { start: '2026-03-18T00:00:00Z', end: '2026-03-18T04:00:00Z', granularity: 'hour', key_id: KEY_B });
    expect(keyB.key_id).toBe(KEY_B);
    expect(keyB.series.map((b) => [b.start, b.used, b.failed_auth])).toEqual([
      ['2026-03-18T00:00:00Z', 0, 0],
      ['2026-03-18T01:00:00Z', 0, 0],
      ['2026-03-18T02:00:00Z', 0, 1],
      ['2026-03-18T03:00:00Z', 0, 0],
    ]);
    expect(counters.query(WS, { start: '2026-03-18', end: '2026-03-18', key_id: 'key_unknownunknownunknow' }).totals).toEqual({ used: 0, failed_auth: 0, rate_limited: 0, by_status: {} });
    expect(counters.query('ws_emptyemptyemptyempty1', { start: '2026-03-18', end: '2026-03-18' }).series).toHaveLength(1);
  });

  it('match the events sent (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ hour: fc.integer({ min: 0, max: 71 }), kind: fc.constantFrom('used', 'failed', 'limited'), key: fc.constantFrom(KEY_A, KEY_B), status: fc.constantFrom(200, 201, 403) }), { maxLength: 200 }),
        (events) => {
          const counters = new UsageCounters({ clock: new ManualClock(DAY0) });
          const inputs: AuditEventInput[] = events.map((e) => (e.kind === 'used' ? used(DAY0 + e.hour * H + 1, e.key, e.status) : e.kind === 'failed' ? failed(DAY0 + e.hour * H, e.key) : limited(DAY0 + e.hour * H, e.key)));
          for (const input of inputs) counters.record(input);
          const hourly = counters.query(WS, { start: '2026-03-18', end: '2026-03-20', granularity: 'hour', key_id: KEY_A });
          expect(hourly.series).toHaveLength(72);
          const mine = events.filter((e) => e.key === KEY_A);
          expect(hourly.totals.used).toBe(mine.filter((e) => e.kind === 'used').length);
          expect(hourly.totals.failed_auth).toBe(mine.filter((e) => e.kind === 'failed').length);
          expect(hourly.totals.rate_limited).toBe(mine.filter((e) => e.kind === 'limited').length);
          hourly.series.forEach((bucket, h) => expect(bucket.used + bucket.failed_auth + bucket.rate_limited).toBe(mine.filter((e) => e.hour === h).length));
          const daily = counters.query(WS, { start: '2026-03-18', end: '2026-03-20' });
          expect(daily.totals.used + daily.totals.failed_auth + daily.totals.rate_limited).toBe(events.length);
          expect(Object.values(daily.totals.by_status).reduce((a, b) => a + b, 0)).toBe(events.length);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('checkpoint to usage.json and load it back', async () => {
    const clock = new ManualClock(DAY0);
    const first = await UsageCounters.open(tempDir(), { clock, checkpointIntervalMs: 60_000 });
    for (let i = 0; i < 10; i += 1) first.record(used(DAY0 + i * 1000));
    first.record(failed(DAY0 + 5 * H));
    await first.flush();
    expect(first.saves).toBe(1);
    await first.flush();
    expect(first.saves).toBe(1); // nothing changed
    await first.close();
    const raw = JSON.parse(await readFile(path.join(tempDir(), 'usage.json'), 'utf8')) as { version: number };
    expect(raw.version).toBe(1);
    const second = await UsageCounters.open(tempDir(), { clock });
    open.push(second);
    expect(second.query(WS, { start: '2026-03-18', end: '2026-03-18' }).totals).toEqual({ used: 10, failed_auth: 1, rate_limited: 0, by_status: { '200': 10, '401': 1 } });
  });

  it('drop hours older than the retention', () => {
    const clock = new ManualClock(DAY0);
    const counters = new UsageCounters({ clock, retentionDays: 2 });
    counters.record(used(DAY0 - 5 * 24 * H));
    counters.record(used(DAY0));
    counters.prune();
    expect(counters.query(WS, { start: '2026-03-10', end: '2026-03-18' }).totals.used).toBe(1);
  });
});
