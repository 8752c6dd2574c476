import { afterEach, describe, expect, it } from 'vitest';
import type { StoreReader } from '../data/store.js';
import type { ApiKeyRecord } from '../domain/model.js';
import { KEY_A, KEY_B, MEMBER, RAW_KEY, RAW_WHSEC, sampleEvent, WS, WS2 } from '../audit/test-support.js';
import type { AuditEventInput } from '../audit/types.js';
import { ManualClock } from '../traffic/clock.js';
import { AlertEngine, type AlertEngineOptions } from './engine.js';
import { AlertService, type AlertPayload, type CreateAlertSubscriptionInput } from './service.js';
import { verifyWebhookSignature } from './signature.js';
import { startReceiver, type Receiver } from './test-receiver.js';
import { ManualScheduler } from './timers.js';

const START = Date.UTC(2026, 2, 19, 14);
const MIN = 60_000;
const DAY = 86_400_000;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Harness {
  clock: ManualClock;
  service: AlertService;
  engine: AlertEngine;
  hook: Receiver;
  subscribe(input: Partial<CreateAlertSubscriptionInput> & Pick<CreateAlertSubscriptionInput, 'events'>, ws?: string): Promise<{ id: string; secret: string }>;
  /** Payloads received so far (after letting deliveries run). */
  received(): Promise<AlertPayload[]>;
}

async function harness(options: AlertEngineOptions = {}): Promise<Harness> {
  const clock = new ManualClock(START);
  const hook = await startReceiver();
  cleanups.push(() => hook.close());
  const service = AlertService.inMemory({ clock, scheduler: new ManualScheduler(clock), random: () => 0.5 });
  cleanups.push(() => service.close());
  const engine = new AlertEngine(service, { clock, ...options });
  return {
    clock,
    service,
    engine,
    hook,
    subscribe: (input, ws = WS) => service.create(ws, { url: hook.url, ...input }),
    received: async () => {
      await service.idle();
      return hook.requests.map((r) => JSON.parse(r.body) as AlertPayload);
    },
  };
}

const failed = (at: number, extra: Partial<AuditEventInput> = {}) =>
  sampleEvent({ type: 'api_key.failed_auth', occurred_at: new Date(at).toISOString(), actor: { type: 'anonymous', id: null, name: null }, target: null, status: 401, details: { code: 'invalid_api_key' }, ...extra });
const used = (at: number, key = KEY_A, ws = WS) => sampleEvent({ workspace_id: ws, occurred_at: new Date(at).toISOString(), actor: { type: 'api_key', id: key, name: 'k' }, target: { type: 'api_key', id: key, name: 'k' } });

describe('api_key.created alerts', () => {
  it('fire for enabled subscriptions to the event in the workspace only, signed, without raw keys', async () => {
    const h = await harness();
    const wanted = await h.subscribe({ events: ['api_key.created'] });
    await h.subscribe({ events: ['auth.failed_burst'] });
    const disabled = await h.subscribe({ events: ['api_key.created'] });
    await h.service.update(WS, disabled.id, { enabled: false });
    await h.subscribe({ events: ['api_key.created'] }, WS2);
    h.engine.record(
      sampleEvent({
        type: 'api_key.created',
        actor: { type: 'member', id: MEMBER, name: 'Ada' },
        target: { type: 'api_key', id: KEY_B, name: `CI ${RAW_KEY}` },
        status: 201,
        details: { scopes: ['runs.read'], environment: 'live', key_prefix: 'sk_live_A1b2', leaked: RAW_KEY, also: RAW_WHSEC },
      }),
    );
    h.engine.record(used(START)); // not a creation
    const payloads = await h.received();
    expect(payloads).toHaveLength(1);
    expect(payloads[0]).toMatchObject({
      event: 'api_key.created',
      workspace_id: WS,
      subscription_id: wanted.id,
      data: { key: { id: KEY_B, name: 'CI [redacted]', scopes: ['runs.read'], environment: 'live', key_prefix: 'sk_live_A1b2' }, actor: { type: 'member', id: MEMBER } },
    });
    const raw = h.hook.requests[0]!;
    expect(raw.body).not.toContain(RAW_KEY);
    expect(raw.body).not.toContain(RAW_WHSEC);
    expect(raw.headers['tessera-event']).toBe('api_key.created');
    expect(verifyWebhookSignature(wanted.secret, raw.headers['tessera-signature'] as string, raw.body, { now: START }).valid).toBe(true);
  });
});

describe('auth.failed_burst alerts', () => {
  it('fire once when the threshold is reached within the window, then once per window', async () => {
    const h = await harness();
    await h.subscribe({ events: ['auth.failed_burst'], failed_auth_threshold: { count: 3, window_seconds: 60 } });
    h.engine.record(failed(START));
    h.engine.record(failed(START + 10_000));
    expect(await h.received()).toHaveLength(0);
    h.engine.record(failed(START + 20_000, { ip: '198.51.100.9' }));
    let payloads = await h.received();
    expect(payloads).toHaveLength(1);
    expect(payloads[0]!.data).toMatchObject({ count: 3, window_seconds: 60, first_at: new Date(START).toISOString(), last_at: new Date(START + 20_000).toISOString() });
    expect((payloads[0]!.data.recent as unknown[])[0]).toMatchObject({ ip: '198.51.100.9', code: 'invalid_api_key' });
    // The burst goes on: quiet for the rest of the window.
    for (let s = 21; s < 80; s += 5) h.engine.record(failed(START + s * 1000));
    expect(await h.received()).toHaveLength(1);
    // A window later, still bursting: one more.
    h.engine.record(failed(START + 80_000));
    payloads = await h.received();
    expect(payloads).toHaveLength(2);
  });

  it('do not fire for failures spread wider than the window, nor for other workspaces', async () => {
    const h = await harness();
    await h.subscribe({ events: ['auth.failed_burst'], failed_auth_threshold: { count: 3, window_seconds: 60 } });
    for (let i = 0; i < 10; i += 1) h.engine.record(failed(START + i * 30_000)); // 2 per minute
    for (let i = 0; i < 10; i += 1) h.engine.record(failed(START + i, { workspace_id: WS2 }));
    expect(await h.received()).toHaveLength(0);
  });

  it('apply each subscription its own threshold', async () => {
    const h = await harness();
    const low = await h.subscribe({ events: ['auth.failed_burst'], failed_auth_threshold: { count: 2, window_seconds: 10 } });
    const high = await h.subscribe({ events: ['auth.failed_burst'], failed_auth_threshold: { count: 5, window_seconds: 300 } });
    for (let i = 0; i < 5; i += 1) h.engine.record(failed(START + i * 20_000));
    const payloads = await h.received();
    expect(payloads.filter((p) => p.subscription_id === high.id)).toHaveLength(1);
    expect(payloads.filter((p) => p.subscription_id === low.id)).toHaveLength(0);
  });
});

describe('api_key.usage_anomaly alerts', () => {
  /** `perMinute` requests in each of `minutes` minutes starting at `from`. */
  const traffic = (h: Harness, from: number, minutes: number, perMinute: number, key = KEY_A) => {
    for (let m = 0; m < minutes; m += 1) for (let i = 0; i < perMinute; i += 1) h.engine.record(used(from + m * MIN + Math.floor((i * MIN) / perMinute), key));
  };

  it('fire when a key runs far above its baseline, once per cooldown', async () => {
    const h = await harness();
    await h.subscribe({ events: ['api_key.usage_anomaly'], anomaly_factor: 5 });
    traffic(h, START, 20, 12); // a steady 12 a minute
    expect(await h.received()).toHaveLength(0);
    traffic(h, START + 20 * MIN, 1, 200); // a spike
    const payloads = await h.received();
    expect(payloads).toHaveLength(1);
    expect(payloads[0]!.data).toMatchObject({ key: { id: KEY_A }, anomaly_factor: 5, observed_minutes: 20 });
    expect(payloads[0]!.data.baseline_per_minute).toBeCloseTo(12, 0);
    expect(payloads[0]!.data.requests_last_minute as number).toBeGreaterThanOrEqual(60);
    traffic(h, START + 21 * MIN, 5, 300); // still spiking, within the cooldown
    expect(await h.received()).toHaveLength(1);
  });

  it('do not fire for steady traffic, a new key, a modest rise or another key', async () => {
    const h = await harness();
    await h.subscribe({ events: ['api_key.usage_anomaly'], anomaly_factor: 5 });
    traffic(h, START, 3, 500, KEY_B); // a new key, busy from its first minute: warming up
    traffic(h, START, 30, 100); // steady and busy
    traffic(h, START + 30 * MIN, 2, 300); // 3x, under the factor
    expect(await h.received()).toHaveLength(0);
  });

  it('use the floor for a mostly idle key', async () => {
    const h = await harness();
    await h.subscribe({ events: ['api_key.usage_anomaly'], anomaly_factor: 2 });
    traffic(h, START, 10, 1); // 1 a minute: the floor (10/min) applies
    traffic(h, START + 10 * MIN, 1, 15); // 15 < 2 x 10
    expect(await h.received()).toHaveLength(0);
    traffic(h, START + 11 * MIN, 1, 25); // 25 >= 2 x 10
    expect(await h.received()).toHaveLength(1);
  });
});

describe('api_key.expiring alerts', () => {
  function key(id: string, expiresInMs: number | null, status: ApiKeyRecord['status'] = 'active', ws = WS): ApiKeyRecord {
    return {
      id,
      workspace_id: ws,
      name: `Key ${id}`,
      description: null,
      environment: 'live',
      key_digest: 'x'.repeat(64),
      key_prefix: 'sk_live_abcd',
      last_four: 'abcd',
      scopes: [],
      roles: [],
      status,
      expires_at: expiresInMs === null ? null : new Date(START + expiresInMs).toISOString(),
      rate_limit: null,
      metadata: {},
      created_by: MEMBER,
      created_by_key: null,
      created_at: new Date(START - 100 * DAY).toISOString(),
      updated_at: new Date(START - 100 * DAY).toISOString(),
      rotated_from: null,
      rotated_to: null,
      disabled_at: null,
      revoked_at: null,
    };
  }

  it('fire once per key and expiry for active keys inside the warning window', async () => {
    const keys: ApiKeyRecord[] = [
      key('key_soon', 3 * DAY),
      key('key_later', 10 * DAY),
      key('key_never', null),
      key('key_revoked', 2 * DAY, 'revoked'),
      key('key_disabled', 2 * DAY, 'disabled'),
      key('key_expired', -DAY),
    ];
    const store = { forEachApiKey: async (ws: string, visit: (k: ApiKeyRecord) => void) => keys.filter((k) => k.workspace_id === ws).forEach(visit) } as unknown as StoreReader;
    const h = await harness({ store });
    const sub = await h.subscribe({ events: ['api_key.expiring'], expiry_warning_days: 7 });
    await h.subscribe({ events: ['api_key.created'] });
    expect(await h.engine.checkExpiring(START)).toBe(1);
    let payloads = await h.received();
    expect(payloads).toHaveLength(1);
    expect(payloads[0]).toMatchObject({ event: 'api_key.expiring', subscription_id: sub.id, data: { key: { id: 'key_soon', expires_at: keys[0]!.expires_at }, days_remaining: 3, expiry_warning_days: 7 } });
    expect(await h.engine.checkExpiring(START + 3600_000)).toBe(0); // already warned
    // Four days later key_later is inside the window.
    expect(await h.engine.checkExpiring(START + 4 * DAY)).toBe(1);
    // Renewing key_soon re-arms it.
    keys[0] = { ...keys[0]!, expires_at: new Date(START + 5 * DAY).toISOString() };
    expect(await h.engine.checkExpiring(START + 4 * DAY)).toBe(1);
    payloads = await h.received();
    expect(payloads.map((p) => (p.data.key as { id: string }).id)).toEqual(['key_soon', 'key_later', 'key_soon']);
    // A disabled subscription gets nothing.
    await h.service.update(WS, sub.id, { enabled: false });
    keys.push(key('key_new', DAY));
    expect(await h.engine.checkExpiring(START)).toBe(0);
  });
});
