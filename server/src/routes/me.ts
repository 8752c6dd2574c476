import { operationRoute } from '../http/operation.js';
import type { App } from './services.js';

export function meRoutes(app: App): void {
  app.openapi(operationRoute('getMe'), async (c) => {
    const principal = c.get('principal')!;
    const { member, workspace, key } = principal;
    const credential = key
      ? { type: 'api_key' as const, id: key.id, display_prefix: key.key_prefix, name: key.name }
      : { type: 'member_token' as const, id: member.id, display_prefix: member.token_prefix };
    return c.json(
      {
        credential,
        member: { id: member.id, name: member.name, email: member.email, role: member.role },
        workspace: { id: workspace.id, name: workspace.name },
        scopes: principal.scopes,
      },
      200,
    );
  });
}
