/**
 * Alerts: webhook subscriptions per workspace, signed deliveries retried with backoff, and the
 * engine that fires them from the audit events (new keys, failed-authentication bursts, unusual
 * key usage) and from a periodic scan (keys nearing expiry).
 */
export {
  ALERT_EVENTS,
  AlertService,
  DEFAULT_ANOMALY_FACTOR,
  DEFAULT_EXPIRY_WARNING_DAYS,
  DEFAULT_FAILED_AUTH_THRESHOLD,
  presentDelivery,
  presentSubscription,
  type AlertDelivery,
  type AlertEventName,
  type AlertPayload,
  type AlertServiceOptions,
  type AlertSubscription,
  type AlertSubscriptionCreated,
  type CreateAlertSubscriptionInput,
  type DeliveryEventName,
  type FailedAuthThreshold,
  type SubscriptionRecord,
  type UpdateAlertSubscriptionInput,
} from './service.js';
export { AlertEngine, DEFAULT_ANOMALY_OPTIONS, type AlertEngineOptions, type AnomalyOptions } from './engine.js';
export {
  computeSignature,
  DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
  DELIVERY_HEADER,
  EVENT_HEADER,
  formatSignatureHeader,
  SIGNATURE_HEADER,
  signatureHmac,
  signWebhookPayload,
  verifyWebhookSignature,
  type VerifyWebhookSignatureOptions,
  type WebhookSignatureFailure,
  type WebhookSignatureResult,
} from './signature.js';
export { checkDeliveryTarget, isPrivateAddress, MAX_WEBHOOK_URL_LENGTH, systemLookup, validateWebhookUrl, type HostLookup, type WebhookUrlOptions } from './url.js';
export { DEFAULT_RETRY_POLICY, postWebhook, retryDelayMs, type FetchLike, type PostWebhookOptions, type RetryPolicy, type WebhookAttempt } from './webhook.js';
export { ManualScheduler, systemScheduler, type Scheduler } from './timers.js';
