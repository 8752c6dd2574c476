/**
 * Prometheus metrics on a private prom-client {@link Registry} (never the global one, so several
 * servers can live in one process, e.g. in tests):
 * - `tessera_http_requests_total{method,route,status}` counter
 * - `tessera_http_request_duration_seconds{method,route}` histogram
 * - `tessera_api_keys{status}` gauge, collected on scrape from a callback
 * - `tessera_rate_limited_total{source}` counter: rate-limited requests (`request`, a 429) and
 *   verifications answered `rate_limited` (`verify`), fed from the audit events
 *
 * `route` is the matched route pattern (`/v1/workspaces/:workspace_id/api-keys`), never the raw
 * path, so ids do not explode the label set; requests no route matched are `unmatched`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { TesseraStore } from '../data/store.js';
import type { AuditEventInput, Awaitable, EventSink } from '../audit/types.js';

export const KEY_STATUSES = ['active', 'disabled', 'revoked', 'expired'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];
export type KeyCounts = Partial<Record<KeyStatus, number>>;

export const DEFAULT_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface TesseraMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  apiKeys: Gauge<'status'>;
  rateLimited: Counter<'source'>;
}

export interface MetricsRegistryOptions {
  /** Called on every scrape for `tessera_api_keys`. */
  keyCountsByStatus?: () => Awaitable<KeyCounts>;
  /** Also expose prom-client's process metrics (CPU, memory, event loop). Default false. */
  defaultMetrics?: boolean;
  durationBuckets?: number[];
}

const byRegistry = new WeakMap<Registry, TesseraMetrics>();

/** A fresh registry with the Tessera metrics. */
export function createMetricsRegistry(options: MetricsRegistryOptions = {}): TesseraMetrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'tessera_' });
  return metricsIn(registry, options);
}

/** The Tessera metrics of `registry`, registered on first use. */
export function metricsIn(registry: Registry, options: MetricsRegistryOptions = {}): TesseraMetrics {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const keyCounts = options.keyCountsByStatus;
  const metrics: TesseraMetrics = {
    registry,
    httpRequests: new Counter({
      name: 'tessera_http_requests_total',
      help: 'HTTP requests by route and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'tessera_http_request_duration_seconds',
      help: 'HTTP request latency in seconds, by route.',
      labelNames: ['method', 'route'] as const,
      buckets: options.durationBuckets ?? DEFAULT_DURATION_BUCKETS,
      registers: [registry],
    }),
    apiKeys: new Gauge({
      name: 'tessera_api_keys',
      help: 'API keys by status.',
      labelNames: ['status'] as const,
      registers: [registry],
      async collect() {
        if (!keyCounts) return;
        const counts = await keyCounts();
        for (const status of KEY_STATUSES) this.set({ status }, counts[status] ?? 0);
      },
    }),
    rateLimited: new Counter({
      name: 'tessera_rate_limited_total',
      help: 'Requests refused by the rate limiter (source=request: a 429; source=verify: a verification answered rate_limited).',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
  };
  byRegistry.set(registry, metrics);
  return metrics;
}

function resolve(target: Registry | TesseraMetrics): TesseraMetrics {
  return target instanceof Registry ? metricsIn(target) : target;
}

/** The matched route pattern, or `unmatched` when only catch-all middleware matched. */
export function matchedRoute(c: Context): string {
  const path = routePath(c, -1);
  return path === '' || path === '*' || path === '/*' ? 'unmatched' : path;
}

export interface HttpMetricsOptions {
  /** Monotonic seconds (tests inject). Default `performance.now() / 1000`. */
  now?: () => number;
}

/**
 * Hono middleware counting every request and timing it. Mount it first (`app.use('*', …)`).
 * A handler that throws is counted with the status Hono's error handler answered (500 by default).
 */
export function httpMetrics(target: Registry | TesseraMetrics, routeOf: (c: Context) => string = matchedRoute, options: HttpMetricsOptions = {}): MiddlewareHandler {
  const metrics = resolve(target);
  const now = options.now ?? (() => performance.now() / 1000);
  return async (c, next) => {
    const started = now();
    let failed = false;
    try {
      await next();
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      const route = routeOf(c);
      const method = c.req.method;
      const status = failed && !c.finalized ? 500 : c.res.status;
      metrics.httpRequests.inc({ method, route, status: String(status) });
      metrics.httpDuration.observe({ method, route }, Math.max(0, now() - started));
    }
  };
}

/** The exposition text for `GET /metrics`; serve it with {@link metricsContentType}. */
export function metricsText(target: Registry | TesseraMetrics): Promise<string> {
  return resolve(target).registry.metrics();
}

export function metricsContentType(target: Registry | TesseraMetrics): string {
  return resolve(target).registry.contentType;
}

/** Counts rate-limited outcomes from the audit events (429s and `rate_limited` verifications). */
export class PrometheusEventSink implements EventSink {
  readonly #metrics: TesseraMetrics;

  constructor(target: Registry | TesseraMetrics) {
    this.#metrics = resolve(target);
  }

  record(event: AuditEventInput): void {
    if (event.type !== 'api_key.rate_limited') return;
    this.#metrics.rateLimited.inc({ source: event.details.verify_code === 'rate_limited' ? 'verify' : 'request' });
  }
}

/** A `keyCountsByStatus` over the store: every workspace's keys, `expired` derived from `expires_at`. */
export function keyCountsFromStore(store: Pick<TesseraStore, 'apiKeyCounts'>, now: () => number = Date.now): () => Promise<KeyCounts> {
  return () => store.apiKeyCounts(new Date(now()));
}
