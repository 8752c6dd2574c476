/**
 * `npm run docs` (turbo runs this as @tessera/docs `build`): builds docs/dist/, every page of it
 * usable offline, straight from disk or from any static file server.
 *
 *   dist/index.html          what is where
 *   dist/api/index.html      the API reference: spec/openapi.yaml with its examples, rendered by a
 *                            local copy of Scalar's standalone bundle (dist/api/scalar.js); the
 *                            document is inlined, so it also works from file://
 *   dist/api/openapi.json    the document, for download
 *   dist/sdk/                the SDK reference (typedoc, `npm run docs -w @tessera/sdk`)
 *   dist/guides/*.html       docs/guides/*.md rendered with markdown-it
 *
 * TESSERA_DOCS_SKIP_SDK=1 skips the (slow) typedoc step for a quick local build.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import MarkdownIt from 'markdown-it';
import { openapi } from '@tessera/spec';
import { apiReferenceHtml } from '@tessera/server/docs';

const docsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(docsDir, '..');
const dist = join(docsDir, 'dist');
const guidesDir = join(docsDir, 'guides');

export interface Guide {
  slug: string;
  title: string;
  summary: string;
  html: string;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/[^a-z0-9\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-');
}

/** markdown-it with heading anchors and `.md` links rewritten to the built `.html` pages. */
function markdown(): MarkdownIt {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  md.core.ruler.push('tessera_anchors_and_links', (state) => {
    const seen = new Map<string, number>();
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (token.type === 'heading_open') {
        const inline = tokens[i + 1]!;
        let slug = slugify(inline.content);
        const count = seen.get(slug) ?? 0;
        seen.set(slug, count + 1);
        if (count > 0) slug = `${slug}-${count}`;
        token.attrSet('id', slug);
      }
      for (const child of token.children ?? []) {
        if (child.type !== 'link_open') continue;
        const href = child.attrGet('href') ?? '';
        if (!/^[a-z]+:/i.test(href)) child.attrSet('href', href.replace(/\.md(#|$)/, '.html$1'));
      }
    }
  });
  return md;
}

export const STYLE = `
:root { color-scheme: light dark; --fg: #1d1d1f; --muted: #5b5b66; --bg: #ffffff; --code-bg: #f4f4f6; --accent: #3451b2; --border: #e2e2e8; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e6ea; --muted: #a0a0ab; --bg: #18181b; --code-bg: #26262b; --accent: #8ea2ff; --border: #33333a; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
header.site { border-bottom: 1px solid var(--border); padding: 0.75rem 1.5rem; display: flex; gap: 1.25rem; align-items: baseline; flex-wrap: wrap; }
header.site a { color: var(--fg); text-decoration: none; }
header.site a.brand { font-weight: 700; }
main { max-width: 52rem; margin: 0 auto; padding: 1.5rem; }
a { color: var(--accent); }
h1, h2, h3 { line-height: 1.25; }
h2 { margin-top: 2.25rem; border-bottom: 1px solid var(--border); padding-bottom: 0.3rem; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9em; }
code { background: var(--code-bg); padding: 0.1em 0.3em; border-radius: 4px; }
pre { background: var(--code-bg); padding: 0.9rem 1rem; border-radius: 6px; overflow-x: auto; line-height: 1.45; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; margin: 1rem 0; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--border); padding: 0.35rem 0.7rem; text-align: left; vertical-align: top; }
blockquote { margin: 1rem 0; padding: 0.2rem 1rem; border-left: 4px solid var(--accent); color: var(--muted); }
ul.cards { list-style: none; padding: 0; display: grid; gap: 0.75rem; }
ul.cards li { border: 1px solid var(--border); border-radius: 8px; padding: 0.75rem 1rem; }
ul.cards li p { margin: 0.25rem 0 0; color: var(--muted); }
footer { color: var(--muted); font-size: 0.85rem; text-align: center; padding: 2rem; }
`;

/** One page of the site: local CSS, no fonts, no scripts. */
export function page(options: { title: string; body: string; depth: number; hasSdk: boolean }): string {
  const up = options.depth === 0 ? '' : '../'.repeat(options.depth);
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta http-equiv="Content-Security-Policy" content="default-src 'self'; style-src 'self'; img-src 'self' data:; script-src 'none'; object-src 'none'; base-uri 'none'" />
    <title>${escapeHtml(options.title)} · Tessera</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${up}assets/style.css" />
  </head>
  <body>
    <header class="site">
      <a class="brand" href="${up}index.html">Tessera docs</a>
      <a href="${up}api/index.html">API reference</a>
      ${options.hasSdk ? `<a href="${up}sdk/index.html">SDK reference</a>` : ''}
      <a href="${up}index.html#guides">Guides</a>
    </header>
    <main>
${options.body}
    </main>
    <footer>Tessera ${escapeHtml(String((openapi.info as { version: string }).version))} · built from spec/openapi.yaml</footer>
  </body>
</html>
`;
}

/** The reading order on the index; guides not listed follow, alphabetically. */
export const GUIDE_ORDER = [
  'ci-cd-pipeline-key',
  'batch-ingestion-with-retries',
  'monitoring-dashboard-and-prometheus',
  'zero-downtime-rotation',
  'audit-export-to-siem',
  'protecting-your-api',
  'testing-with-mocks',
  'troubleshooting-401-403-429',
];

const rank = (name: string) => {
  const index = GUIDE_ORDER.indexOf(basename(name, '.md'));
  return index < 0 ? GUIDE_ORDER.length : index;
};

export function renderGuides(): Guide[] {
  const md = markdown();
  return readdirSync(guidesDir)
    .filter((name) => name.endsWith('.md'))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
    .map((name) => {
      const source = readFileSync(join(guidesDir, name), 'utf8');
      const tokens = md.parse(source, {});
      const h1 = tokens.findIndex((t) => t.type === 'heading_open' && t.tag === 'h1');
      if (h1 < 0) throw new Error(`${name}: a guide starts with a "# Title"`);
      const firstParagraph = tokens.findIndex((t, i) => i > h1 && t.type === 'paragraph_open');
      return {
        slug: basename(name, '.md'),
        title: tokens[h1 + 1]!.content,
        summary: firstParagraph >= 0 ? tokens[firstParagraph + 1]!.content : '',
        html: md.render(source),
      };
    });
}

/** Runs the SDK's own `docs` script (typedoc) when it has one; its output ends up in dist/sdk. */
function buildSdkReference(): { built: boolean; note: string } {
  if (process.env.TESSERA_DOCS_SKIP_SDK === '1') return { built: false, note: 'skipped (TESSERA_DOCS_SKIP_SDK=1)' };
  const sdkDir = join(repoRoot, 'sdk');
  const pkg = JSON.parse(readFileSync(join(sdkDir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  if (!pkg.scripts?.docs) return { built: false, note: 'skipped: @tessera/sdk has no "docs" script' };
  const run = spawnSync('npm', ['run', 'docs', '-w', '@tessera/sdk'], { cwd: repoRoot, stdio: 'inherit', env: process.env });
  if (run.status !== 0) throw new Error(`npm run docs -w @tessera/sdk failed (exit ${run.status ?? run.signal})`);
  const typedocConfig = join(sdkDir, 'typedoc.json');
  const out = existsSync(typedocConfig) ? resolve(sdkDir, (JSON.parse(readFileSync(typedocConfig, 'utf8')) as { out?: string }).out ?? 'docs') : join(sdkDir, 'docs');
  const target = join(dist, 'sdk');
  if (resolve(out) !== target) {
    if (!existsSync(join(out, 'index.html'))) throw new Error(`the SDK docs script wrote no index.html in ${out}`);
    cpSync(out, target, { recursive: true });
  }
  if (!existsSync(join(target, 'index.html'))) throw new Error('the SDK reference has no index.html');
  return { built: true, note: `typedoc → ${relative(repoRoot, target)}` };
}

function buildApiReference(): void {
  const apiDir = join(dist, 'api');
  mkdirSync(apiDir, { recursive: true });
  const bundle = createRequire(import.meta.url).resolve('@scalar/api-reference/browser/standalone.js');
  cpSync(bundle, join(apiDir, 'scalar.js'));
  writeFileSync(join(apiDir, 'openapi.json'), `${JSON.stringify(openapi, null, 2)}\n`);
  writeFileSync(join(apiDir, 'index.html'), apiReferenceHtml({ title: 'Tessera API reference', scriptUrl: './scalar.js', spec: openapi, metaContentSecurityPolicy: true }));
}

function indexPage(guides: Guide[], hasSdk: boolean, sdkNote: string): string {
  const md = new MarkdownIt();
  // The summary is the guide's first paragraph, without its links (they are relative to the guide).
  const summaryOf = (g: Guide) => md.renderInline(g.summary.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
  const items = guides.map((g) => `        <li><a href="guides/${g.slug}.html">${escapeHtml(g.title)}</a><p>${summaryOf(g)}</p></li>`).join('\n');
  const sdk = hasSdk
    ? '<li><a href="sdk/index.html">SDK reference</a><p><code>@tessera/sdk</code>: the typed client, its errors, retries, pagination and key-format checks (typedoc).</p></li>'
    : `<li>SDK reference<p>Not in this build: ${escapeHtml(sdkNote)}.</p></li>`;
  return page({
    title: 'Documentation',
    depth: 0,
    hasSdk,
    body: `      <h1>Tessera documentation</h1>
      <p>API-key management, spec-first. Everything here is generated from <code>spec/openapi.yaml</code> and the SDK sources, and works offline.</p>
      <h2 id="reference">Reference</h2>
      <ul class="cards">
        <li><a href="api/index.html">API reference</a><p>Every operation with its parameters, responses, errors and examples. Also served by the reference server at <code>/docs</code>; the document itself is <a href="api/openapi.json">api/openapi.json</a>.</p></li>
        ${sdk}
      </ul>
      <h2 id="guides">Guides</h2>
      <ul class="cards">
${items}
      </ul>`,
  });
}

export function build(): { guides: Guide[]; sdk: { built: boolean; note: string } } {
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(join(dist, 'assets'), { recursive: true });
  const sdk = buildSdkReference();
  buildApiReference();
  writeFileSync(join(dist, 'assets', 'style.css'), STYLE.trimStart());
  const guides = renderGuides();
  mkdirSync(join(dist, 'guides'), { recursive: true });
  for (const guide of guides) {
    writeFileSync(join(dist, 'guides', `${guide.slug}.html`), page({ title: guide.title, body: guide.html, depth: 1, hasSdk: sdk.built }));
  }
  writeFileSync(join(dist, 'index.html'), indexPage(guides, sdk.built, sdk.note));
  return { guides, sdk };
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const started = Date.now();
  const { guides, sdk } = build();
  console.log(`docs/dist built in ${((Date.now() - started) / 1000).toFixed(1)} s: API reference, ${guides.length} guides, SDK reference ${sdk.built ? 'built' : sdk.note}`);
}
