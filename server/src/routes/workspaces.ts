import * as z from '@tessera/spec/zod';
import { actionContext, jsonBody, operationRoute, queryOf } from '../http/operation.js';
import type { App, Services } from './services.js';

export function workspaceRoutes(app: App, { workspaces }: Services): void {
  app.openapi(operationRoute('listWorkspaces', { query: queryOf('listWorkspaces', z.zListWorkspacesQuery) }), async (c) => {
    return c.json(await workspaces.list(actionContext(c), c.req.valid('query')), 200);
  });

  app.openapi(operationRoute('createWorkspace', { body: jsonBody(z.zCreateWorkspaceBody) }), async (c) => {
    return c.json(await workspaces.create(actionContext(c), c.req.valid('json')), 201);
  });

  app.openapi(operationRoute('getWorkspace', { params: z.zGetWorkspacePath }), async (c) => {
    return c.json(await workspaces.get(actionContext(c), c.req.valid('param').workspace_id), 200);
  });

  app.openapi(operationRoute('updateWorkspace', { params: z.zUpdateWorkspacePath, body: jsonBody(z.zUpdateWorkspaceBody) }), async (c) => {
    return c.json(await workspaces.update(actionContext(c), c.req.valid('param').workspace_id, c.req.valid('json')), 200);
  });
}
