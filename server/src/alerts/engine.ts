/**
 * The alert engine: an {@link EventSink} that watches the audit events and fires deliveries.
 *
 * - `api_key.created`: on every such event.
 * - `auth.failed_burst`: when a workspace's `api_key.failed_auth` events reach
 *   `failed_auth_threshold.count` within `window_seconds` (event times). After firing, that
 *   subscription stays quiet for one window, then fires again if the burst goes on: one alert
 *   per window, never one per event.
 * - `api_key.usage_anomaly`: a key's request rate (its `api_key.used` and `api_key.rate_limited`
 *   events) over the last minute is at least `anomaly_factor` times its baseline. Definitions:
 *     - rate: events in the current minute plus the previous minute's events weighted by the part
 *       of it still inside the trailing 60 s (a sliding-window estimate);
 *     - baseline: the key's average per-minute count over the up to 60 whole minutes before the
 *       current one, counted from when the key was first seen (so a key busy since its first
 *       minute has a busy baseline, not a diluted one);
 *     - floor: the baseline is at least `baselineFloorPerMinute` (10), so a new or mostly idle key
 *       needs `factor x 10` requests a minute to fire;
 *     - warm-up: nothing fires until the key has `minHistoryMinutes` (5) minutes of history, so
 *       a new key's first requests never fire (this state is in memory: also after a restart);
 *     - cooldown: at most one alert per key per subscription per `cooldownMs` (15 min).
 * - `api_key.expiring`: `checkExpiring(now)` (run periodically with `start()`) scans the keys of
 *   subscribed workspaces and fires once per subscription, key and expiry date for active keys
 *   expiring within `expiry_warning_days` (renewing a key re-arms it).
 */
import type { StoreReader } from '../data/store.js';
import type { ApiKeyRecord } from '../domain/model.js';
import { systemClock, type Clock } from '../traffic/clock.js';
import type { AuditEventInput, EventSink } from '../audit/types.js';
import type { AlertService } from './service.js';

export interface AnomalyOptions {
  historyMinutes: number;
  minHistoryMinutes: number;
  baselineFloorPerMinute: number;
  cooldownMs: number;
}

export const DEFAULT_ANOMALY_OPTIONS: AnomalyOptions = { historyMinutes: 60, minHistoryMinutes: 5, baselineFloorPerMinute: 10, cooldownMs: 15 * 60_000 };

export interface AlertEngineOptions {
  clock?: Clock;
  /** Needed by `checkExpiring()`. */
  store?: StoreReader;
  anomaly?: Partial<AnomalyOptions>;
  onError?: (error: Error) => void;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

interface FailedAuth {
  at: number;
  ip: string | null;
  key_id: string | null;
  code: unknown;
}

/** The newest failed authentications of one workspace (as many as the largest threshold needs). */
class FailureWindow {
  #items: FailedAuth[] = [];
  #start = 0;

  push(item: FailedAuth, capacity: number): void {
    this.#items.push(item);
    const excess = this.#items.length - this.#start - capacity;
    if (excess > 0) this.#start += excess;
    if (this.#start > 1024 && this.#start * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#start);
      this.#start = 0;
    }
  }

  /** The n newest, newest first. */
  newest(n: number): FailedAuth[] {
    const out: FailedAuth[] = [];
    for (let i = this.#items.length - 1; i >= this.#start && out.length < n; i -= 1) out.push(this.#items[i]!);
    return out;
  }

  /** Time of the n-th newest (1 = newest), or undefined if fewer are kept. */
  nthNewestAt(n: number): number | undefined {
    const i = this.#items.length - n;
    return n >= 1 && i >= this.#start ? this.#items[i]!.at : undefined;
  }
}

/** Per-minute request counts of one key. */
class KeyActivity {
  readonly firstMinute: number;
  readonly #slots: Int32Array;
  readonly #slotMinute: Float64Array;
  #baselineMinute = -1;
  #baselineSum = 0;
  lastSeenMinute: number;

  constructor(minute: number, historyMinutes: number) {
    this.firstMinute = minute;
    this.lastSeenMinute = minute;
    this.#slots = new Int32Array(historyMinutes + 2);
    this.#slotMinute = new Float64Array(historyMinutes + 2).fill(-1);
  }

  add(minute: number): void {
    const i = minute % this.#slots.length;
    if (this.#slotMinute[i] !== minute) {
      this.#slotMinute[i] = minute;
      this.#slots[i] = 0;
    }
    this.#slots[i]! += 1;
    this.lastSeenMinute = minute;
  }

  count(minute: number): number {
    const i = minute % this.#slots.length;
    return this.#slotMinute[i] === minute ? this.#slots[i]! : 0;
  }

  /** Sum of the `history` minutes before `minute` (cached for the minute). */
  historySum(minute: number, history: number): number {
    if (this.#baselineMinute !== minute) {
      let sum = 0;
      for (let m = minute - history; m < minute; m += 1) sum += this.count(m);
      this.#baselineSum = sum;
      this.#baselineMinute = minute;
    }
    return this.#baselineSum;
  }
}

export class AlertEngine implements EventSink {
  readonly #service: AlertService;
  readonly #clock: Clock;
  readonly #store: StoreReader | undefined;
  readonly #anomaly: AnomalyOptions;
  readonly #onError: ((error: Error) => void) | undefined;
  readonly #failures = new Map<string, FailureWindow>();
  /** `"<subscription id>"` -> no burst alert before this time. */
  readonly #burstQuietUntil = new Map<string, number>();
  readonly #activity = new Map<string, KeyActivity>();
  /** `"<subscription id> <key id>"` -> no anomaly alert before this time. */
  readonly #anomalyQuietUntil = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #lastSweepMinute = 0;

  constructor(service: AlertService, options: AlertEngineOptions = {}) {
    this.#service = service;
    this.#clock = options.clock ?? systemClock;
    this.#store = options.store;
    this.#anomaly = { ...DEFAULT_ANOMALY_OPTIONS, ...options.anomaly };
    this.#onError = options.onError;
  }

  record(event: AuditEventInput): void {
    try {
      switch (event.type) {
        case 'api_key.created':
          this.#onKeyCreated(event);
          break;
        case 'api_key.failed_auth':
          this.#onFailedAuth(event);
          break;
        case 'api_key.used':
        case 'api_key.rate_limited':
          this.#onKeyRequest(event);
          break;
        default:
          break;
      }
    } catch (error) {
      // Alerting must never break the request that produced the event.
      this.#onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #timeOf(event: AuditEventInput): number {
    const ms = Date.parse(event.occurred_at);
    return Number.isNaN(ms) ? this.#clock.now() : ms;
  }

  #onKeyCreated(event: AuditEventInput): void {
    const subscriptions = this.#service.subscriptionsFor(event.workspace_id, 'api_key.created');
    if (subscriptions.length === 0 || event.target?.type !== 'api_key') return;
    const data = {
      key: { id: event.target.id, name: event.target.name, ...pick(event.details, ['environment', 'scopes', 'roles', 'expires_at', 'key_prefix']) },
      actor: event.actor,
      occurred_at: event.occurred_at,
      request_id: event.request_id,
      ip: event.ip,
    };
    for (const subscription of subscriptions) this.#service.fire(subscription, 'api_key.created', data);
  }

  #onFailedAuth(event: AuditEventInput): void {
    const subscriptions = this.#service.subscriptionsFor(event.workspace_id, 'auth.failed_burst');
    if (subscriptions.length === 0) return;
    const at = this.#timeOf(event);
    const capacity = Math.max(...subscriptions.map((s) => s.failed_auth_threshold.count));
    let window = this.#failures.get(event.workspace_id);
    if (!window) {
      window = new FailureWindow();
      this.#failures.set(event.workspace_id, window);
    }
    const keyId = event.target?.type === 'api_key' ? event.target.id : null;
    window.push({ at, ip: event.ip, key_id: keyId, code: event.details.code ?? event.details.verify_code ?? null }, capacity);
    for (const subscription of subscriptions) {
      const { count, window_seconds } = subscription.failed_auth_threshold;
      const windowMs = window_seconds * 1000;
      const oldest = window.nthNewestAt(count);
      if (oldest === undefined || at - oldest >= windowMs) continue;
      if (at < (this.#burstQuietUntil.get(subscription.id) ?? Number.NEGATIVE_INFINITY)) continue;
      this.#burstQuietUntil.set(subscription.id, at + windowMs);
      const recent = window.newest(Math.min(count, 20));
      this.#service.fire(subscription, 'auth.failed_burst', {
        count,
        window_seconds,
        first_at: new Date(oldest).toISOString(),
        last_at: new Date(at).toISOString(),
        recent: recent.map((f) => ({ occurred_at: new Date(f.at).toISOString(), ip: f.ip, key_id: f.key_id, code: f.code })),
      });
    }
  }

  #onKeyRequest(event: AuditEventInput): void {
    const keyId = event.target?.type === 'api_key' ? event.target.id : event.actor.type === 'api_key' ? event.actor.id : null;
    if (keyId === null) return;
    const at = this.#timeOf(event);
    const minute = Math.floor(at / MINUTE);
    const id = `${event.workspace_id} ${keyId}`;
    let activity = this.#activity.get(id);
    if (!activity) {
      activity = new KeyActivity(minute, this.#anomaly.historyMinutes);
      this.#activity.set(id, activity);
    }
    activity.add(minute);
    if (minute > this.#lastSweepMinute + 60) this.#sweep(minute);
    const subscriptions = this.#service.subscriptionsFor(event.workspace_id, 'api_key.usage_anomaly');
    if (subscriptions.length === 0) return;
    const observed = Math.min(this.#anomaly.historyMinutes, minute - activity.firstMinute);
    if (observed < this.#anomaly.minHistoryMinutes) return;
    const elapsed = (at - minute * MINUTE) / MINUTE;
    const rate = activity.count(minute) + activity.count(minute - 1) * (1 - elapsed);
    const minFactor = Math.min(...subscriptions.map((s) => s.anomaly_factor));
    if (rate < minFactor * this.#anomaly.baselineFloorPerMinute) return; // cannot fire whatever the baseline
    const baseline = activity.historySum(minute, observed) / observed;
    const effective = Math.max(baseline, this.#anomaly.baselineFloorPerMinute);
    for (const subscription of subscriptions) {
      if (rate < subscription.anomaly_factor * effective) continue;
      const quietKey = `${subscription.id} ${keyId}`;
      if (at < (this.#anomalyQuietUntil.get(quietKey) ?? Number.NEGATIVE_INFINITY)) continue;
      this.#anomalyQuietUntil.set(quietKey, at + this.#anomaly.cooldownMs);
      this.#service.fire(subscription, 'api_key.usage_anomaly', {
        key: { id: keyId, name: event.target?.type === 'api_key' ? event.target.name : event.actor.name },
        requests_last_minute: Math.round(rate),
        baseline_per_minute: Math.round(baseline * 100) / 100,
        anomaly_factor: subscription.anomaly_factor,
        observed_minutes: observed,
        at: new Date(at).toISOString(),
      });
    }
  }

  /** Forget keys idle for longer than the history (bounded memory). */
  #sweep(minute: number): void {
    this.#lastSweepMinute = minute;
    for (const [id, activity] of this.#activity) {
      if (minute - activity.lastSeenMinute > this.#anomaly.historyMinutes + 1) this.#activity.delete(id);
    }
    const now = minute * MINUTE;
    for (const [id, until] of this.#anomalyQuietUntil) if (until < now) this.#anomalyQuietUntil.delete(id);
  }

  /**
   * Fire `api_key.expiring` for active keys expiring within each subscription's
   * `expiry_warning_days`, once per subscription, key and expiry. Returns the deliveries created.
   */
  async checkExpiring(now: Date | number = this.#clock.now()): Promise<number> {
    if (!this.#store) throw new Error('AlertEngine.checkExpiring needs the `store` option.');
    const nowMs = typeof now === 'number' ? now : now.getTime();
    let fired = 0;
    for (const workspaceId of this.#service.workspacesSubscribedTo('api_key.expiring')) {
      // Only keys that can still expire are kept from the scan.
      const keys: ApiKeyRecord[] = [];
      await this.#store.forEachApiKey(workspaceId, (key) => {
        if (key.status === 'active' && key.expires_at !== null && Date.parse(key.expires_at) > nowMs) keys.push(key);
      });
      for (const subscription of this.#service.subscriptionsFor(workspaceId, 'api_key.expiring')) {
        const horizon = nowMs + subscription.expiry_warning_days * DAY;
        for (const key of keys) {
          const expires = Date.parse(key.expires_at!);
          if (expires > horizon) continue;
          const mark = `${subscription.id} ${key.id} ${key.expires_at}`;
          if (this.#service.hasExpiryWarning(mark)) continue;
          const firedAt = new Date(nowMs).toISOString();
          this.#service.fire(
            subscription,
            'api_key.expiring',
            {
              key: { id: key.id, name: key.name, environment: key.environment, key_prefix: key.key_prefix, expires_at: key.expires_at },
              days_remaining: Math.ceil((expires - nowMs) / DAY),
              expiry_warning_days: subscription.expiry_warning_days,
            },
            (doc) => {
              doc.expiry_warnings[mark] = firedAt;
              // Forget marks of expiries long past.
              for (const [old] of Object.entries(doc.expiry_warnings)) {
                const at = Date.parse(old.slice(old.lastIndexOf(' ') + 1));
                if (at < nowMs - 30 * DAY) delete doc.expiry_warnings[old];
              }
            },
          );
          fired += 1;
        }
      }
    }
    return fired;
  }

  /** Run `checkExpiring` every `intervalMs` (default 1 hour) and now. */
  start(intervalMs = 3_600_000): void {
    if (this.#timer) return;
    const run = () => void this.checkExpiring().catch((error: unknown) => this.#onError?.(error instanceof Error ? error : new Error(String(error))));
    this.#timer = setInterval(run, intervalMs);
    this.#timer.unref();
    run();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (key in source) out[key] = source[key];
  return out;
}
