/** The sinks together, fed the way the HTTP layer feeds them: counts agree, and no raw key leaks anywhere. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertEngine } from '../alerts/engine.js';
import { AlertService } from '../alerts/service.js';
import { startReceiver } from '../alerts/test-receiver.js';
import { ManualScheduler } from '../alerts/timers.js';
import { useTempDir } from '../storage/test-support.js';
import { ManualClock } from '../traffic/clock.js';
import { UsageCounters } from '../usage/counters.js';
import { createMetricsRegistry, metricsText, PrometheusEventSink } from '../usage/prometheus.js';
import { AuditLog } from './audit-log.js';
import { AuditExportService } from './export-service.js';
import { combineSinks } from './sinks.js';
import { KEY_A, KEY_B, MEMBER, RAW_KEY, RAW_PAT, RAW_WHSEC, sampleEvent, WS } from './test-support.js';
import type { AuditEventInput } from './types.js';

const tempDir = useTempDir('tessera-audit-int-');
const START = Date.UTC(2026, 2, 19, 9);
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await allFiles(full)));
    else out.push(full);
  }
  return out;
}

describe('audit, usage, alerts and Prometheus fed together', () => {
  it('agree on the counts and never store or send a raw key', async () => {
    const dataDir = tempDir();
    const clock = new ManualClock(START);
    const scheduler = new ManualScheduler(clock);
    const hook = await startReceiver();
    cleanups.push(() => hook.close());
    const audit = await AuditLog.open(dataDir, { clock, maintenanceIntervalMs: 0, pruneIntervalMs: 0 });
    cleanups.push(() => audit.close());
    const usage = await UsageCounters.open(dataDir, { clock });
    cleanups.push(() => usage.close());
    const alerts = await AlertService.open(dataDir, { clock, scheduler });
    cleanups.push(() => alerts.close());
    const exports = await AuditExportService.open(dataDir, audit, { clock, scheduler });
    cleanups.push(() => exports.close());
    const metrics = createMetricsRegistry();
    const engine = new AlertEngine(alerts, { clock });
    const sink = combineSinks(audit, usage, engine, new PrometheusEventSink(metrics));
    const sub = await alerts.create(WS, { url: hook.url, events: ['api_key.created', 'auth.failed_burst'], failed_auth_threshold: { count: 2, window_seconds: 60 } });

    const t = (s: number) => new Date(START + s * 1000).toISOString();
    const key = (id: string, name: string) => ({ type: 'api_key' as const, id, name });
    const events: AuditEventInput[] = [
      // A member creates a key; the domain's details accidentally carry the raw key.
      sampleEvent({ type: 'api_key.created', occurred_at: t(0), actor: { type: 'member', id: MEMBER, name: 'Ada' }, target: key(KEY_A, 'CI'), status: 201, details: { key: RAW_KEY, scopes: ['runs.read'] } }),
      // Requests authenticated by the key.
      ...[1, 2, 3].map((s) => sampleEvent({ occurred_at: t(s), actor: key(KEY_A, 'CI'), target: key(KEY_A, 'CI'), status: 200, path: '/v1/me' })),
      sampleEvent({ occurred_at: t(4), actor: key(KEY_A, 'CI'), target: key(KEY_A, 'CI'), status: 403, path: `/v1/workspaces/${WS}/roles` }),
      // The key verifies another key: a use of each.
      sampleEvent({ occurred_at: t(5), actor: key(KEY_A, 'CI'), target: key(KEY_A, 'CI'), status: 200, path: '/v1/keys/verify' }),
      sampleEvent({ occurred_at: t(5), actor: key(KEY_A, 'CI'), target: key(KEY_B, 'Svc'), status: 200, path: '/v1/keys/verify', details: { verify_code: 'valid' } }),
      // A verification of a revoked key, and two failed authentications (one with a token in the header echo).
      sampleEvent({ type: 'api_key.failed_auth', occurred_at: t(6), actor: key(KEY_A, 'CI'), target: key(KEY_B, 'Svc'), status: 200, path: '/v1/keys/verify', details: { verify_code: 'revoked' } }),
      sampleEvent({ type: 'api_key.failed_auth', occurred_at: t(7), actor: { type: 'anonymous', id: null, name: null }, target: null, status: 401, user_agent: `sdk ${RAW_PAT}`, details: { code: 'invalid_api_key' } }),
      // Rate limited: a 429, and a verification answered rate_limited.
      sampleEvent({ type: 'api_key.rate_limited', occurred_at: t(8), actor: key(KEY_A, 'CI'), target: key(KEY_A, 'CI'), status: 429 }),
      sampleEvent({ type: 'api_key.rate_limited', occurred_at: t(9), actor: key(KEY_A, 'CI'), target: key(KEY_B, 'Svc'), status: 200, details: { verify_code: 'rate_limited', note: RAW_WHSEC } }),
    ];
    for (const event of events) sink.record(event);

    // Usage counters match the audit log.
    const audited = (await audit.list(WS, {}, { limit: 100 })).data;
    expect(audited).toHaveLength(events.length);
    const count = (type: string, keyId?: string) => audited.filter((e) => e.type === type && (keyId === undefined || (e.target?.type === 'api_key' ? e.target.id : e.actor.id) === keyId)).length;
    const totals = usage.query(WS, { start: '2026-03-19', end: '2026-03-19' }).totals;
    expect(totals).toMatchObject({ used: count('api_key.used'), failed_auth: count('api_key.failed_auth'), rate_limited: count('api_key.rate_limited') });
    expect(totals).toEqual({ used: 6, failed_auth: 2, rate_limited: 2, by_status: { '200': 7, '403': 1, '401': 1, '429': 1 } });
    expect(usage.query(WS, { start: '2026-03-19', end: '2026-03-19', key_id: KEY_B }).totals).toMatchObject({ used: count('api_key.used', KEY_B), failed_auth: 1, rate_limited: 1 });
    const text = await metricsText(metrics);
    expect(text).toContain('tessera_rate_limited_total{source="request"} 1');
    expect(text).toContain('tessera_rate_limited_total{source="verify"} 1');

    // Alerts: one for the new key, one burst (2 failures within 60 s).
    await alerts.idle();
    expect(hook.requests.map((r) => r.headers['tessera-event'])).toEqual(['api_key.created', 'auth.failed_burst']);

    // An export delivered to the webhook, and every download format.
    await exports.create(WS, { format: 'cef', destination_url: hook.url });
    await exports.idle();
    const downloads = await Promise.all((['csv', 'ndjson', 'cef'] as const).map((format) => new Response(audit.exportStream(WS, {}, format)).text()));

    // Nothing anywhere holds a raw secret.
    await audit.flush();
    await usage.flush();
    const bodies = [...hook.requests.map((r) => r.body), ...downloads, JSON.stringify(audited)];
    const files = await Promise.all((await allFiles(dataDir)).map((file) => readFile(file, 'utf8')));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const text of [...bodies, ...files]) {
      expect(text).not.toContain(RAW_KEY);
      expect(text).not.toContain(RAW_PAT);
      expect(text).not.toContain(RAW_WHSEC);
    }
    expect(hook.requests).toHaveLength(3);
    expect(sub.secret).toMatch(/^whsec_/);
  });
});
