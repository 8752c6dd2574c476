import * as z from '@tessera/spec/zod';
import { actionContext, jsonBody, operationRoute, queryOf } from '../http/operation.js';
import type { App, Services } from './services.js';

export function verifyRoutes(app: App, { verification, auditor }: Services): void {
  app.openapi(operationRoute('verifyApiKey', { body: jsonBody(z.zVerifyApiKeyBody) }), async (c) => {
    const ctx = actionContext(c);
    const { result, key } = await verification.verify(ctx, c.req.valid('json'));
    auditor.verification(c, ctx.principal.workspace.id, key, result.code);
    return c.json(result, 200);
  });
}
