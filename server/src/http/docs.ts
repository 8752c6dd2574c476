/**
 * The API reference page at `/docs`, fully offline: Scalar's standalone bundle is served from a
 * local route (`/docs/scalar.js`, read from the installed @scalar/api-reference), the document
 * from `/openapi.json`, no web fonts, no telemetry, no hosted API client or proxy. A
 * Content-Security-Policy limits the page to this origin, so even a Scalar upgrade that tried to
 * reach a CDN could not. The docs build (docs/scripts/build.ts) renders the same page with the
 * document inlined, for `docs/dist/api/index.html`.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Context, Hono } from 'hono';
import { openapi } from '@tessera/spec';

export const DOCS_PATH = '/docs';
export const SCALAR_BUNDLE_PATH = '/docs/scalar.js';

/**
 * Scalar settings that keep the page offline and quiet. `withDefaultFonts: false` drops the
 * fonts.scalar.com web fonts; `telemetry: false`, `agent.disabled`, `hideClientButton` and
 * `showDeveloperTools: 'never'` remove everything that talks to scalar.com; no `proxyUrl`, so
 * "Test request" calls the server directly.
 */
export const scalarOfflineConfiguration = {
  theme: 'default',
  layout: 'modern',
  withDefaultFonts: false,
  telemetry: false,
  hideClientButton: true,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  defaultOpenAllTags: true,
  showOperationId: true,
  documentDownloadType: 'json',
  hideDarkModeToggle: false,
  customCss: `:root { --scalar-font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; --scalar-font-code: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }`,
} as const;

/** Content-Security-Policy of the reference page: this origin (or the file) only. */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

export interface ApiReferencePage {
  title?: string;
  /** Where the page loads Scalar's standalone bundle from (a local URL or relative path). */
  scriptUrl: string;
  /** The URL of the OpenAPI document (served pages)… */
  specUrl?: string;
  /** …or the document itself, inlined (static files opened from disk, where fetch cannot read files). */
  spec?: unknown;
  /** Also set the policy in a <meta> tag (for static files, which get no HTTP headers). */
  metaContentSecurityPolicy?: boolean;
  /** Servers offered for "Test request", instead of the document's own. */
  servers?: Array<{ url: string; description?: string }>;
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The reference page's HTML. */
export function apiReferenceHtml(page: ApiReferencePage): string {
  if ((page.spec === undefined) === (page.specUrl === undefined)) throw new Error('give exactly one of spec and specUrl');
  const configuration = {
    ...scalarOfflineConfiguration,
    ...(page.spec !== undefined ? { content: page.spec } : { url: page.specUrl }),
    ...(page.servers ? { servers: page.servers } : {}),
  };
  const title = escapeHtml(page.title ?? 'Tessera API reference');
  const csp = page.metaContentSecurityPolicy ? `\n    <meta http-equiv="Content-Security-Policy" content="${escapeHtml(DOCS_CONTENT_SECURITY_POLICY)}" />` : '';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />${csp}
    <title>${title}</title>
    <link rel="icon" href="data:," />
  </head>
  <body>
    <div id="app"></div>
    <script src="${escapeHtml(page.scriptUrl)}"></script>
    <script>
      Scalar.createApiReference('#app', ${scriptJson(configuration)});
    </script>
  </body>
</html>
`;
}

/** The installed standalone bundle of @scalar/api-reference (a single file, no further downloads). */
export function scalarBundleFile(): string {
  return createRequire(import.meta.url).resolve('@scalar/api-reference/browser/standalone.js');
}

let bundle: Promise<Buffer> | undefined;
function readBundle(): Promise<Buffer> {
  bundle ??= readFile(scalarBundleFile()).catch((error: unknown) => {
    bundle = undefined;
    throw error;
  });
  return bundle;
}

/**
 * Mounts `GET /docs` (and `/docs/`) and `GET /docs/scalar.js`. The page needs `/openapi.json`,
 * which the app serves already. Mounting twice is harmless.
 */
export function docsRoutes(app: Hono<any>): void {
  if (app.routes.some((route) => route.path === SCALAR_BUNDLE_PATH)) return;
  const documentServers = ((openapi as { servers?: Array<{ url: string; description?: string }> }).servers ?? []).map((s) => ({ ...s }));
  const page = (c: Context) => {
    // "Test request" goes to the server that serves this page first, then the documented ones.
    const origin = new URL(c.req.url).origin;
    const servers = [{ url: origin, description: 'This server' }, ...documentServers.filter((s) => s.url !== origin)];
    c.header('Content-Security-Policy', DOCS_CONTENT_SECURITY_POLICY);
    c.header('Cache-Control', 'no-cache');
    return c.html(apiReferenceHtml({ scriptUrl: SCALAR_BUNDLE_PATH, specUrl: '/openapi.json', servers }));
  };
  app.get(DOCS_PATH, page);
  app.get(`${DOCS_PATH}/`, page);
  app.get(SCALAR_BUNDLE_PATH, async (c) => {
    const body = await readBundle();
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=86400',
    });
  });
}
