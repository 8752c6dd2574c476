/** Usage metrics: hourly counters per workspace and key (the metrics endpoint) and Prometheus. */
export { UsageCounters, USAGE_FILE, type OutcomeCounts, type UsageCountersOptions, type UsageMetrics, type UsageQuery } from './counters.js';
export { BUCKET_MS, DEFAULT_MAX_BUCKETS, isoSeconds, parseDateOrDateTime, resolveUsageRange, type Granularity, type UsageRange } from './time-range.js';
export {
  createMetricsRegistry,
  DEFAULT_DURATION_BUCKETS,
  httpMetrics,
  KEY_STATUSES,
  keyCountsFromStore,
  matchedRoute,
  metricsContentType,
  metricsIn,
  metricsText,
  PrometheusEventSink,
  type HttpMetricsOptions,
  type KeyCounts,
  type KeyStatus,
  type MetricsRegistryOptions,
  type TesseraMetrics,
} from './prometheus.js';
