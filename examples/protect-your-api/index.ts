/**
 * Protect your own API with Tessera keys (docs/guides/protecting-your-api.md): a tiny Hono app whose
 * `/workflows/*` routes need a key with `workflows.execute`, served on 127.0.0.1. It is called with a
 * good key (200), a key without the scope (403) and no key (401).
 *
 *   TESSERA_BASE_URL, TESSERA_API_KEY (an admin's token), TESSERA_WORKSPACE_ID
 *   PORT (optional): where the app listens; default a free port
 *
 *   node --conditions=tessera-source --import tsx examples/protect-your-api/index.ts
 */
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import { ConflictError, Tessera } from '@tessera/sdk';
import { tesseraAuth } from '@tessera/sdk/hono';
import { Hono } from 'hono';

/** Your API. `verifier` is a Tessera client whose key has the `keys.verify` scope. */
export function createApp(verifier: Tessera) {
  const app = new Hono();
  app.use('/workflows/*', tesseraAuth({ client: verifier, requiredScopes: ['workflows.execute'], verifyOptions: { timeout: 2_000 } }));
  app.post('/workflows/:id/run', (c) => {
    const key = c.get('tesseraKey');
    return c.json({ workflow: c.req.param('id'), status: 'started', started_by: key.name, customer: key.metadata.customer ?? null });
  });
  return app;
}

export interface ProtectSummary {
  url: string;
  calls: { caller: string; status: number; code: string | null; remaining: string | null }[];
}

export async function main(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<ProtectSummary> {
  const admin = new Tessera({ apiKey: env.TESSERA_API_KEY, baseURL: env.TESSERA_BASE_URL, workspaceId: env.TESSERA_WORKSPACE_ID });
  for (const name of ['workflows.execute', 'runs.read']) {
    await admin.scopes.create({ name }).catch((error: unknown) => {
      if (!(error instanceof ConflictError)) throw error;
    });
  }

  // The backend's own credential: it may verify keys, nothing else.
  const verifierKey = await admin.apiKeys.create({ name: 'prod-api-gateway-verifier', scopes: ['keys.verify'], expires_in: '1y' });
  // Two customers' keys: one may run workflows, the other may only read runs.
  const runner = await admin.apiKeys.create({ name: 'acme-workflows', scopes: ['workflows.execute'], expires_in: '90d', metadata: { customer: 'acme' } });
  const reader = await admin.apiKeys.create({ name: 'globex-readonly', scopes: ['runs.read'], expires_in: '90d', metadata: { customer: 'globex' } });

  const app = createApp(new Tessera({ apiKey: verifierKey.key, baseURL: admin.config.baseURL }));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(env.PORT ?? 0) }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  log(`your API listens on ${url}`);

  try {
    const calls: ProtectSummary['calls'] = [];
    for (const [caller, key] of [['acme (workflows.execute)', runner.key], ['globex (runs.read only)', reader.key], ['nobody (no key)', undefined]] as const) {
      const response = await fetch(`${url}/workflows/deploy/run`, { method: 'POST', headers: key ? { Authorization: `Bearer ${key}` } : {} });
      const body = (await response.json()) as { code?: string; detail?: string };
      calls.push({ caller, status: response.status, code: body.code ?? null, remaining: response.headers.get('x-ratelimit-remaining') });
      log(`POST /workflows/deploy/run as ${caller}: ${response.status} ${JSON.stringify(body)}`);
    }
    const statuses = calls.map((c) => c.status).join(',');
    if (statuses !== '200,403,401') throw new Error(`expected 200, 403, 401; got ${statuses}`);
    return { url, calls };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exitCode = 1;
  });
}
