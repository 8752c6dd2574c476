import * as z from '@tessera/spec/zod';
import { actionContext, jsonBody, operationRoute, queryOf } from '../http/operation.js';
import type { App, Services } from './services.js';

export function memberRoutes(app: App, { members }: Services): void {
  app.openapi(operationRoute('listMembers', { params: z.zListMembersPath, query: queryOf('listMembers', z.zListMembersQuery) }), async (c) => {
    return c.json(await members.list(actionContext(c), c.req.valid('param').workspace_id, c.req.valid('query')), 200);
  });

  app.openapi(operationRoute('createMember', { params: z.zCreateMemberPath, body: jsonBody(z.zCreateMemberBody) }), async (c) => {
    return c.json(await members.create(actionContext(c), c.req.valid('param').workspace_id, c.req.valid('json')), 201);
  });

  app.openapi(operationRoute('getMember', { params: z.zGetMemberPath }), async (c) => {
    const { workspace_id, member_id } = c.req.valid('param');
    return c.json(await members.get(actionContext(c), workspace_id, member_id), 200);
  });

  app.openapi(operationRoute('updateMember', { params: z.zUpdateMemberPath, body: jsonBody(z.zUpdateMemberBody) }), async (c) => {
    const { workspace_id, member_id } = c.req.valid('param');
    return c.json(await members.update(actionContext(c), workspace_id, member_id, c.req.valid('json')), 200);
  });

  app.openapi(operationRoute('deactivateMember', { params: z.zDeactivateMemberPath }), async (c) => {
    const { workspace_id, member_id } = c.req.valid('param');
    return c.json(await members.deactivate(actionContext(c), workspace_id, member_id), 200);
  });
}
