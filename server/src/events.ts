/**
 * What happens to every event after the HTTP layer reports it: the audit log (hash-chained,
 * append-only), usage counters (the metrics endpoint), Prometheus counters and the alert
 * engine. On a data folder everything is durable; without one (tests, the in-process mock)
 * the same services run in memory.
 */
import { AuditExportService, AuditLog, MemoryAuditLog, combineSinks, retentionFromStore, type AuditLogApi, type EventSink } from './audit/index.js';
import { AlertEngine, AlertService } from './alerts/index.js';
import type { StoreReader, TesseraStore } from './data/store.js';
import { failuresOf, runEach, together } from './run-each.js';
import type { Clock } from './traffic/index.js';
import { createMetricsRegistry, keyCountsFromStore, PrometheusEventSink, UsageCounters, type TesseraMetrics } from './usage/index.js';

export interface EventPipeline {
  /** Where the HTTP layer reports events. */
  sink: EventSink;
  audit: AuditLogApi;
  exports: AuditExportService;
  usage: UsageCounters;
  metrics: TesseraMetrics;
  alerts: AlertService;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface EventPipelineOptions {
  store: StoreReader & Pick<TesseraStore, 'apiKeyCounts'>;
  clock: Clock;
  /** Also told about every event (tests use it to watch). */
  observer?: EventSink | undefined;
  /** Signs audit exports delivered to webhooks; generated and stored when absent. */
  exportSigningSecret?: string | undefined;
  /** How often the alert engine looks for keys nearing expiry (ms); 0 turns the scan off. */
  expiryScanIntervalMs?: number;
  onError?: (error: Error) => void;
}

type Parts = Pick<EventPipeline, 'audit' | 'exports' | 'usage' | 'alerts'> & { audit: AuditLogApi & EventSink & { flush(): Promise<void>; close(): Promise<void> } };

function assemble(parts: Parts, options: EventPipelineOptions, expiryScanIntervalMs: number): EventPipeline {
  const { audit, usage, alerts, exports } = parts;
  const { store, clock } = options;
  const metrics = createMetricsRegistry({ keyCountsByStatus: keyCountsFromStore(store, () => clock.now()) });
  const engine = new AlertEngine(alerts, { clock, store, ...(options.onError ? { onError: options.onError } : {}) });
  if (expiryScanIntervalMs > 0) engine.start(expiryScanIntervalMs);
  const sinks: EventSink[] = [audit, usage, engine, new PrometheusEventSink(metrics)];
  if (options.observer) sinks.push(options.observer);
  return {
    sink: combineSinks(...sinks),
    audit,
    exports,
    usage,
    metrics,
    alerts,
    flush: () => runEach('flushing the event pipeline', [() => audit.flush(), () => usage.flush()]),
    close: () =>
      runEach('closing the event pipeline', [() => engine.stop(), () => exports.close(), () => alerts.close(), () => usage.close(), () => audit.close()]),
  };
}

/** The durable pipeline in `dataDir` (the server). */
export async function openEventPipeline(options: EventPipelineOptions & { dataDir: string }): Promise<EventPipeline> {
  const { dataDir, store, clock } = options;
  const onError = options.onError ?? ((error: Error) => console.error(`tessera-server: ${error.message}`));
  // What opened is closed again if a later part fails to open: the audit log's timers would
  // otherwise keep writing in a folder whose lock the caller is about to release.
  const opened: Array<{ close(): Promise<void> }> = [];
  const opening = async <T extends { close(): Promise<void> }>(part: Promise<T>): Promise<T> => {
    const value = await part;
    opened.unshift(value);
    return value;
  };
  try {
    const audit = await opening(AuditLog.open(dataDir, { clock, retentionDays: retentionFromStore(store), onError }));
    const usage = await opening(UsageCounters.open(dataDir, { clock, onError }));
    const alerts = await opening(AlertService.open(dataDir, { clock, onError }));
    const signing = options.exportSigningSecret ? { signingSecret: options.exportSigningSecret } : {};
    const exports = await opening(AuditExportService.open(dataDir, audit, { clock, onError, ...signing }));
    return assemble({ audit, usage, alerts, exports }, { ...options, onError }, options.expiryScanIntervalMs ?? 3_600_000);
  } catch (error) {
    const failures = await failuresOf(opened.map((part) => () => part.close()));
    throw together([error, ...failures], 'opening the event pipeline');
  }
}

/** The same services in memory (tests, the in-process mock); expiry scans run only when asked. */
export function createMemoryPipeline(options: EventPipelineOptions): EventPipeline {
  const { store, clock } = options;
  const audit = new MemoryAuditLog({ clock, retentionDays: retentionFromStore(store) });
  const alerts = AlertService.inMemory({ clock, ...(options.onError ? { onError: options.onError } : {}) });
  const exports = AuditExportService.inMemory(audit, { clock, ...(options.onError ? { onError: options.onError } : {}) });
  return assemble({ audit, usage: new UsageCounters({ clock }), alerts, exports }, options, options.expiryScanIntervalMs ?? 0);
}
