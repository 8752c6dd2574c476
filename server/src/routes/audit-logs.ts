import * as z from '@tessera/spec/zod';
import { EXPORT_CONTENT_TYPES, exportFileName } from '../audit/index.js';
import { requireOwnWorkspace } from '../domain/workspaces.js';
import { actionContext, jsonBody, operationRoute, queryOf } from '../http/operation.js';
import type { App, Services } from './services.js';

export function auditLogRoutes(app: App, { pipeline }: Services): void {
  app.openapi(operationRoute('listAuditEvents', { params: z.zListAuditEventsPath, query: queryOf('listAuditEvents', z.zListAuditEventsQuery) }), async (c) => {
    const { workspace_id } = c.req.valid('param');
    requireOwnWorkspace(actionContext(c).principal, workspace_id);
    const { cursor, limit, ...filters } = c.req.valid('query');
    return c.json(await pipeline.audit.list(workspace_id, filters, { cursor, limit }), 200);
  });

  app.openapi(operationRoute('exportAuditEvents', { params: z.zExportAuditEventsPath, query: queryOf('exportAuditEvents', z.zExportAuditEventsQuery) }), async (c) => {
    const ctx = actionContext(c);
    const { workspace_id } = c.req.valid('param');
    requireOwnWorkspace(ctx.principal, workspace_id);
    const { format, ...filters } = c.req.valid('query');
    const stream = pipeline.audit.exportStream(workspace_id, filters, format);
    ctx.events.push({ type: 'audit_log.exported', target: null, details: { format, filters, delivery: 'download' } });
    c.header('Content-Type', EXPORT_CONTENT_TYPES[format]);
    c.header('Content-Disposition', `attachment; filename="${exportFileName(format, ctx.now)}"`);
    return c.body(stream, 200) as never;
  });

  app.openapi(operationRoute('createAuditExport', { params: z.zCreateAuditExportPath, body: jsonBody(z.zCreateAuditExportBody) }), async (c) => {
    const ctx = actionContext(c);
    const { workspace_id } = c.req.valid('param');
    requireOwnWorkspace(ctx.principal, workspace_id);
    return c.json(await pipeline.exports.create(workspace_id, c.req.valid('json'), ctx), 202);
  });

  app.openapi(operationRoute('getAuditExport', { params: z.zGetAuditExportPath }), async (c) => {
    const { workspace_id, export_id } = c.req.valid('param');
    requireOwnWorkspace(actionContext(c).principal, workspace_id);
    return c.json(await pipeline.exports.get(workspace_id, export_id), 200);
  });

  app.openapi(operationRoute('checkAuditIntegrity', { params: z.zCheckAuditIntegrityPath }), async (c) => {
    const { workspace_id } = c.req.valid('param');
    requireOwnWorkspace(actionContext(c).principal, workspace_id);
    return c.json(await pipeline.audit.verifyIntegrity(workspace_id), 200);
  });
}
