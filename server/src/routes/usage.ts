import * as z from '@tessera/spec/zod';
import { metricsContentType, metricsText } from '../usage/index.js';
import { requireOwnWorkspace } from '../domain/workspaces.js';
import { actionContext, operationRoute, queryOf } from '../http/operation.js';
import type { App, Services } from './services.js';

export function usageRoutes(app: App, { pipeline }: Services): void {
  app.openapi(operationRoute('getUsageMetrics', { params: z.zGetUsageMetricsPath, query: queryOf('getUsageMetrics', z.zGetUsageMetricsQuery) }), async (c) => {
    const { workspace_id } = c.req.valid('param');
    requireOwnWorkspace(actionContext(c).principal, workspace_id);
    return c.json(pipeline.usage.query(workspace_id, c.req.valid('query')), 200);
  });

  app.openapi(operationRoute('getPrometheusMetrics'), async (c) => {
    c.header('Content-Type', metricsContentType(pipeline.metrics));
    return c.body(await metricsText(pipeline.metrics), 200) as never;
  });
}
