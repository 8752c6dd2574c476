import { afterEach, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../alerts/signature.js';
import { startReceiver, type Receiver } from '../alerts/test-receiver.js';
import { ManualScheduler } from '../alerts/timers.js';
import { useTempDir } from '../storage/test-support.js';
import { ManualClock } from '../traffic/clock.js';
import { AuditLog, MemoryAuditLog } from './audit-log.js';
import { AuditExportService, exportFileName } from './export-service.js';
import { parseCsv } from './formats.js';
import { KEY_A, RAW_KEY, sampleEvent, WS, WS2 } from './test-support.js';
import type { AuditEvent, AuditLogApi } from './types.js';

const tempDir = useTempDir('tessera-audit-export-');
const START = Date.UTC(2026, 2, 19, 15);
const HOUR = 3_600_000;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(kind: 'file' | 'memory', respond?: Receiver['respond']) {
  const clock = new ManualClock(START);
  const scheduler = new ManualScheduler(clock);
  const hook = await startReceiver(respond);
  cleanups.push(() => hook.close());
  const log: AuditLogApi = kind === 'file' ? await AuditLog.open(tempDir(), { clock, maintenanceIntervalMs: 0, pruneIntervalMs: 0 }) : new MemoryAuditLog({ clock });
  cleanups.push(() => log.close());
  const exports = kind === 'file' ? await AuditExportService.open(tempDir(), log, { clock, scheduler, random: () => 0.5 }) : AuditExportService.inMemory(log, { clock, scheduler, random: () => 0.5 });
  cleanups.push(() => exports.close());
  // 30 hours of events, one an hour; names that need CSV quoting; one with a raw key.
  for (let h = 30; h >= 1; h -= 1) {
    log.record(sampleEvent({ occurred_at: new Date(START - h * HOUR).toISOString(), actor: { type: 'api_key', id: KEY_A, name: `Pipeline, "prod"\nline ${h}` }, user_agent: h === 5 ? `leak ${RAW_KEY}` : 'curl/8' }));
  }
  log.record(sampleEvent({ workspace_id: WS2, occurred_at: new Date(START - HOUR).toISOString() }));
  return { clock, scheduler, hook, log, exports };
}

describe.each(['file', 'memory'] as const)('%s audit exports to a webhook', (kind) => {
  it('delivers the filtered events as one signed POST and records the outcome', async () => {
    const { hook, log, exports } = await setup(kind);
    const created = await exports.create(WS, { format: 'csv', destination_url: hook.url, filters: { range: '24h' } });
    expect(created).toMatchObject({ id: expect.stringMatching(/^exp_[0-9A-Za-z]{22}$/), workspace_id: WS, format: 'csv', status: 'pending', attempts: 0, event_count: null, error: null, completed_at: null, filters: { range: '24h' } });
    // Recorded after the export was accepted: not part of it.
    log.record(sampleEvent({ occurred_at: new Date(START + 1000).toISOString() }));
    await exports.idle();
    expect(hook.requests).toHaveLength(1);
    const request = hook.requests[0]!;
    expect(request.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(request.headers['tessera-delivery']).toBe(created.id);
    expect(request.headers['tessera-event-count']).toBe('24');
    const verdict = verifyWebhookSignature(exports.signingSecret(WS), request.headers['tessera-signature'] as string, request.body, { now: START });
    expect(verdict.valid).toBe(true);
    const rows = parseCsv(request.body);
    expect(rows).toHaveLength(25);
    expect(rows[1]![5]).toBe('Pipeline, "prod"\nline 24');
    expect(request.body).not.toContain(RAW_KEY);
    expect(await exports.get(WS, created.id)).toMatchObject({ status: 'succeeded', attempts: 1, event_count: 24, error: null, completed_at: new Date(START).toISOString() });
    await expect(exports.get(WS2, created.id)).rejects.toMatchObject({ kind: 'not_found', code: 'audit_export_not_found' });
    expect((await exports.list(WS)).data.map((e) => e.id)).toEqual([created.id]);
  });

  it('retries after a failure with backoff and sends the same body again', async () => {
    const { hook, exports, scheduler } = await setup(kind, (_r, i) => (i === 0 ? 500 : 200));
    const created = await exports.create(WS, { format: 'ndjson', destination_url: hook.url, filters: { event_type: ['api_key.used'] } });
    await exports.idle();
    expect(await exports.get(WS, created.id)).toMatchObject({ status: 'pending', attempts: 1, error: 'HTTP 500 Internal Server Error', event_count: 30 });
    scheduler.advance(10_000);
    await exports.idle();
    expect(hook.requests).toHaveLength(2);
    expect(hook.requests[1]!.body).toBe(hook.requests[0]!.body);
    const lines = hook.requests[1]!.body.trimEnd().split('\n').map((l) => JSON.parse(l) as AuditEvent);
    expect(lines).toHaveLength(30);
    expect(Date.parse(lines[0]!.occurred_at)).toBeLessThan(Date.parse(lines[1]!.occurred_at));
    expect(await exports.get(WS, created.id)).toMatchObject({ status: 'succeeded', attempts: 2, error: null });
  });

  it('validates before accepting', async () => {
    const { exports } = await setup(kind);
    await expect(exports.create(WS, { format: 'csv', destination_url: 'ftp://x.example/', filters: {} })).rejects.toMatchObject({ code: 'invalid_webhook_url' });
    await expect(exports.create(WS, { format: 'csv', destination_url: 'https://u:p@x.example/' })).rejects.toMatchObject({ code: 'invalid_webhook_url' });
    await expect(exports.create(WS, { format: 'csv', destination_url: 'https://x.example/', filters: { range: '7d', from: '2026-03-01T00:00:00Z' } })).rejects.toMatchObject({ code: 'invalid_time_range' });
    await expect(exports.create(WS, { format: 'xml' as never, destination_url: 'https://x.example/' })).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

describe('export helpers', () => {
  it('names the download', () => {
    expect(exportFileName('csv', new Date(START))).toBe('tessera-audit-2026-03-19.csv');
    expect(exportFileName('ndjson', new Date(START))).toBe('tessera-audit-2026-03-19.ndjson');
  });
});
