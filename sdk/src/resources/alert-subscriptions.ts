import type { PagePromise } from '../core/pagination.js';
import type {
  AlertDelivery,
  AlertSubscription,
  AlertSubscriptionCreated,
  CreateAlertSubscriptionParams,
  ListAlertDeliveriesParams,
  ListAlertSubscriptionsParams,
  UpdateAlertSubscriptionParams,
} from '../types.js';
import { APIResource, fetchOptions, type APIPromise, type WorkspaceRequestOptions } from './shared.js';

const SUBSCRIPTIONS = '/v1/workspaces/{workspace_id}/alert-subscriptions';
const SUBSCRIPTION = '/v1/workspaces/{workspace_id}/alert-subscriptions/{subscription_id}';

/**
 * Webhook subscriptions to alerts (new keys, keys nearing expiry, bursts of failed authentication, unusual
 * usage): `tessera.alertSubscriptions`. Deliveries are signed with HMAC-SHA256 in `Tessera-Signature`.
 */
export class AlertSubscriptions extends APIResource {
  /** The workspace's subscriptions. */
  list(query: ListAlertSubscriptionsParams = {}, options?: WorkspaceRequestOptions): PagePromise<AlertSubscription> {
    return this._list(options, query.cursor, (workspace_id, cursor) =>
      this._ctx.raw.GET(SUBSCRIPTIONS, { params: { path: { workspace_id }, query: { ...query, cursor } }, ...fetchOptions(options) }),
    );
  }

  /** Subscribes a webhook; the signing secret is in `secret`, shown only this once. */
  create(body: CreateAlertSubscriptionParams, options?: WorkspaceRequestOptions): APIPromise<AlertSubscriptionCreated> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.POST(SUBSCRIPTIONS, {
        params: { path: { workspace_id } },
        body: body as Required<CreateAlertSubscriptionParams>,
        ...fetchOptions(options),
      }),
    );
  }

  /** One subscription (never its secret). */
  get(subscriptionId: string, options?: WorkspaceRequestOptions): APIPromise<AlertSubscription> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.GET(SUBSCRIPTION, { params: { path: { workspace_id, subscription_id: subscriptionId } }, ...fetchOptions(options) }),
    );
  }

  /** Changes the URL, events or thresholds, or pauses deliveries with `enabled: false`. */
  update(subscriptionId: string, body: UpdateAlertSubscriptionParams, options?: WorkspaceRequestOptions): APIPromise<AlertSubscription> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.PATCH(SUBSCRIPTION, { params: { path: { workspace_id, subscription_id: subscriptionId } }, body, ...fetchOptions(options) }),
    );
  }

  /** Deletes a subscription; no further deliveries are made to it. */
  delete(subscriptionId: string, options?: WorkspaceRequestOptions): APIPromise<void> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.DELETE(SUBSCRIPTION, { params: { path: { workspace_id, subscription_id: subscriptionId } }, ...fetchOptions(options) }),
    ) as APIPromise<void>;
  }

  /** Sends a signed `alert.test` delivery now and returns its record. */
  test(subscriptionId: string, options?: WorkspaceRequestOptions): APIPromise<AlertDelivery> {
    return this._call(options, (workspace_id) =>
      this._ctx.raw.POST(`${SUBSCRIPTION}/test`, { params: { path: { workspace_id, subscription_id: subscriptionId } }, ...fetchOptions(options) }),
    );
  }

  /** A subscription's deliveries with their attempts and outcome, newest first. */
  listDeliveries(subscriptionId: string, query: ListAlertDeliveriesParams = {}, options?: WorkspaceRequestOptions): PagePromise<AlertDelivery> {
    return this._list(options, query.cursor, (workspace_id, cursor) =>
      this._ctx.raw.GET(`${SUBSCRIPTION}/deliveries`, {
        params: { path: { workspace_id, subscription_id: subscriptionId }, query: { ...query, cursor } },
        ...fetchOptions(options),
      }),
    );
  }
}
