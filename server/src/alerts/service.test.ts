import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RAW_KEY, WS, WS2 } from '../audit/test-support.js';
import { useTempDir } from '../storage/test-support.js';
import { ManualClock } from '../traffic/clock.js';
import { AlertService, type AlertServiceOptions } from './service.js';
import { verifyWebhookSignature } from './signature.js';
import { closedPortUrl, startReceiver, type Receiver } from './test-receiver.js';
import { ManualScheduler } from './timers.js';
import { isPrivateAddress, validateWebhookUrl } from './url.js';

const tempDir = useTempDir('tessera-alerts-');
const START = Date.UTC(2026, 2, 19, 14);
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function receiver(respond?: Receiver['respond']): Promise<Receiver> {
  const r = await startReceiver(respond);
  cleanups.push(() => r.close());
  return r;
}

function setup(options: AlertServiceOptions = {}) {
  const clock = new ManualClock(START);
  const scheduler = new ManualScheduler(clock);
  const service = AlertService.inMemory({ clock, scheduler, random: () => 0.5, ...options });
  cleanups.push(() => service.close());
  return { clock, scheduler, service };
}

describe('webhook URLs', () => {
  it('accepts http(s) and refuses other schemes, credentials and fragments', () => {
    expect(validateWebhookUrl('https://hooks.example.com/tessera').href).toBe('https://hooks.example.com/tessera');
    expect(validateWebhookUrl('http://127.0.0.1:8080/x').hostname).toBe('127.0.0.1');
    for (const bad of ['ftp://example.com/x', 'file:///etc/passwd', 'javascript:alert(1)', 'https://user:pass@example.com/', 'https://token@example.com/', 'https://example.com/#frag', 'not a url', '', `https://example.com/${'a'.repeat(2048)}`]) {
      expect(() => validateWebhookUrl(bad), bad).toThrowError(expect.objectContaining({ code: 'invalid_webhook_url', kind: 'unprocessable' }));
    }
  });

  it('refuses private targets only when told to', () => {
    for (const url of ['http://127.0.0.1/', 'http://localhost:3000/', 'http://10.1.2.3/', 'http://192.168.0.1/', 'http://169.254.169.254/latest', 'http://[::1]/', 'http://[fd00::1]/', 'http://[::ffff:10.0.0.1]/', 'http://0.0.0.0/']) {
      expect(() => validateWebhookUrl(url)).not.toThrow();
      expect(() => validateWebhookUrl(url, { allowPrivateTargets: false }), url).toThrow(/private or local/);
    }
    expect(() => validateWebhookUrl('https://93.184.216.34/x', { allowPrivateTargets: false })).not.toThrow();
    expect(isPrivateAddress('172.16.5.4')).toBe(true);
    expect(isPrivateAddress('172.32.0.1')).toBe(false);
    expect(isPrivateAddress('2606:4700::1111')).toBe(false);
  });
});

describe('alert subscriptions', () => {
  it('returns the signing secret once, never again, and applies the spec defaults', async () => {
    const { service } = setup();
    const created = await service.create(WS, { url: 'https://hooks.example.com/tessera', events: ['api_key.created'] });
    expect(created.secret).toMatch(/^whsec_[0-9A-Za-z]{32}$/);
    expect(created).toMatchObject({
      id: expect.stringMatching(/^sub_[0-9A-Za-z]{22}$/),
      workspace_id: WS,
      description: null,
      enabled: true,
      expiry_warning_days: 7,
      failed_auth_threshold: { count: 10, window_seconds: 300 },
      anomaly_factor: 5,
      created_at: new Date(START).toISOString(),
    });
    const got = await service.get(WS, created.id);
    expect(got).not.toHaveProperty('secret');
    expect(JSON.stringify(await service.list(WS))).not.toContain(created.secret);
    const updated = await service.update(WS, created.id, { enabled: false, description: 'Security', anomaly_factor: 10 });
    expect(updated).toMatchObject({ enabled: false, description: 'Security', anomaly_factor: 10 });
    expect(updated).not.toHaveProperty('secret');
  });

  it('isolates workspaces, validates input and records audit events', async () => {
    const { service } = setup();
    const events: Array<{ type: string }> = [];
    const created = await service.create(WS, { url: 'https://hooks.example.com/a', events: ['api_key.created', 'auth.failed_burst'], description: 'Sec' }, { events: events as never });
    await expect(service.get(WS2, created.id)).rejects.toMatchObject({ kind: 'not_found', code: 'alert_subscription_not_found' });
    await expect(service.update(WS2, created.id, { enabled: false })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(service.delete(WS2, created.id)).rejects.toMatchObject({ kind: 'not_found' });
    expect((await service.list(WS2)).data).toEqual([]);
    await expect(service.create(WS, { url: 'https://x.example/', events: [] })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(service.create(WS, { url: 'https://x.example/', events: ['api_key.created', 'api_key.created'] })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(service.create(WS, { url: 'https://x.example/', events: ['nope' as never] })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(service.create(WS, { url: 'https://x.example/', events: ['api_key.created'], anomaly_factor: 1 })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(service.create(WS, { url: 'https://x.example/', events: ['api_key.created'], failed_auth_threshold: { count: 0, window_seconds: 5 } })).rejects.toMatchObject({
      extras: { errors: [expect.objectContaining({ field: 'failed_auth_threshold.count' }), expect.objectContaining({ field: 'failed_auth_threshold.window_seconds' })] },
    });
    await expect(service.create(WS, { url: 'ftp://x.example/', events: ['api_key.created'] })).rejects.toMatchObject({ code: 'invalid_webhook_url' });
    await service.update(WS, created.id, { events: ['api_key.expiring'] }, { events: events as never });
    await service.delete(WS, created.id, { events: events as never });
    await expect(service.get(WS, created.id)).rejects.toMatchObject({ kind: 'not_found' });
    expect(events.map((e) => e.type)).toEqual(['alert_subscription.created', 'alert_subscription.updated', 'alert_subscription.deleted']);
    expect(JSON.stringify(events)).not.toContain('whsec_');
  });

  it('pages subscriptions', async () => {
    const { service, clock } = setup();
    for (let i = 0; i < 5; i += 1) {
      clock.advance(1000);
      await service.create(WS, { url: `https://x.example/${i}`, events: ['api_key.created'] });
    }
    const first = await service.list(WS, { limit: 3 });
    expect(first.has_more).toBe(true);
    const second = await service.list(WS, { limit: 3, cursor: first.next_cursor! });
    expect([...first.data, ...second.data].map((s) => s.url)).toEqual([0, 1, 2, 3, 4].map((i) => `https://x.example/${i}`));
    expect(second.has_more).toBe(false);
  });
});

describe('deliveries', () => {
  it('sends a signed test delivery to a local receiver and records it', async () => {
    const hook = await receiver();
    const { service } = setup();
    const sub = await service.create(WS, { url: hook.url, events: ['api_key.created'] });
    const queued = await service.sendTest(WS, sub.id);
    expect(queued).toMatchObject({ id: expect.stringMatching(/^dlv_[0-9A-Za-z]{22}$/), subscription_id: sub.id, event: 'alert.test', status: 'pending', attempts: 0 });
    await service.idle();
    expect(hook.requests).toHaveLength(1);
    const request = hook.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/hooks/tessera');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['tessera-event']).toBe('alert.test');
    expect(request.headers['tessera-delivery']).toBe(queued.id);
    const signature = request.headers['tessera-signature'] as string;
    expect(signature).toMatch(new RegExp(`^t=${Math.floor(START / 1000)},v1=[0-9a-f]{64}$`));
    expect(verifyWebhookSignature(sub.secret, signature, request.body, { now: START })).toEqual({ valid: true, timestamp: Math.floor(START / 1000) });
    expect(verifyWebhookSignature('whsec_wrong', signature, request.body, { now: START }).valid).toBe(false);
    expect(JSON.parse(request.body)).toMatchObject({ id: queued.id, event: 'alert.test', workspace_id: WS, subscription_id: sub.id, data: { message: expect.any(String) } });
    const [delivery] = (await service.listDeliveries(WS, sub.id)).data;
    expect(delivery).toEqual({ ...queued, status: 'succeeded', attempts: 1, last_status_code: 200, last_error: null, delivered_at: new Date(START).toISOString(), next_attempt_at: null });
  });

  it('retries after a 500 with backoff, signing each attempt afresh', async () => {
    const hook = await receiver((_req, i) => (i === 0 ? 500 : 200));
    const { service, scheduler, clock } = setup();
    const sub = await service.create(WS, { url: hook.url, events: ['api_key.created'] });
    const { id } = await service.sendTest(WS, sub.id);
    await service.idle();
    expect(await service.getDelivery(WS, id)).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500, last_error: 'HTTP 500 Internal Server Error', next_attempt_at: new Date(START + 10_000).toISOString(), delivered_at: null });
    expect(service.scheduledRetries).toBe(1);
    scheduler.advance(9_999);
    await service.idle();
    expect(hook.requests).toHaveLength(1);
    scheduler.advance(1);
    await service.idle();
    expect(hook.requests).toHaveLength(2);
    expect(await service.getDelivery(WS, id)).toMatchObject({ status: 'succeeded', attempts: 2, last_status_code: 200, last_error: null, delivered_at: new Date(clock.now()).toISOString(), next_attempt_at: null });
    expect(hook.requests[1]!.body).toBe(hook.requests[0]!.body);
    const second = hook.requests[1]!.headers['tessera-signature'] as string;
    expect(second.startsWith(`t=${Math.floor((START + 10_000) / 1000)},`)).toBe(true);
    expect(verifyWebhookSignature(sub.secret, second, hook.requests[1]!.body, { now: clock.now() }).valid).toBe(true);
  });

  it('gives up after the last attempt, with exponential delays', async () => {
    const hook = await receiver(() => 503);
    const { service, scheduler, clock } = setup({ retry: { maxAttempts: 4, baseDelayMs: 1000, jitter: 0 } });
    const sub = await service.create(WS, { url: hook.url, events: ['api_key.created'] });
    const { id } = await service.sendTest(WS, sub.id);
    await service.idle();
    const times: number[] = [clock.now()];
    for (let i = 0; i < 10 && scheduler.pending > 0; i += 1) {
      scheduler.runNext();
      await service.idle();
      times.push(clock.now());
    }
    expect(hook.requests).toHaveLength(4);
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual([1000, 2000, 4000]);
    expect(await service.getDelivery(WS, id)).toMatchObject({ status: 'failed', attempts: 4, last_status_code: 503, next_attempt_at: null, delivered_at: null });
    expect(service.scheduledRetries).toBe(0);
  });

  it('records connection failures', async () => {
    const { service } = setup({ retry: { maxAttempts: 1 } });
    const sub = await service.create(WS, { url: await closedPortUrl(), events: ['api_key.created'] });
    const { id } = await service.sendTest(WS, sub.id);
    await service.idle();
    const delivery = await service.getDelivery(WS, id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, last_status_code: null });
    expect(delivery.last_error).toMatch(/ECONNREFUSED|fetch failed/);
  });

  it('does not follow redirects', async () => {
    const hook = await receiver(() => 302);
    const { service } = setup({ retry: { maxAttempts: 1 } });
    const sub = await service.create(WS, { url: hook.url, events: ['api_key.created'] });
    const { id } = await service.sendTest(WS, sub.id);
    await service.idle();
    expect(await service.getDelivery(WS, id)).toMatchObject({ status: 'failed', last_status_code: 302 });
    expect(hook.requests).toHaveLength(1);
  });

  it('refuses to deliver to private targets when configured so, checked again at delivery', async () => {
    const { service } = setup({ allowPrivateTargets: false, retry: { maxAttempts: 1 }, lookup: async () => ['10.0.0.7'] });
    await expect(service.create(WS, { url: 'http://127.0.0.1:9/x', events: ['api_key.created'] })).rejects.toMatchObject({ code: 'invalid_webhook_url' });
    const sub = await service.create(WS, { url: 'https://rebinding.example/x', events: ['api_key.created'] });
    const { id } = await service.sendTest(WS, sub.id);
    await service.idle();
    expect(await service.getDelivery(WS, id)).toMatchObject({ status: 'failed', last_status_code: null, last_error: expect.stringMatching(/private address/) });
  });

  it('stops retrying when the subscription is deleted or disabled', async () => {
    const hook = await receiver(() => 500);
    const { service, scheduler } = setup();
    const a = await service.create(WS, { url: hook.url, events: ['api_key.created'] });
    const b = await service.create(WS, { url: hook.url, events: ['api_key.created'] });
    service.fire((service as unknown as { subscriptionsFor: AlertService['subscriptionsFor'] }).subscriptionsFor(WS, 'api_key.created').find((s) => s.id === b.id)!, 'api_key.created', { key: { id: 'key_x' } });
    await service.sendTest(WS, a.id);
    await service.idle();
    expect(hook.requests).toHaveLength(2);
    await service.delete(WS, a.id);
    await service.update(WS, b.id, { enabled: false });
    scheduler.advance(3_600_000);
    await service.idle();
    expect(hook.requests).toHaveLength(2);
    const [delivery] = (await service.listDeliveries(WS, b.id)).data;
    expect(delivery).toMatchObject({ status: 'failed', last_error: 'The subscription is disabled.' });
  });

  it('keeps its state in alerts.json and resumes pending deliveries after a restart', async () => {
    let fail = true;
    const hook = await receiver(() => (fail ? 500 : 204));
    const clock = new ManualClock(START);
    const first = await AlertService.open(tempDir(), { clock, scheduler: new ManualScheduler(clock), random: () => 0.5 });
    const sub = await first.create(WS, { url: hook.url, events: ['api_key.created'], description: `has ${RAW_KEY}?` });
    const { id } = await first.sendTest(WS, sub.id);
    await first.idle();
    await first.close();
    const file = await readFile(path.join(tempDir(), 'alerts.json'), 'utf8');
    expect(file).toContain(sub.secret); // needed to sign, so stored (mode 0600)
    fail = false;
    const scheduler = new ManualScheduler(clock);
    const second = await AlertService.open(tempDir(), { clock, scheduler, random: () => 0.5 });
    cleanups.push(() => second.close());
    expect(await second.getDelivery(WS, id)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(scheduler.pending).toBe(1);
    scheduler.advance(10_000);
    await second.idle();
    expect(await second.getDelivery(WS, id)).toMatchObject({ status: 'succeeded', attempts: 2, last_status_code: 204 });
  });

  it('keeps the newest deliveries per subscription', async () => {
    const hook = await receiver();
    const { service, clock } = setup({ maxDeliveriesPerSubscription: 3 });
    const sub = await service.create(WS, { url: hook.url, events: ['api_key.created'] });
    for (let i = 0; i < 5; i += 1) {
      clock.advance(1000);
      await service.sendTest(WS, sub.id);
      await service.idle();
    }
    const page = await service.listDeliveries(WS, sub.id);
    expect(page.data).toHaveLength(3);
    expect(page.data.map((d) => d.created_at)).toEqual([5, 4, 3].map((s) => new Date(START + s * 1000).toISOString()));
  });
});
