/**
 * The `Tessera` client: configuration from options and the environment, the retrying transport, and one
 * property per resource.
 */
import type { Client } from 'openapi-fetch';
import { createTransport, type PublicConfig, type TransportInternals } from './core/client.js';
import type { ClientOptions } from './core/config.js';
import { TesseraError } from './core/errors.js';
import { AlertSubscriptions } from './resources/alert-subscriptions.js';
import { ApiKeys } from './resources/api-keys.js';
import { AuditLogs } from './resources/audit-logs.js';
import { Keys } from './resources/keys.js';
import { Members } from './resources/members.js';
import { Metrics } from './resources/metrics.js';
import { Roles } from './resources/roles.js';
import { Scopes } from './resources/scopes.js';
import { apiPromise, fetchOptions, type APIPromise, type RequestOptions, type ResourceContext, type WorkspaceRequestOptions } from './resources/shared.js';
import { Workspaces } from './resources/workspaces.js';
import type { Health, Me, OpenApiDocument, paths } from './types.js';

/**
 * The Tessera API client.
 *
 * ```ts
 * import { Tessera } from '@tessera/sdk';
 *
 * const tessera = new Tessera(); // TESSERA_API_KEY, TESSERA_BASE_URL, TESSERA_WORKSPACE_ID
 * const key = await tessera.apiKeys.create({ name: 'CI/CD Pipeline', scopes: ['workflows.execute'], expires_in: '90d' });
 * const verdict = await tessera.keys.verify({ key: key.key, required_scopes: ['workflows.execute'] });
 * ```
 *
 * The key is checked offline (format and checksum) at construction; a missing key throws a `TesseraError`
 * naming `TESSERA_API_KEY` and the `apiKey` option. Every call retries 408, 429, 5xx, connection errors and
 * an in-flight idempotent 409 (default 2 retries), and every `POST` carries an `Idempotency-Key`.
 */
export class Tessera {
  /** API keys: list, create, get, update, rotate, disable, enable, revoke, delete. */
  readonly apiKeys: ApiKeys;
  /** Verification of keys your API receives. */
  readonly keys: Keys;
  /** Workspaces: list, create, get, update. */
  readonly workspaces: Workspaces;
  /** Members: list, create, get, update, deactivate. */
  readonly members: Members;
  /** Roles: list, create, get, update, delete. */
  readonly roles: Roles;
  /** The scope catalog: list, create, update, delete. */
  readonly scopes: Scopes;
  /** The audit log: list, export (streamed), webhook exports, integrity check. */
  readonly auditLogs: AuditLogs;
  /** Request metrics per workspace, and the server's Prometheus metrics. */
  readonly metrics: Metrics;
  /** Alert webhooks: list, create, get, update, delete, test, list deliveries. */
  readonly alertSubscriptions: AlertSubscriptions;
  /**
   * The typed openapi-fetch client, for anything the resources do not cover. It shares the base URL, auth,
   * retries and default headers; it answers `{ data, error, response }` rather than throwing.
   */
  readonly raw: Client<paths>;
  /** The resolved configuration, without the key (`keyHint` shows its display prefix and last four). */
  readonly config: PublicConfig;

  /**
   * @param options client options; unset ones are read from the environment.
   * @param internals hooks for tests and unusual runtimes (a custom sleep, clock or random source).
   */
  constructor(options: ClientOptions = {}, internals: TransportInternals = {}) {
    const transport = createTransport(options, internals);
    this.config = transport.config;
    // Tessera's only array query parameter, `event_type`, is comma-separated (style form, explode false).
    this.raw = transport.createTypedClient<paths>({ querySerializer: { array: { style: 'form', explode: false } } });
    const configured = transport.config.workspaceId;
    const context: ResourceContext = {
      raw: this.raw,
      workspaceId(callOptions?: WorkspaceRequestOptions): string {
        const id = callOptions?.workspaceId?.trim() || configured;
        if (!id) {
          throw new TesseraError(
            'No workspace id: pass `workspaceId` in this call\'s options, the `workspaceId` client option (`new Tessera({ workspaceId })`), ' +
              'or set the TESSERA_WORKSPACE_ID environment variable.',
          );
        }
        return id;
      },
    };
    this.apiKeys = new ApiKeys(context);
    this.keys = new Keys(context);
    this.workspaces = new Workspaces(context);
    this.members = new Members(context);
    this.roles = new Roles(context);
    this.scopes = new Scopes(context);
    this.auditLogs = new AuditLogs(context);
    this.metrics = new Metrics(context);
    this.alertSubscriptions = new AlertSubscriptions(context);
  }

  /** The calling credential (member token or API key), its workspace, and its effective scopes right now. */
  me(options?: RequestOptions): APIPromise<Me> {
    return apiPromise(() => this.raw.GET('/v1/me', fetchOptions(options)));
  }

  /**
   * Whether the server is up and its store writable (`GET /healthz`): `{ status: 'ok', version, uptime_seconds }`.
   * A failing server rejects with an `APIError` (a `500` is an `InternalServerError`, after the retries).
   * Needs no credential; the client's key is sent anyway.
   */
  health(options?: RequestOptions): APIPromise<Health> {
    return apiPromise(() => this.raw.GET('/healthz', fetchOptions(options)));
  }

  /**
   * The OpenAPI document the server implements (`GET /openapi.json`), parsed. Needs no credential; the client's
   * key is sent anyway.
   *
   * ```ts
   * const doc = await tessera.openapiDocument();
   * console.log(doc.openapi, Object.keys(doc.paths).length);
   * ```
   */
  openapiDocument(options?: RequestOptions): APIPromise<OpenApiDocument> {
    return apiPromise(() => this.raw.GET('/openapi.json', fetchOptions(options)));
  }
}
