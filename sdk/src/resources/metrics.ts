import type { GetMetricsParams, UsageMetrics } from '../types.js';
import { APIResource, fetchOptions, type APIPromise, type WorkspaceRequestOptions } from './shared.js';

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
}
