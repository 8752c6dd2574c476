/**
 * The docs in a real browser (Debian's Chromium through playwright-core): the built site opened
 * from disk, and the reference server's `/docs`. Every operation of the spec must be on the
 * reference page; any request that leaves 127.0.0.1/localhost/file: fails the test (and is
 * blocked, so nothing actually leaves the machine), and so does any console error. Screenshots
 * go to docs/dist/screenshots/.
 *
 * Setup installs Chromium when it is missing (scripts/ensure-chromium.sh, as root, apt-get); if
 * Chromium cannot be had, the test fails saying so. docs/dist is built by test/global-setup.ts
 * when it is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openapi, operations } from '@tessera/spec';
import { docsRoutes, listen, openMemoryStore, type RunningServer } from '@tessera/server';

const CHROMIUM = '/usr/bin/chromium';
const docsDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(docsDir, 'dist');
const screenshots = join(dist, 'screenshots');

/** Every operation as the reader sees it in the sidebar: its summary. */
const summaries = Object.values(operations).map((op) => {
  const item = (openapi.paths as Record<string, Record<string, { summary: string; operationId: string }>>)[op.path]![op.method]!;
  return { operationId: item.operationId, summary: item.summary };
});

let context: BrowserContext;
let userDataDir: string;
let server: RunningServer;
const serverErrors: unknown[] = [];
let staticSite: { server: Server; url: string };

const contentTypes: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png' };

/** docs/dist over HTTP on 127.0.0.1, as a static host would serve it (typedoc's icon sprite needs an origin). */
async function serveDist(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(dist, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file.startsWith(dist) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function isLocal(url: string): boolean {
  if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('about:')) return true;
  try {
    const { hostname } = new URL(url);
    return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
  } catch {
    return false;
  }
}

interface Visit {
  page: Page;
  external: string[];
  consoleErrors: string[];
  requested: string[];
}

/** Opens a page, recording requests that would leave the machine (blocked) and console errors. */
async function visit(url: string): Promise<Visit> {
  const page = await context.newPage();
  const visit: Visit = { page, external: [], consoleErrors: [], requested: [] };
  page.on('request', (request) => visit.requested.push(request.url()));
  await page.route('**/*', (route) => {
    const target = route.request().url();
    if (isLocal(target)) return route.continue();
    visit.external.push(target);
    return route.abort('blockedbyclient');
  });
  page.on('console', (message) => {
    if (message.type() === 'error') visit.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => visit.consoleErrors.push(`uncaught: ${error.message}`));
  await page.goto(url, { waitUntil: 'load' });
  return visit;
}

/** Waits until the page's text holds every operation's summary, then reports the missing ones. */
async function operationsOnPage(page: Page): Promise<string[]> {
  const wanted = summaries.map((s) => s.summary);
  await page
    .waitForFunction((texts) => texts.every((text) => document.body.innerText.includes(text)), wanted, { timeout: 30_000, polling: 250 })
    .catch(() => undefined);
  const text = await page.evaluate(() => document.body.innerText);
  return summaries.filter((s) => !text.includes(s.summary)).map((s) => `${s.operationId} ("${s.summary}")`);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    const ensure = spawnSync('bash', [join(docsDir, 'scripts', 'ensure-chromium.sh')], { stdio: 'inherit' });
    if (ensure.status !== 0 || !existsSync(CHROMIUM)) {
      throw new Error(`Chromium is required at ${CHROMIUM} for the docs browser test and could not be installed (scripts/ensure-chromium.sh exited ${ensure.status}). Install Debian's chromium package.`);
    }
  }
  rmSync(screenshots, { recursive: true, force: true });
  mkdirSync(screenshots, { recursive: true });

  // docsRoutes is a no-op once app.ts mounts the docs itself.
  server = await listen({ store: openMemoryStore(), events: { record: () => {} }, logError: (error) => serverErrors.push(error), configureApp: docsRoutes });

  staticSite = await serveDist();
  userDataDir = mkdtempSync(join(tmpdir(), 'tessera-docs-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    viewport: { width: 1280, height: 900 },
    serviceWorkers: 'block',
  });
}, 600_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  await new Promise<void>((resolve) => (staticSite ? staticSite.server.close(() => resolve()) : resolve()));
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

describe('the API reference in Chromium', () => {
  it('docs/dist/api/index.html, opened from disk, shows every operation, offline and without console errors', async () => {
    const v = await visit(pathToFileURL(join(dist, 'api', 'index.html')).href);
    const missing = await operationsOnPage(v.page);
    await v.page.screenshot({ path: join(screenshots, 'api-reference.png') });
    expect(missing, 'operations not on the page').toEqual([]);
    expect(v.requested.some((url) => url.endsWith('/api/scalar.js')), 'the local Scalar bundle is loaded').toBe(true);
    // The spec's examples are on the page: open "Create an API key" and find its example key.
    await v.page.getByText('Create an API key', { exact: true }).first().click();
    const example = (openapi.components as { examples: { ApiKeyCreated: { value: { key: string } } } }).examples.ApiKeyCreated.value.key;
    await v.page.waitForFunction((text) => document.body.innerText.includes(text), example, { timeout: 15_000, polling: 250 }).catch(() => undefined);
    await v.page.screenshot({ path: join(screenshots, 'api-reference-create-key.png') });
    expect(await v.page.evaluate(() => document.body.innerText), 'the example response of createApiKey').toContain(example);
    expect(v.external, 'requests that leave the machine').toEqual([]);
    expect(v.consoleErrors, 'console errors').toEqual([]);
    await v.page.close();
  });

  it("the server's /docs shows every operation, from its own /docs/scalar.js and /openapi.json, offline and without console errors", async () => {
    const v = await visit(`${server.url}/docs`);
    const missing = await operationsOnPage(v.page);
    await v.page.screenshot({ path: join(screenshots, 'server-docs.png') });
    expect(missing, 'operations not on the page').toEqual([]);
    expect(v.requested).toEqual(expect.arrayContaining([`${server.url}/docs/scalar.js`, `${server.url}/openapi.json`]));
    expect(v.external, 'requests that leave the machine').toEqual([]);
    expect(v.consoleErrors, 'console errors').toEqual([]);
    expect(serverErrors).toEqual([]);
    await v.page.close();
  });
});

describe('the rest of the site in Chromium', () => {
  it('the index links to pages that exist; every guide and the SDK reference open offline without console errors', async () => {
    const index = await visit(pathToFileURL(join(dist, 'index.html')).href);
    await index.page.screenshot({ path: join(screenshots, 'index.png'), fullPage: true });
    const links = await index.page.$$eval('a[href]', (anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
    const broken = links.filter((href) => href.startsWith('file:') && !existsSync(fileURLToPath(href.split('#')[0]!)));
    expect(broken, 'links to missing files').toEqual([]);
    const guides = readdirSync(join(dist, 'guides')).filter((name) => name.endsWith('.html'));
    expect(guides.length).toBeGreaterThanOrEqual(8);
    for (const guide of guides) expect(links, `the index links to ${guide}`).toContain(pathToFileURL(join(dist, 'guides', guide)).href);
    const problems: string[] = [...index.external, ...index.consoleErrors];
    await index.page.close();

    // Guides from disk; the SDK reference (typedoc) from a local static host, since its icon
    // sprite is an <svg><use> of another file, which Chromium refuses between file: URLs.
    const pages = guides.map((guide) => pathToFileURL(join(dist, 'guides', guide)).href);
    if (existsSync(join(dist, 'sdk', 'index.html'))) pages.push(`${staticSite.url}/sdk/index.html`);
    for (const file of pages) {
      const v = await visit(file);
      const title = await v.page.title();
      expect(title, file).not.toBe('');
      if (file.startsWith('file:')) {
        const hrefs = await v.page.$$eval('a[href]', (anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
        problems.push(...hrefs.filter((href) => href.startsWith('file:') && !existsSync(fileURLToPath(href.split('#')[0]!))).map((href) => `${file}: broken link ${href}`));
      }
      if (file.endsWith('zero-downtime-rotation.html')) await v.page.screenshot({ path: join(screenshots, 'guide.png') });
      if (file.endsWith('/sdk/index.html')) await v.page.screenshot({ path: join(screenshots, 'sdk-reference.png') });
      problems.push(...v.external.map((url) => `${file}: request to ${url}`), ...v.consoleErrors.map((text) => `${file}: ${text}`));
      await v.page.close();
    }
    expect(problems, 'external requests and console errors').toEqual([]);
  });
});
