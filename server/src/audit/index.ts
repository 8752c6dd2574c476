/**
 * Audit logs: recording (an {@link EventSink}), the hash chain, list queries, streamed exports
 * (CSV, NDJSON, CEF), integrity checks, retention, and exports delivered to a webhook.
 *
 * Wiring (the HTTP layer):
 *   const audit = await AuditLog.open(dataDir, { retentionDays: retentionFromStore(store) });
 *   const sink = combineSinks(audit, usageCounters, alertEngine, new PrometheusEventSink(metrics));
 *   sink.record(event) // once per event, synchronously
 */
export type {
  AuditEvent,
  AuditEventInput,
  AuditEventList,
  AuditEventPage,
  AuditEventType,
  AuditExport,
  AuditExportFormat,
  AuditFilters,
  AuditIntegrity,
  AuditLogApi,
  AuditPageRequest,
  Awaitable,
  EventSink,
  ExportStreamOptions,
  PruneReport,
} from './types.js';
export { AUDIT_EVENT_TYPES, auditEventTypeCode, isAuditEventType } from './types.js';
export {
  AuditLog,
  AuditLogClosedError,
  AuditLogFailedError,
  DEFAULT_AUDIT_RETENTION_DAYS,
  DEFAULT_PAGE_LIMIT,
  MAX_PAGE_LIMIT,
  MemoryAuditLog,
  sanitizeEventInput,
  type AuditLogCommonOptions,
  type AuditLogOptions,
  type AuditLogStats,
} from './audit-log.js';
export { AUDIT_DIR, checkAuditChain, type AuditChainReport } from './chain.js';
export { InvalidCursorError, InvalidQueryError, InvalidTimeRangeError, InvalidWebhookUrlError, TimeRangeTooLargeError } from './errors.js';
export { matchesEvent, RANGE_MS, resolveFilters, type ResolvedFilters } from './filters.js';
export {
  CEF_SEVERITIES,
  CEF_TITLES,
  cefExtensionEscape,
  cefHeaderEscape,
  cefLine,
  CSV_COLUMNS,
  csvField,
  csvHeader,
  csvRow,
  EXPORT_CONTENT_TYPES,
  EXPORT_FILE_EXTENSIONS,
  exportEncoder,
  ndjsonLine,
  parseCefLine,
  parseCsv,
  PRODUCT_VERSION,
} from './formats.js';
export { computeEventHash, hasValidHash, ZERO_HASH } from './hash.js';
export { containsSecret, REDACTED, redactSecrets, redactString, SECRET_PATTERNS } from './redact.js';
export { AuditExportService, exportFileName, type AuditExportServiceOptions, type CreateAuditExportRequest } from './export-service.js';
export { combineSinks, retentionFromStore } from './sinks.js';
