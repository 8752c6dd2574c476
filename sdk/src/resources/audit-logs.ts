import type { PagePromise } from '../core/pagination.js';
import type {
  AuditEvent,
  AuditExport,
  AuditExportFormat,
  AuditIntegrity,
  CreateAuditExportParams,
  ExportAuditEventsParams,
  ListAuditEventsParams,
} from '../types.js';
import { APIResource, fetchOptions, withDataDefault, type APIPromise, type WorkspaceRequestOptions } from './shared.js';

const AUDIT = '/v1/workspaces/{workspace_id}/audit-logs';

/** The media type each export format is served as. */
export const AUDIT_EXPORT_MEDIA_TYPES: Readonly<Record<AuditExportFormat, string>> = Object.freeze({
  csv: 'text/csv',
  ndjson: 'application/x-ndjson',
  cef: 'text/plain',
});

function emptyStream(): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.close();
    },
  });
}

/**
 * The workspace's audit log: `tessera.auditLogs`.
 *
 * ```ts
 * for await (const event of tessera.auditLogs.list({ event_type: ['api_key.rotated'], range: '7d' })) console.log(event.type);
 * const csv = await tessera.auditLogs.export({ format: 'csv', range: '24h' }); // a ReadableStream<Uint8Array>
 * ```
 */
export class AuditLogs extends APIResource {
  /** Events newest first, filtered by type, key, actor and time. Await for the first page, or iterate with `for await`. */
  list(query: ListAuditEventsParams = {}, options?: WorkspaceRequestOptions): PagePromise<AuditEvent> {
    return this._list(options, query.cursor, (workspace_id, cursor) =>
      this._ctx.raw.GET(AUDIT, { params: { path: { workspace_id }, query: { ...query, cursor } }, ...fetchOptions(options) }),
    );
  }

  /**
   * Every matching event, oldest first, streamed as CSV, NDJSON or CEF: resolves with the body as a web
   * `ReadableStream<Uint8Array>` once the response headers arrive (`withResponse()` also gives the
   * `Content-Disposition` file name). The `timeout` covers the wait for the headers, not the download; abort
   * the download with `signal`. Errors before the first byte reject with the matching `APIError`.
   */
  export(params: ExportAuditEventsParams, options?: WorkspaceRequestOptions): APIPromise<ReadableStream<Uint8Array>> {
    const accept = `${AUDIT_EXPORT_MEDIA_TYPES[params.format] ?? 'text/plain'}, application/problem+json`;
    const result = this._call(options, (workspace_id) =>
      this._ctx.raw.GET(`${AUDIT}/export`, {
        params: { path: { workspace_id }, query: params },
        parseAs: 'stream',
        ...fetchOptions(options, { Accept: accept }),
      }),
    );
    return withDataDefault(result as APIPromise<ReadableStream<Uint8Array> | null | undefined>, emptyStream);
  }

  /** Delivers the matching events to `destination_url` as one signed `POST`; answers at once, poll {@link AuditLogs.getExport}. */
  createExport(body: CreateAuditExportParams, options?: WorkspaceRequestOptions): APIPromise<AuditExport> {
    return this._call(options, (workspace_id) => this._ctx.raw.POST(`${AUDIT}/exports`, { params: { path: { workspace_id } }, body, ...fetchOptions(options) }));
  }

  /** Whether a webhook export was delivered, how many events it held, and the last error. */
  getExport(exportId: string, options?: WorkspaceRequestOptions): APIPromise<AuditExport> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.GET(`${AUDIT}/exports/{export_id}`, { params: { path: { workspace_id, export_id: exportId } }, ...fetchOptions(options) }),
    );
  }

  /** Walks the log's hash chain and reports whether any event was changed, removed or inserted. */
  checkIntegrity(options?: WorkspaceRequestOptions): APIPromise<AuditIntegrity> {
    return this._call(options, (workspace_id) => this._ctx.raw.GET(`${AUDIT}/integrity`, { params: { path: { workspace_id } }, ...fetchOptions(options) }));
  }
}
