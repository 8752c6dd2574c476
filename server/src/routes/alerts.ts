import * as z from '@tessera/spec/zod';
import { requireOwnWorkspace } from '../domain/workspaces.js';
import { actionContext, jsonBody, operationRoute, queryOf } from '../http/operation.js';
import type { App, Services } from './services.js';

export function alertRoutes(app: App, { pipeline: { alerts } }: Services): void {
  const own = (c: Parameters<typeof actionContext>[0], workspaceId: string) => {
    const ctx = actionContext(c);
    requireOwnWorkspace(ctx.principal, workspaceId);
    return ctx;
  };

  app.openapi(operationRoute('listAlertSubscriptions', { params: z.zListAlertSubscriptionsPath, query: queryOf('listAlertSubscriptions', z.zListAlertSubscriptionsQuery) }), async (c) => {
    const { workspace_id } = c.req.valid('param');
    own(c, workspace_id);
    return c.json(await alerts.list(workspace_id, c.req.valid('query')), 200);
  });

  app.openapi(operationRoute('createAlertSubscription', { params: z.zCreateAlertSubscriptionPath, body: jsonBody(z.zCreateAlertSubscriptionBody) }), async (c) => {
    const { workspace_id } = c.req.valid('param');
    return c.json(await alerts.create(workspace_id, c.req.valid('json'), own(c, workspace_id)), 201);
  });

  app.openapi(operationRoute('getAlertSubscription', { params: z.zGetAlertSubscriptionPath }), async (c) => {
    const { workspace_id, subscription_id } = c.req.valid('param');
    own(c, workspace_id);
    return c.json(await alerts.get(workspace_id, subscription_id), 200);
  });

  app.openapi(operationRoute('updateAlertSubscription', { params: z.zUpdateAlertSubscriptionPath, body: jsonBody(z.zUpdateAlertSubscriptionBody) }), async (c) => {
    const { workspace_id, subscription_id } = c.req.valid('param');
    return c.json(await alerts.update(workspace_id, subscription_id, c.req.valid('json'), own(c, workspace_id)), 200);
  });

  app.openapi(operationRoute('deleteAlertSubscription', { params: z.zDeleteAlertSubscriptionPath }), async (c) => {
    const { workspace_id, subscription_id } = c.req.valid('param');
    await alerts.delete(workspace_id, subscription_id, own(c, workspace_id));
    return c.body(null, 204) as never;
  });

  app.openapi(operationRoute('testAlertSubscription', { params: z.zTestAlertSubscriptionPath }), async (c) => {
    const { workspace_id, subscription_id } = c.req.valid('param');
    own(c, workspace_id);
    return c.json(await alerts.sendTest(workspace_id, subscription_id), 202);
  });

  app.openapi(operationRoute('listAlertDeliveries', { params: z.zListAlertDeliveriesPath, query: queryOf('listAlertDeliveries', z.zListAlertDeliveriesQuery) }), async (c) => {
    const { workspace_id, subscription_id } = c.req.valid('param');
    own(c, workspace_id);
    return c.json(await alerts.listDeliveries(workspace_id, subscription_id, c.req.valid('query')), 200);
  });
}
