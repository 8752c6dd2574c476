import * as z from '@tessera/spec/zod';
import { actionContext, jsonBody, operationRoute, queryOf } from '../http/operation.js';
import type { App, Services } from './services.js';

export function roleRoutes(app: App, { roles }: Services): void {
  app.openapi(operationRoute('listRoles', { params: z.zListRolesPath, query: queryOf('listRoles', z.zListRolesQuery) }), async (c) => {
    return c.json(await roles.list(actionContext(c), c.req.valid('param').workspace_id, c.req.valid('query')), 200);
  });

  app.openapi(operationRoute('createRole', { params: z.zCreateRolePath, body: jsonBody(z.zCreateRoleBody) }), async (c) => {
    return c.json(await roles.create(actionContext(c), c.req.valid('param').workspace_id, c.req.valid('json')), 201);
  });

  app.openapi(operationRoute('getRole', { params: z.zGetRolePath }), async (c) => {
    const { workspace_id, role_id } = c.req.valid('param');
    return c.json(await roles.get(actionContext(c), workspace_id, role_id), 200);
  });

  app.openapi(operationRoute('updateRole', { params: z.zUpdateRolePath, body: jsonBody(z.zUpdateRoleBody) }), async (c) => {
    const { workspace_id, role_id } = c.req.valid('param');
    return c.json(await roles.update(actionContext(c), workspace_id, role_id, c.req.valid('json')), 200);
  });

  app.openapi(operationRoute('deleteRole', { params: z.zDeleteRolePath }), async (c) => {
    const { workspace_id, role_id } = c.req.valid('param');
    await roles.delete(actionContext(c), workspace_id, role_id);
    return c.body(null, 204) as never;
  });

  app.openapi(operationRoute('listScopes', { params: z.zListScopesPath, query: queryOf('listScopes', z.zListScopesQuery) }), async (c) => {
    return c.json(await roles.listScopes(actionContext(c), c.req.valid('param').workspace_id, c.req.valid('query')), 200);
  });

  app.openapi(operationRoute('createScope', { params: z.zCreateScopePath, body: jsonBody(z.zCreateScopeBody) }), async (c) => {
    return c.json(await roles.createScope(actionContext(c), c.req.valid('param').workspace_id, c.req.valid('json')), 201);
  });

  app.openapi(operationRoute('updateScope', { params: z.zUpdateScopePath, body: jsonBody(z.zUpdateScopeBody) }), async (c) => {
    const { workspace_id, scope_name } = c.req.valid('param');
    return c.json(await roles.updateScope(actionContext(c), workspace_id, scope_name, c.req.valid('json')), 200);
  });

  app.openapi(operationRoute('deleteScope', { params: z.zDeleteScopePath }), async (c) => {
    const { workspace_id, scope_name } = c.req.valid('param');
    await roles.deleteScope(actionContext(c), workspace_id, scope_name);
    return c.body(null, 204) as never;
  });
}
