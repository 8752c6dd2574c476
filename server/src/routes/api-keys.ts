import * as z from '@tessera/spec/zod';
import { actionContext, jsonBody, operationRoute, queryOf } from '../http/operation.js';
import type { App, Services } from './services.js';

export function apiKeyRoutes(app: App, { apiKeys }: Services): void {
  app.openapi(operationRoute('listApiKeys', { params: z.zListApiKeysPath, query: queryOf('listApiKeys', z.zListApiKeysQuery) }), async (c) => {
    const query = c.req.valid('query');
    return c.json(await apiKeys.list(actionContext(c), c.req.valid('param').workspace_id, query, query), 200);
  });

  app.openapi(operationRoute('createApiKey', { params: z.zCreateApiKeyPath, body: jsonBody(z.zCreateApiKeyBody) }), async (c) => {
    const { view, key } = await apiKeys.create(actionContext(c), c.req.valid('param').workspace_id, c.req.valid('json'));
    return c.json({ ...view, key }, 201);
  });

  app.openapi(operationRoute('getApiKey', { params: z.zGetApiKeyPath }), async (c) => {
    const { workspace_id, key_id } = c.req.valid('param');
    return c.json(await apiKeys.get(actionContext(c), workspace_id, key_id), 200);
  });

  app.openapi(operationRoute('updateApiKey', { params: z.zUpdateApiKeyPath, body: jsonBody(z.zUpdateApiKeyBody) }), async (c) => {
    const { workspace_id, key_id } = c.req.valid('param');
    return c.json(await apiKeys.update(actionContext(c), workspace_id, key_id, c.req.valid('json')), 200);
  });

  app.openapi(operationRoute('deleteApiKey', { params: z.zDeleteApiKeyPath }), async (c) => {
    const { workspace_id, key_id } = c.req.valid('param');
    const revoked = await apiKeys.revoke(actionContext(c), workspace_id, key_id);
    return c.json({ id: revoked.id, status: 'revoked' as const }, 200);
  });

  app.openapi(operationRoute('rotateApiKey', { params: z.zRotateApiKeyPath, body: jsonBody(z.zRotateApiKeyBody) }), async (c) => {
    const { workspace_id, key_id } = c.req.valid('param');
    const body = (c.req.valid('json') ?? {}) as { grace_period_seconds?: number };
    const { view, key, previous } = await apiKeys.rotate(actionContext(c), workspace_id, key_id, body.grace_period_seconds);
    return c.json({ ...view, key, previous_key: previous }, 201);
  });

  for (const [operationId, change] of [
    ['disableApiKey', 'disable'],
    ['enableApiKey', 'enable'],
    ['revokeApiKey', 'revoke'],
  ] as const) {
    app.openapi(operationRoute(operationId, { params: z.zGetApiKeyPath }), async (c) => {
      const { workspace_id, key_id } = c.req.valid('param');
      return c.json(await apiKeys[change](actionContext(c), workspace_id, key_id), 200);
    });
  }
}
