import type { GetMetricsParams, UsageMetrics } from '../types.js';
import { APIResource, apiPromise, fetchOptions, withDataDefault, type APIPromise, type RequestOptions, type WorkspaceRequestOptions } from './shared.js';

/** The Prometheus text exposition format, or the problem details of an error. */
const PROMETHEUS_ACCEPT = 'text/plain, application/problem+json';

/** Request metrics: `tessera.metrics`. */
export class Metrics extends APIResource {
  /**
   * Requests by outcome (used, failed authentication, rate limited) and by status, per `hour` or `day`
   * (default), from `start` (inclusive) to `end` (exclusive), for the workspace or one key (`key_id`).
   */
  get(query: GetMetricsParams, options?: WorkspaceRequestOptions): APIPromise<UsageMetrics> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.GET('/v1/workspaces/{workspace_id}/metrics', { params: { path: { workspace_id }, query }, ...fetchOptions(options) }),
    );
  }

  /**
   * The server's Prometheus metrics (`GET /metrics`) as the text a scraper reads: request counts and latency
   * by route, keys by status, rate-limiter rejections. Server-wide, not per workspace; needs no credential (the
   * client's key is sent anyway). An empty body resolves with `''`.
   *
   * ```ts
   * const text = await tessera.metrics.prometheus();
   * const requests = text.split('\n').filter((line) => line.startsWith('tessera_http_requests_total'));
   * ```
   */
  prometheus(options?: RequestOptions): APIPromise<string> {
    const text = apiPromise(() => this._ctx.raw.GET('/metrics', { parseAs: 'text', ...fetchOptions(options, { Accept: PROMETHEUS_ACCEPT }) }));
    return withDataDefault(text as APIPromise<string | undefined>, () => '');
  }
}
