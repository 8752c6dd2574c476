/**
 * Audit exports delivered to a webhook: `POST .../audit-logs/exports` creates a record (`pending`)
 * and answers at once; the matching events are then sent, in the chosen format, as one signed
 * POST to `destination_url`, retried with backoff; the record tells the outcome (`succeeded` or
 * `failed`, `attempts`, `event_count`, `error`, `completed_at`).
 *
 * - The set of events is fixed when the export is created: `range` is resolved against its
 *   `created_at`, and events recorded later are left out (an exclusive upper bound), so every
 *   attempt sends the same body.
 * - The body is streamed in constant memory. Its signature covers the whole body, and a header
 *   must carry it before the body is sent, so each attempt reads the events twice: once to compute
 *   the HMAC (and count), once to send.
 * - Signing: the same scheme as alert deliveries (`Tessera-Signature: t=…,v1=…`). The spec gives
 *   an export no secret of its own, so exports are signed with a server export-signing secret:
 *   the `signingSecret` option, or one generated on first use and kept in the exports document
 *   (read it with `signingSecret(workspaceId)` to configure the receiver).
 * - Records live in a small JSON document (`<dataDir>/audit-exports.json`) or in memory; the
 *   newest `maxExportsPerWorkspace` are kept. Pending exports resume after a restart.
 */
import path from 'node:path';
import { randomBase62 } from '@tessera/sdk/key-format';
import { newId } from '../domain/ids.js';
import type { components } from '@tessera/spec';
import type { PendingEvent } from '../domain/context.js';
import { DomainError, notFound } from '../domain/errors.js';
import { byCreation, pageOf, type Page, type PageRequest } from '../domain/pagination.js';
import { JsonDocumentStore, MemoryDocumentStore, type DocumentStore } from '../storage/index.js';
import { systemClock, type Clock } from '../traffic/clock.js';
import { DeliveryQueue, trimFinished, type DeliveryOutcome, type WebhookDeliveryOptions } from '../alerts/delivery-queue.js';
import { DELIVERY_HEADER, EVENT_HEADER, formatSignatureHeader, SIGNATURE_HEADER, signatureHmac } from '../alerts/signature.js';
import { systemScheduler, type Scheduler } from '../alerts/timers.js';
import { checkDeliveryTarget, systemLookup, validateWebhookUrl, type HostLookup } from '../alerts/url.js';
import { postWebhook, type FetchLike } from '../alerts/webhook.js';
import { RANGE_MS, resolveFilters } from './filters.js';
import { EXPORT_CONTENT_TYPES, EXPORT_FILE_EXTENSIONS, exportEncoder } from './formats.js';
import type { AuditExport, AuditExportFormat, AuditFilters, AuditLogApi } from './types.js';
import { messageOf } from '../error-message.js';

export type CreateAuditExportRequest = components['schemas']['CreateAuditExportRequest'];

interface ExportRecord extends AuditExport {
  /** Events at or after this (ms) were recorded after the export was created and are left out. */
  as_of_ms: number;
  next_attempt_at: string | null;
}

interface ExportsDocument {
  schema_version: 1;
  signing_secret: string;
  exports: Record<string, ExportRecord>;
}

function emptyExportsDocument(): ExportsDocument {
  return { schema_version: 1, signing_secret: `whsec_${randomBase62(32)}`, exports: {} };
}

function validateExportsDocument(value: unknown): ExportsDocument {
  const doc = value as Partial<ExportsDocument>;
  if (typeof doc !== 'object' || doc === null || doc.schema_version !== 1 || typeof doc.signing_secret !== 'string' || typeof doc.exports !== 'object') {
    throw new Error('expected { schema_version: 1, signing_secret, exports }');
  }
  return doc as ExportsDocument;
}

export interface AuditExportServiceOptions extends WebhookDeliveryOptions {
  /** Per attempt, body included. Default 5 minutes. */
  requestTimeoutMs?: number;
  /** Overrides the generated export-signing secret (one for all workspaces, or per workspace). */
  signingSecret?: string | ((workspaceId: string) => string);
  /** Records kept per workspace (oldest finished go first). Default 100. */
  maxExportsPerWorkspace?: number;
}

/** `tessera-audit-2026-03-19.csv`: the suggested download name (Content-Disposition). */
export function exportFileName(format: AuditExportFormat, now: Date = new Date()): string {
  return `tessera-audit-${now.toISOString().slice(0, 10)}.${EXPORT_FILE_EXTENSIONS[format]}`;
}

function present(record: ExportRecord): AuditExport {
  const { as_of_ms: _asOf, next_attempt_at: _next, ...view } = record;
  void _asOf;
  void _next;
  return structuredClone(view);
}

const FORMATS: readonly AuditExportFormat[] = ['csv', 'ndjson', 'cef'];

/**
 * `source` as a request body whose reading the sender can end: `release()` cancels whatever the
 * receiver did not take, and resolves once the source has stopped (its segment files closed).
 * fetch does not cancel a body it never finished sending (e.g. when the connection is refused),
 * and the source's reader keeps its file open until garbage collection.
 */
function releasable(source: ReadableStream<Uint8Array>): { stream: ReadableStream<Uint8Array>; release(): Promise<void> } {
  const reader = source.getReader();
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  return { stream, release: () => reader.cancel().catch(() => undefined) };
}

/** An attempt's outcome, with the number of events sent (null when none were read). */
interface ExportOutcome extends DeliveryOutcome {
  count: number | null;
}

export class AuditExportService {
  readonly #store: DocumentStore<ExportsDocument>;
  readonly #log: AuditLogApi;
  readonly #clock: Clock;
  readonly #scheduler: Scheduler;
  readonly #fetch: FetchLike | undefined;
  readonly #allowPrivate: boolean;
  readonly #lookup: HostLookup;
  readonly #timeoutMs: number;
  readonly #secret: AuditExportServiceOptions['signingSecret'];
  readonly #maxPerWorkspace: number;
  readonly #userAgent: string;
  readonly #deliveries: DeliveryQueue<ExportsDocument, ExportRecord, ExportOutcome>;

  private constructor(store: DocumentStore<ExportsDocument>, log: AuditLogApi, options: AuditExportServiceOptions) {
    this.#store = store;
    this.#log = log;
    this.#clock = options.clock ?? systemClock;
    this.#scheduler = options.scheduler ?? systemScheduler;
    this.#fetch = options.fetch;
    this.#allowPrivate = options.allowPrivateTargets ?? true;
    this.#lookup = options.lookup ?? systemLookup;
    this.#timeoutMs = options.requestTimeoutMs ?? 300_000;
    this.#secret = options.signingSecret;
    this.#maxPerWorkspace = Math.max(1, options.maxExportsPerWorkspace ?? 100);
    this.#userAgent = options.userAgent ?? 'Tessera-Webhooks/0.1.0';
    this.#deliveries = new DeliveryQueue({
      store,
      records: (doc) => doc.exports,
      attempt: (record) => this.#send(record),
      settle: (record, result, { nowMs, retrying }) => {
        if (result.count !== null) record.event_count = result.count;
        record.error = result.ok ? null : result.error;
        record.completed_at = result.ok || !retrying ? new Date(nowMs).toISOString() : null;
      },
      clock: this.#clock,
      scheduler: this.#scheduler,
      retry: options.retry,
      random: options.random,
      onError: options.onError,
    });
  }

  /** Records in `<dataDir>/audit-exports.json`; pending exports resume. */
  static async open(dataDir: string, log: AuditLogApi, options: AuditExportServiceOptions = {}): Promise<AuditExportService> {
    const store = await JsonDocumentStore.open<ExportsDocument>(path.join(dataDir, 'audit-exports.json'), {
      defaultData: emptyExportsDocument(),
      validate: validateExportsDocument,
    });
    const service = new AuditExportService(store, log, options);
    service.#deliveries.resumePending();
    return service;
  }

  static inMemory(log: AuditLogApi, options: AuditExportServiceOptions = {}): AuditExportService {
    return new AuditExportService(new MemoryDocumentStore<ExportsDocument>(emptyExportsDocument(), { description: 'the audit exports' }), log, options);
  }

  #doc(): ExportsDocument {
    return this.#store.read() as ExportsDocument;
  }

  /** The secret export deliveries of this workspace are signed with (give it to the receiver). */
  signingSecret(workspaceId: string): string {
    if (typeof this.#secret === 'string') return this.#secret;
    if (typeof this.#secret === 'function') return this.#secret(workspaceId);
    return this.#doc().signing_secret;
  }

  /**
   * Accept an export (202): validates the format, the filters (422 `invalid_time_range`...) and
   * the URL (422 `invalid_webhook_url`), stores it `pending` and starts delivering.
   */
  async create(workspaceId: string, request: CreateAuditExportRequest, ctx?: { events: PendingEvent[] }): Promise<AuditExport> {
    if (!FORMATS.includes(request.format)) {
      throw new DomainError('invalid', 'validation_failed', 'Invalid request', 'format must be csv, ndjson or cef.', {
        errors: [{ field: 'format', code: 'invalid_value', message: 'csv, ndjson or cef.' }],
      });
    }
    const nowMs = this.#clock.now();
    const filters: AuditFilters = structuredClone(request.filters ?? {});
    resolveFilters(filters, nowMs); // throws on bad filters before anything is stored
    const url = validateWebhookUrl(request.destination_url, { allowPrivateTargets: this.#allowPrivate, field: 'destination_url' }).toString();
    const now = new Date(nowMs).toISOString();
    const record: ExportRecord = {
      id: newId('exp'),
      workspace_id: workspaceId,
      format: request.format,
      destination_url: url,
      filters,
      status: 'pending',
      event_count: null,
      attempts: 0,
      error: null,
      created_at: now,
      completed_at: null,
      as_of_ms: nowMs + 1,
      next_attempt_at: now,
    };
    await this.#store.update((doc) => {
      doc.exports[record.id] = record;
      trimFinished(doc.exports, (r) => r.workspace_id === workspaceId, this.#maxPerWorkspace);
    });
    ctx?.events.push({ type: 'audit_log.exported', target: { type: 'audit_export', id: record.id, name: null }, details: { format: record.format, destination_host: new URL(url).host, filters } });
    this.#deliveries.enqueue(record.id);
    return present(record);
  }

  async get(workspaceId: string, exportId: string): Promise<AuditExport> {
    const record = this.#doc().exports[exportId];
    if (!record || record.workspace_id !== workspaceId) throw notFound('audit_export_not_found', 'Audit export', exportId);
    return present(record);
  }

  async list(workspaceId: string, page: PageRequest = {}): Promise<Page<AuditExport>> {
    const records = Object.values(this.#doc().exports).filter((r) => r.workspace_id === workspaceId).map(present);
    return pageOf(records, byCreation, page, 'desc', { list: 'audit-exports', within: [workspaceId] });
  }

  #stream(record: ExportRecord, onComplete: (count: number) => void): ReadableStream<Uint8Array> {
    const createdMs = Date.parse(record.created_at);
    const to = record.filters.to !== undefined ? Math.min(Date.parse(record.filters.to), record.as_of_ms) : record.as_of_ms;
    const filters: AuditFilters = { ...record.filters, to: new Date(to).toISOString() };
    const from = record.filters.range !== undefined ? createdMs - RANGE_MS[record.filters.range] : record.filters.from !== undefined ? Date.parse(record.filters.from) : undefined;
    if (from !== undefined && from >= to) {
      // Starts after the export was created: nothing can match.
      const preamble = exportEncoder(record.format).preamble;
      return new ReadableStream<Uint8Array>({
        start(controller) {
          if (preamble !== '') controller.enqueue(new TextEncoder().encode(preamble));
          onComplete(0);
          controller.close();
        },
      });
    }
    return this.#log.exportStream(record.workspace_id, filters, record.format, { now: createdMs, onComplete });
  }

  /** One attempt: count and sign the events (pass 1), then stream the same bytes (pass 2). */
  async #send(record: ExportRecord): Promise<ExportOutcome> {
    const secret = this.signingSecret(record.workspace_id);
    const timestamp = Math.floor(this.#clock.now() / 1000);
    let result: { ok: boolean; status: number | null; error: string | null };
    let count: number | null = null;
    try {
      const refused = await checkDeliveryTarget(new URL(record.destination_url), this.#allowPrivate, this.#lookup);
      if (refused) {
        result = { ok: false, status: null, error: refused };
      } else {
        // Pass 1: the signature and the count, without keeping the body.
        const hmac = signatureHmac(secret, timestamp);
        let counted = -1;
        const reader = this.#stream(record, (n) => (counted = n)).getReader();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            hmac.update(value);
          }
        } finally {
          await reader.cancel().catch(() => undefined); // a no-op once read to the end
        }
        count = counted;
        // Pass 2: the same bytes, streamed as the body. Whatever the receiver took of it, what
        // is left is cancelled afterwards, which closes the segment files still open.
        const body = releasable(this.#stream(record, () => undefined));
        try {
          result = await postWebhook(
            record.destination_url,
            body.stream,
            {
              'Content-Type': EXPORT_CONTENT_TYPES[record.format],
              'User-Agent': this.#userAgent,
              [SIGNATURE_HEADER]: formatSignatureHeader(timestamp, hmac.digest('hex')),
              [EVENT_HEADER]: 'audit_log.exported',
              [DELIVERY_HEADER]: record.id,
              'Tessera-Event-Count': String(count),
            },
            { fetch: this.#fetch, timeoutMs: this.#timeoutMs, scheduler: this.#scheduler },
          );
        } finally {
          await body.release();
        }
      }
    } catch (error) {
      result = { ok: false, status: null, error: messageOf(error) };
    }
    return { ...result, count };
  }

  /** Resolves when no attempt is running (scheduled retries are not waited for). */
  async idle(): Promise<void> {
    await this.#deliveries.idle();
  }

  get scheduledRetries(): number {
    return this.#deliveries.scheduledRetries;
  }

  async close(): Promise<void> {
    await this.#deliveries.close();
    await this.#store.close();
  }
}
