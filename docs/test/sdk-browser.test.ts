/**
 * The published SDK (sdk/dist, ESM, unbundled) in a real browser: Chromium loads it from the
 * reference server's own origin with an import map for openapi-fetch, refuses a secret key without
 * `dangerouslyAllowBrowser`, and with it creates, verifies and reads keys. Nothing may be
 * requested from anywhere but that server, and nothing may log an error.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap, listen, openMemoryStore, type RunningServer } from '@tessera/server';

const require = createRequire(import.meta.url);
const sdkDist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'sdk', 'dist');
const openapiFetch = join(dirname(require.resolve('openapi-fetch/package.json')), 'dist', 'index.mjs');

const page = `<!doctype html><html><head><meta charset="utf-8"><title>SDK in the browser</title>
<script type="importmap">{"imports":{"openapi-fetch":"/__sdk/openapi-fetch.mjs"}}</script>
<script type="module">import * as sdk from '/__sdk/dist/index.js'; window.tesseraSdk = sdk; document.title = 'ready';</script>
</head><body></body></html>`;

let server: RunningServer;
let context: BrowserContext;
let token: string;
let workspaceId: string;

beforeAll(async () => {
  if (!existsSync(join(sdkDist, 'index.js'))) throw new Error('sdk/dist is missing: build the SDK first (turbo does this before tests)');
  const store = openMemoryStore();
  const boot = (await bootstrap(store, new Date()))!;
  token = boot.token!;
  workspaceId = boot.workspace.id;
  server = await listen({
    store,
    configureApp: (app) => {
      app.get('/__sdk/page', (c) => c.html(page));
      app.get('/__sdk/openapi-fetch.mjs', (c) => c.body(readFileSync(openapiFetch, 'utf8'), 200, { 'content-type': 'text/javascript' }));
      app.get('/__sdk/dist/:file', (c) => {
        const file = basename(c.req.param('file'));
        if (!file.endsWith('.js') || !existsSync(join(sdkDist, file))) return c.text('not found', 404);
        return c.body(readFileSync(join(sdkDist, file), 'utf8'), 200, { 'content-type': 'text/javascript' });
      });
    },
  });
  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'tessera-sdk-chromium-')), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
});

describe('the SDK in Chromium', () => {
  it('refuses a secret key unless allowed, then creates, verifies and reads keys', async () => {
    const tab = await context.newPage();
    const foreign: string[] = [];
    const consoleErrors: string[] = [];
    tab.on('request', (r) => {
      if (!r.url().startsWith(server.url)) foreign.push(r.url());
    });
    tab.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    tab.on('pageerror', (e) => consoleErrors.push(e.message));
    await tab.goto(`${server.url}/__sdk/page`);
    await tab.waitForFunction(() => document.title === 'ready', undefined, { timeout: 20_000 });

    const outcome = await tab.evaluate(
      async ({ token, workspaceId }) => {
        const { Tessera, isWellFormedKey } = (window as unknown as { tesseraSdk: typeof import('@tessera/sdk') }).tesseraSdk;
        let guard = 'constructed';
        try {
          new Tessera({ apiKey: token, baseURL: location.origin, workspaceId });
        } catch (error) {
          guard = (error as Error).message;
        }
        const tessera = new Tessera({ apiKey: token, baseURL: location.origin, workspaceId, dangerouslyAllowBrowser: true });
        const me = await tessera.me();
        const created = await tessera.apiKeys.create({ name: 'Browser key', scopes: ['api_keys.read'] });
        const verdict = await tessera.keys.verify({ key: created.key, required_scopes: ['api_keys.read'] });
        let notFound = 'none';
        try {
          await tessera.apiKeys.get('key_0000000000000000000000');
        } catch (error) {
          notFound = (error as Error).constructor.name;
        }
        return { guard, me: me.credential.type, wellFormed: isWellFormedKey(created.key), verify: verdict.code, notFound };
      },
      { token, workspaceId },
    );

    expect(outcome.guard).toMatch(/dangerouslyAllowBrowser/);
    expect(outcome).toMatchObject({ me: 'member_token', wellFormed: true, verify: 'valid', notFound: 'NotFoundError' });
    expect(foreign).toEqual([]);
    expect(consoleErrors.filter((e) => !/404 \(Not Found\)/.test(e))).toEqual([]);
    await tab.close();
  });
});
