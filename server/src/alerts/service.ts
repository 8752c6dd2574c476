/**
 * Alert subscriptions and their deliveries.
 *
 * Subscriptions, deliveries and the "already warned about this expiry" marks live in one small
 * JSON document (`<dataDir>/alerts.json`, a {@link JsonDocumentStore}; or in memory). The signing
 * secret is stored there too — it is needed to sign every delivery — and is returned only by
 * `create()`. The document is written with mode 0600 like every Tessera data file.
 *
 * A delivery is created `pending`, POSTed once it is durable, and retried with exponential
 * backoff on any non-2xx or network failure; each attempt updates its record (attempts,
 * last_status_code, last_error, next_attempt_at, delivered_at). Pending deliveries resume after
 * a restart. Each subscription keeps its newest `maxDeliveriesPerSubscription` deliveries.
 */
import path from 'node:path';
import { randomBase62 } from '@tessera/sdk/key-format';
import type { components } from '@tessera/spec';
import type { PendingEvent } from '../domain/context.js';
import { DomainError, notFound, type FieldProblem } from '../domain/errors.js';
import { byCreation, pageOf, type Page, type PageRequest } from '../domain/pagination.js';
import { JsonDocumentStore, MemoryDocumentStore, type DocumentStore } from '../storage/index.js';
import { systemClock, type Clock } from '../traffic/clock.js';
import { redactSecrets } from '../audit/redact.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhookPayload } from './signature.js';
import { DeliveryQueue, trimFinished, type DeliveryOutcome, type WebhookDeliveryOptions } from './delivery-queue.js';
import { systemScheduler, type Scheduler } from './timers.js';
import { checkDeliveryTarget, systemLookup, validateWebhookUrl, type HostLookup } from './url.js';
import { postWebhook, type FetchLike } from './webhook.js';

type Schemas = components['schemas'];
export type AlertEventName = Schemas['AlertEvent'];
export type DeliveryEventName = Schemas['AlertDelivery']['event'];
export type AlertSubscription = Schemas['AlertSubscription'];
export type AlertSubscriptionCreated = Schemas['AlertSubscriptionCreated'];
export type AlertDelivery = Schemas['AlertDelivery'];
export type FailedAuthThreshold = Schemas['FailedAuthThreshold'];
type CreateRequest = Schemas['CreateAlertSubscriptionRequest'];
/** The create body; fields with a default in the spec may be left out. */
export type CreateAlertSubscriptionInput = Omit<CreateRequest, 'enabled' | 'expiry_warning_days' | 'anomaly_factor'> &
  Partial<Pick<CreateRequest, 'enabled' | 'expiry_warning_days' | 'anomaly_factor'>>;
export type UpdateAlertSubscriptionInput = Schemas['UpdateAlertSubscriptionRequest'];

export const ALERT_EVENTS: readonly AlertEventName[] = ['api_key.created', 'api_key.expiring', 'auth.failed_burst', 'api_key.usage_anomaly'];
export const DEFAULT_FAILED_AUTH_THRESHOLD: FailedAuthThreshold = { count: 10, window_seconds: 300 };
export const DEFAULT_EXPIRY_WARNING_DAYS = 7;
export const DEFAULT_ANOMALY_FACTOR = 5;

export interface SubscriptionRecord extends AlertSubscription {
  /** `whsec_…`: signs every delivery. Never returned after create. */
  secret: string;
}

export interface DeliveryRecord extends AlertDelivery {
  workspace_id: string;
  /** The exact JSON body POSTed on every attempt. */
  body: string;
}

export interface AlertsDocument {
  schema_version: 1;
  subscriptions: Record<string, SubscriptionRecord>;
  deliveries: Record<string, DeliveryRecord>;
  /** `"<subscription id> <key id> <expires_at>"` -> when the warning was sent: one warning per key expiry per subscription. */
  expiry_warnings: Record<string, string>;
}

export function emptyAlertsDocument(): AlertsDocument {
  return { schema_version: 1, subscriptions: {}, deliveries: {}, expiry_warnings: {} };
}

function validateAlertsDocument(value: unknown): AlertsDocument {
  const doc = value as Partial<AlertsDocument>;
  if (typeof doc !== 'object' || doc === null || doc.schema_version !== 1 || typeof doc.subscriptions !== 'object' || typeof doc.deliveries !== 'object') {
    throw new Error('expected { schema_version: 1, subscriptions, deliveries }');
  }
  return { schema_version: 1, subscriptions: doc.subscriptions ?? {}, deliveries: doc.deliveries ?? {}, expiry_warnings: doc.expiry_warnings ?? {} };
}

/** The JSON body of every delivery. */
export interface AlertPayload {
  id: string;
  event: DeliveryEventName;
  created_at: string;
  workspace_id: string;
  subscription_id: string;
  data: Record<string, unknown>;
}

export interface AlertServiceOptions extends WebhookDeliveryOptions {
  /** Per attempt. Default 10 s. */
  requestTimeoutMs?: number;
  /** Attempts running at once, across subscriptions. Default 8. */
  maxConcurrentDeliveries?: number;
  /** Deliveries kept per subscription (oldest finished ones go first). Default 100. */
  maxDeliveriesPerSubscription?: number;
}

const invalid = (errors: FieldProblem[]) =>
  new DomainError('invalid', 'validation_failed', 'Invalid request', errors.map((e) => `${e.field}: ${e.message}`).join(' '), { errors });

function checkFields(input: Omit<Partial<CreateAlertSubscriptionInput>, 'description'> & { description?: string | null }): void {
  const errors: FieldProblem[] = [];
  if (input.events !== undefined) {
    if (!Array.isArray(input.events) || input.events.length === 0) errors.push({ field: 'events', code: 'too_small', message: 'Subscribe to at least one event.' });
    else {
      if (new Set(input.events).size !== input.events.length) errors.push({ field: 'events', code: 'invalid_value', message: 'Events must be unique.' });
      input.events.forEach((event, i) => {
        if (!ALERT_EVENTS.includes(event)) errors.push({ field: `events.${i}`, code: 'invalid_value', message: `${String(event)} is not an alert event.` });
      });
    }
  }
  if (input.description !== undefined && input.description !== null && (typeof input.description !== 'string' || input.description.length > 200)) {
    errors.push({ field: 'description', code: 'too_big', message: 'At most 200 characters.' });
  }
  if (input.expiry_warning_days !== undefined && !(Number.isInteger(input.expiry_warning_days) && input.expiry_warning_days >= 1 && input.expiry_warning_days <= 90)) {
    errors.push({ field: 'expiry_warning_days', code: 'invalid_value', message: 'An integer from 1 to 90.' });
  }
  const t = input.failed_auth_threshold;
  if (t !== undefined) {
    if (!(Number.isInteger(t.count) && t.count >= 1 && t.count <= 100_000)) errors.push({ field: 'failed_auth_threshold.count', code: 'invalid_value', message: 'An integer from 1 to 100000.' });
    if (!(Number.isInteger(t.window_seconds) && t.window_seconds >= 10 && t.window_seconds <= 86_400)) {
      errors.push({ field: 'failed_auth_threshold.window_seconds', code: 'invalid_value', message: 'An integer from 10 to 86400.' });
    }
  }
  if (input.anomaly_factor !== undefined && !(typeof input.anomaly_factor === 'number' && input.anomaly_factor >= 1.5 && input.anomaly_factor <= 1000)) {
    errors.push({ field: 'anomaly_factor', code: 'invalid_value', message: 'A number from 1.5 to 1000.' });
  }
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean') errors.push({ field: 'enabled', code: 'invalid_type', message: 'true or false.' });
  if (errors.length > 0) throw invalid(errors);
}

/** The API view: everything but the secret. */
export function presentSubscription(record: SubscriptionRecord): AlertSubscription {
  const { secret: _secret, ...view } = record;
  void _secret;
  return structuredClone(view);
}

export function presentDelivery(record: DeliveryRecord): AlertDelivery {
  const { workspace_id: _ws, body: _body, ...view } = record;
  void _ws;
  void _body;
  return { ...view };
}

export class AlertService {
  readonly #store: DocumentStore<AlertsDocument>;
  readonly #clock: Clock;
  readonly #scheduler: Scheduler;
  readonly #fetch: FetchLike | undefined;
  readonly #allowPrivate: boolean;
  readonly #lookup: HostLookup;
  readonly #timeoutMs: number;
  readonly #maxDeliveries: number;
  readonly #userAgent: string;
  readonly #deliveries: DeliveryQueue<AlertsDocument, DeliveryRecord>;
  /** Enabled subscriptions per workspace, rebuilt after any change (the engine asks per event). */
  #byWorkspace: Map<string, SubscriptionRecord[]> | undefined;

  private constructor(store: DocumentStore<AlertsDocument>, options: AlertServiceOptions) {
    this.#store = store;
    this.#clock = options.clock ?? systemClock;
    this.#scheduler = options.scheduler ?? systemScheduler;
    this.#fetch = options.fetch;
    this.#allowPrivate = options.allowPrivateTargets ?? true;
    this.#lookup = options.lookup ?? systemLookup;
    this.#timeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#maxDeliveries = Math.max(1, options.maxDeliveriesPerSubscription ?? 100);
    this.#userAgent = options.userAgent ?? 'Tessera-Webhooks/0.1.0';
    this.#deliveries = new DeliveryQueue({
      store,
      records: (doc) => doc.deliveries,
      attempt: (delivery) => this.#send(delivery),
      settle: (delivery, result, { nowMs }) => {
        delivery.last_status_code = result.status;
        delivery.last_error = result.error;
        delivery.delivered_at = result.ok ? new Date(nowMs).toISOString() : null;
      },
      clock: this.#clock,
      scheduler: this.#scheduler,
      retry: options.retry,
      random: options.random,
      maxConcurrent: options.maxConcurrentDeliveries ?? 8,
      onError: options.onError,
    });
  }

  /** File-backed (`<dataDir>/alerts.json`); pending deliveries are resumed. The caller holds the data-folder lock. */
  static async open(dataDir: string, options: AlertServiceOptions = {}): Promise<AlertService> {
    const store = await JsonDocumentStore.open<AlertsDocument>(path.join(dataDir, 'alerts.json'), {
      defaultData: emptyAlertsDocument(),
      validate: validateAlertsDocument,
    });
    const service = new AlertService(store, options);
    service.#deliveries.resumePending();
    return service;
  }

  static inMemory(options: AlertServiceOptions = {}): AlertService {
    return new AlertService(new MemoryDocumentStore<AlertsDocument>(emptyAlertsDocument(), { description: 'the alert subscriptions' }), options);
  }

  get allowPrivateTargets(): boolean {
    return this.#allowPrivate;
  }

  #now(): string {
    return new Date(this.#clock.now()).toISOString();
  }

  #doc(): AlertsDocument {
    return this.#store.read() as AlertsDocument;
  }

  #record(workspaceId: string, id: string): SubscriptionRecord {
    const record = this.#doc().subscriptions[id];
    if (!record || record.workspace_id !== workspaceId) throw notFound('alert_subscription_not_found', 'Alert subscription', id);
    return record;
  }

  async create(workspaceId: string, input: CreateAlertSubscriptionInput, ctx?: { events: PendingEvent[] }): Promise<AlertSubscriptionCreated> {
    checkFields(input);
    const url = validateWebhookUrl(input.url, { allowPrivateTargets: this.#allowPrivate }).toString();
    const now = this.#now();
    const record: SubscriptionRecord = {
      id: `sub_${randomBase62(22)}`,
      workspace_id: workspaceId,
      url,
      description: input.description ?? null,
      events: [...input.events],
      enabled: input.enabled ?? true,
      expiry_warning_days: input.expiry_warning_days ?? DEFAULT_EXPIRY_WARNING_DAYS,
      failed_auth_threshold: { ...(input.failed_auth_threshold ?? DEFAULT_FAILED_AUTH_THRESHOLD) },
      anomaly_factor: input.anomaly_factor ?? DEFAULT_ANOMALY_FACTOR,
      created_at: now,
      updated_at: now,
      secret: `whsec_${randomBase62(32)}`,
    };
    await this.#store.update((doc) => {
      doc.subscriptions[record.id] = record;
    });
    this.#byWorkspace = undefined;
    ctx?.events.push({ type: 'alert_subscription.created', target: { type: 'alert_subscription', id: record.id, name: record.description }, details: { url_host: new URL(url).host, events: record.events } });
    return { ...presentSubscription(record), secret: record.secret };
  }

  async list(workspaceId: string, page: PageRequest = {}): Promise<Page<AlertSubscription>> {
    const records = Object.values(this.#doc().subscriptions).filter((s) => s.workspace_id === workspaceId);
    return pageOf(records.map(presentSubscription), byCreation, page, 'asc', { list: 'alert-subscriptions', within: [workspaceId] });
  }

  async get(workspaceId: string, id: string): Promise<AlertSubscription> {
    return presentSubscription(this.#record(workspaceId, id));
  }

  async update(workspaceId: string, id: string, patch: UpdateAlertSubscriptionInput, ctx?: { events: PendingEvent[] }): Promise<AlertSubscription> {
    this.#record(workspaceId, id);
    checkFields(patch);
    const url = patch.url === undefined ? undefined : validateWebhookUrl(patch.url, { allowPrivateTargets: this.#allowPrivate }).toString();
    const changed = Object.keys(patch).filter((key) => (patch as Record<string, unknown>)[key] !== undefined);
    const updated = await this.#store.update((doc) => {
      const record = doc.subscriptions[id]!;
      if (url !== undefined) record.url = url;
      if (patch.description !== undefined) record.description = patch.description;
      if (patch.events !== undefined) record.events = [...patch.events];
      if (patch.enabled !== undefined) record.enabled = patch.enabled;
      if (patch.expiry_warning_days !== undefined) record.expiry_warning_days = patch.expiry_warning_days;
      if (patch.failed_auth_threshold !== undefined) record.failed_auth_threshold = { ...patch.failed_auth_threshold };
      if (patch.anomaly_factor !== undefined) record.anomaly_factor = patch.anomaly_factor;
      record.updated_at = this.#now();
      return presentSubscription(record);
    });
    this.#byWorkspace = undefined;
    ctx?.events.push({ type: 'alert_subscription.updated', target: { type: 'alert_subscription', id, name: updated.description }, details: { changed } });
    return updated;
  }

  /** Delete the subscription; its pending deliveries stop. */
  async delete(workspaceId: string, id: string, ctx?: { events: PendingEvent[] }): Promise<void> {
    const record = this.#record(workspaceId, id);
    await this.#store.update((doc) => {
      delete doc.subscriptions[id];
      for (const [deliveryId, delivery] of Object.entries(doc.deliveries)) {
        if (delivery.subscription_id === id) delete doc.deliveries[deliveryId];
      }
      for (const mark of Object.keys(doc.expiry_warnings)) if (mark.startsWith(`${id} `)) delete doc.expiry_warnings[mark];
    });
    this.#deliveries.cancelMissing();
    this.#byWorkspace = undefined;
    ctx?.events.push({ type: 'alert_subscription.deleted', target: { type: 'alert_subscription', id, name: record.description } });
  }

  async listDeliveries(workspaceId: string, subscriptionId: string, page: PageRequest = {}): Promise<Page<AlertDelivery>> {
    this.#record(workspaceId, subscriptionId);
    const records = Object.values(this.#doc().deliveries).filter((d) => d.subscription_id === subscriptionId);
    return pageOf(records.map(presentDelivery), byCreation, page, 'desc', { list: 'alert-deliveries', within: [workspaceId, subscriptionId] });
  }

  async getDelivery(workspaceId: string, deliveryId: string): Promise<AlertDelivery> {
    const record = this.#doc().deliveries[deliveryId];
    if (!record || record.workspace_id !== workspaceId) throw notFound('alert_delivery_not_found', 'Alert delivery', deliveryId);
    return presentDelivery(record);
  }

  /** Queue an `alert.test` delivery now (whether or not the subscription is enabled). */
  async sendTest(workspaceId: string, subscriptionId: string): Promise<AlertDelivery> {
    const subscription = this.#record(workspaceId, subscriptionId);
    const { delivery, persisted } = this.#createDelivery(subscription, 'alert.test', {
      message: 'This is a test delivery from Tessera. Verify its Tessera-Signature header with your signing secret.',
    });
    await persisted;
    return presentDelivery(delivery);
  }

  /** Enabled subscriptions of the workspace that want `event` (cheap: cached between changes). */
  subscriptionsFor(workspaceId: string, event: AlertEventName): readonly SubscriptionRecord[] {
    if (!this.#byWorkspace) {
      const map = new Map<string, SubscriptionRecord[]>();
      for (const record of Object.values(this.#doc().subscriptions)) {
        if (!record.enabled) continue;
        const list = map.get(record.workspace_id) ?? [];
        list.push(record);
        map.set(record.workspace_id, list);
      }
      this.#byWorkspace = map;
    }
    const all = this.#byWorkspace.get(workspaceId);
    return all ? all.filter((record) => record.events.includes(event)) : [];
  }

  /** Workspaces with at least one enabled subscription to `event`. */
  workspacesSubscribedTo(event: AlertEventName): string[] {
    return [...new Set(Object.values(this.#doc().subscriptions).filter((s) => s.enabled && s.events.includes(event)).map((s) => s.workspace_id))];
  }

  hasExpiryWarning(mark: string): boolean {
    return mark in this.#doc().expiry_warnings;
  }

  /**
   * Create a delivery for `subscription` and send it once it is durable. Synchronous (the engine
   * calls it on the hot path); returns the delivery as created. `extra` changes are applied to the
   * document in the same write (e.g. the expiry-warning mark).
   */
  fire(subscription: SubscriptionRecord, event: AlertEventName, data: Record<string, unknown>, extra?: (doc: AlertsDocument) => void): AlertDelivery {
    return presentDelivery(this.#createDelivery(subscription, event, data, extra).delivery);
  }

  #createDelivery(
    subscription: SubscriptionRecord,
    event: DeliveryEventName,
    data: Record<string, unknown>,
    extra?: (doc: AlertsDocument) => void,
  ): { delivery: DeliveryRecord; persisted: Promise<void> } {
    if (this.#deliveries.closed) throw new Error('The alert service is closed.');
    const now = this.#now();
    const id = `dlv_${randomBase62(22)}`;
    const payload: AlertPayload = { id, event, created_at: now, workspace_id: subscription.workspace_id, subscription_id: subscription.id, data: redactSecrets(data) as Record<string, unknown> };
    const delivery: DeliveryRecord = {
      id,
      subscription_id: subscription.id,
      event,
      status: 'pending',
      attempts: 0,
      last_status_code: null,
      last_error: null,
      created_at: now,
      delivered_at: null,
      next_attempt_at: now,
      workspace_id: subscription.workspace_id,
      body: JSON.stringify(payload),
    };
    const persisted = this.#store
      .update((doc) => {
        doc.deliveries[id] = delivery;
        extra?.(doc);
        trimFinished(doc.deliveries, (d) => d.subscription_id === subscription.id, this.#maxDeliveries);
      })
      .then(() => this.#deliveries.enqueue(id));
    this.#deliveries.track(persisted);
    return { delivery, persisted };
  }

  /** One attempt: POST the stored body, signed afresh, unless the subscription is gone or disabled. */
  async #send(delivery: DeliveryRecord): Promise<DeliveryOutcome> {
    const subscription = this.#doc().subscriptions[delivery.subscription_id];
    if (!subscription) return { ok: false, status: null, error: 'The subscription was deleted.', giveUp: true };
    if (!subscription.enabled && delivery.event !== 'alert.test') return { ok: false, status: null, error: 'The subscription is disabled.', giveUp: true };
    const refused = await checkDeliveryTarget(new URL(subscription.url), this.#allowPrivate, this.#lookup);
    if (refused) return { ok: false, status: null, error: refused };
    const timestamp = Math.floor(this.#clock.now() / 1000);
    return postWebhook(
      subscription.url,
      delivery.body,
      {
        'Content-Type': 'application/json',
        'User-Agent': this.#userAgent,
        [SIGNATURE_HEADER]: signWebhookPayload(subscription.secret, delivery.body, timestamp),
        [EVENT_HEADER]: delivery.event,
        [DELIVERY_HEADER]: delivery.id,
      },
      { fetch: this.#fetch, timeoutMs: this.#timeoutMs, scheduler: this.#scheduler },
    );
  }

  /** Resolves when no delivery attempt or write is running (scheduled retries are not waited for). */
  async idle(): Promise<void> {
    await this.#deliveries.idle();
  }

  /** Deliveries waiting for a retry timer. */
  get scheduledRetries(): number {
    return this.#deliveries.scheduledRetries;
  }

  /** Stop scheduling; wait for running attempts; persist. Pending deliveries resume at the next open. */
  async close(): Promise<void> {
    await this.#deliveries.close();
    await this.#store.close();
  }
}
