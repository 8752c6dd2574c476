import { openapi } from '@tessera/spec';
import { operationRoute } from '../http/operation.js';
import type { App, Services } from './services.js';

export function operationsRoutes(app: App, { version, startedAt }: Services): void {
  app.openapi(operationRoute('getHealth'), (c) =>
    c.json({ status: 'ok' as const, version, uptime_seconds: Math.floor((Date.now() - startedAt) / 1000) }, 200),
  );
  app.openapi(operationRoute('getOpenApiDocument'), (c) => c.json(openapi as never, 200));
}
