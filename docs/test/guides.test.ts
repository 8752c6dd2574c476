/**
 * The guides must not drift from the spec: every API call they show is an operation of the spec,
 * every JSON body they send is valid for it, every error code, verdict, event and alert they name
 * exists, and the troubleshooting guide covers every 401, 403 and 429 code. The built reference
 * page must be offline by construction (no remote script, style or font; Scalar's fonts and
 * telemetry off).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openapi, specValidator } from '@tessera/spec';

const docsDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const guidesDir = join(docsDir, 'guides');
const dist = join(docsDir, 'dist');
const guides = Object.fromEntries(readdirSync(guidesDir).filter((f) => f.endsWith('.md')).map((f) => [f, readFileSync(join(guidesDir, f), 'utf8')]));
const schemas = (openapi.components as { schemas: Record<string, any> }).schemas;

function enumOf(schemaName: string, property = 'code'): string[] {
  const schema = schemas[schemaName];
  const values = schema.enum ?? schema.allOf?.find((part: any) => part.properties?.[property])?.properties[property].enum ?? schema.properties?.[property]?.enum;
  if (!Array.isArray(values)) throw new Error(`no enum in ${schemaName}.${property}`);
  return values;
}

const problemSchemas = Object.keys(schemas).filter((name) => name.endsWith('Problem') && name !== 'Problem');
const errorCodes = new Set(problemSchemas.flatMap((name) => enumOf(name)));
const verdicts = enumOf('VerifyApiKeyResult');
const eventTypes = enumOf('AuditEventType');
const alertEvents = enumOf('AlertEvent');

/** Shell commands of the guides' code blocks, with `\` continuations joined. */
function curlCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((block) => block.replace(/\\\n\s*/g, ' ').split('\n')).filter((line) => /\bcurl\b/.test(line));
}

/** Rows of every markdown table whose header has a column named `name` (e.g. "`code`"). */
function tableColumn(markdown: string, name: string): string[] {
  const cells: string[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('|')) continue;
    const header = lines[i]!.split('|').map((c) => c.trim());
    const column = header.indexOf(name);
    if (column < 0 || !/^\|[\s|:-]+\|$/.test(lines[i + 1] ?? '')) continue;
    for (let j = i + 2; j < lines.length && lines[j]!.startsWith('|'); j++) cells.push(lines[j]!.split('|').map((c) => c.trim())[column] ?? '');
    i++;
  }
  return cells;
}

/** Inline code spans (fenced blocks left out). */
const backticked = (text: string) => [...text.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);

describe('the guides', () => {
  it("cover the seeds' scenarios, testing and troubleshooting", () => {
    expect(Object.keys(guides).sort()).toEqual(
      expect.arrayContaining([
        'ci-cd-pipeline-key.md',
        'batch-ingestion-with-retries.md',
        'monitoring-dashboard-and-prometheus.md',
        'zero-downtime-rotation.md',
        'audit-export-to-siem.md',
        'protecting-your-api.md',
        'testing-with-mocks.md',
        'troubleshooting-401-403-429.md',
      ]),
    );
  });

  it('call only operations of the spec, with bodies the spec accepts', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const [file, text] of Object.entries(guides)) {
      for (const command of curlCommands(text)) {
        const url = /(?:\$TESSERA_URL|https?:\/\/127\.0\.0\.1:(?:4000|4010))(\/[^\s"'?]*)/.exec(command);
        if (!url) continue; // a call to your own API, not Tessera's
        const method = /-X (GET|POST|PATCH|DELETE|PUT)\b/.exec(command)?.[1] ?? (/\s-d\s/.test(command) ? 'POST' : 'GET');
        const path = url[1]!.replace(/\$[A-Z_]+/g, 'x');
        const route = specValidator().matchRoute(method, path);
        checked++;
        if (!route) {
          problems.push(`${file}: ${method} ${path} is not an operation of the spec`);
          continue;
        }
        const data = /\s-d\s+'([^']*)'/.exec(command)?.[1];
        const content = (route.operation as any).requestBody?.content?.['application/json'];
        if (data !== undefined) {
          if (!content) {
            problems.push(`${file}: ${route.operationId} takes no body`);
            continue;
          }
          let body: unknown;
          try {
            body = JSON.parse(data);
          } catch {
            problems.push(`${file}: the body for ${route.operationId} is not JSON: ${data}`);
            continue;
          }
          const pointer = `#/paths/${route.template.replace(/\//g, '~1')}/${route.method}/requestBody/content/application~1json/schema`;
          problems.push(...specValidator().validateAgainst(pointer, body).map((e) => `${file}: body for ${route.operationId}: ${e}`));
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(25);
  });

  it('name only error codes, verdicts, audit events and alert events that exist', () => {
    const problems: string[] = [];
    for (const [file, text] of Object.entries(guides)) {
      for (const cell of tableColumn(text, '`code`')) {
        for (const code of backticked(cell)) if (!errorCodes.has(code) && !verdicts.includes(code)) problems.push(`${file}: unknown code ${code}`);
      }
      for (const cell of [...tableColumn(text, 'Event type'), ...tableColumn(text, 'Event')]) {
        for (const name of backticked(cell)) {
          const known = name.endsWith('.*') ? eventTypes.some((t) => t.startsWith(name.slice(0, -1))) : eventTypes.includes(name) || alertEvents.includes(name);
          if (!known) problems.push(`${file}: unknown event ${name}`);
        }
      }
      for (const match of text.matchAll(/\b(40[0-9]|41[0-9]|42[0-9]|50[0-9]) ([a-z]+(?:_[a-z]+)+)\b/g)) {
        if (!errorCodes.has(match[2]!)) problems.push(`${file}: "${match[0]}" names no code of the spec`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('troubleshooting covers every 401, 403 and 429 code and every verification verdict', () => {
    const text = guides['troubleshooting-401-403-429.md']!;
    const named = new Set(backticked(text));
    const wanted = [...enumOf('UnauthorizedProblem'), ...enumOf('ForbiddenProblem'), ...enumOf('TooManyRequestsProblem'), ...verdicts];
    expect(wanted.filter((code) => !named.has(code))).toEqual([]);
  });

  it('are all built, and the index links every one', () => {
    const index = readFileSync(join(dist, 'index.html'), 'utf8');
    for (const file of Object.keys(guides)) {
      const html = file.replace(/\.md$/, '.html');
      expect(existsSync(join(dist, 'guides', html)), html).toBe(true);
      expect(index).toContain(`href="guides/${html}"`);
    }
  });
});

describe('the built API reference', () => {
  it('loads nothing remote: a local Scalar bundle, the document inlined, no fonts, no telemetry', () => {
    const html = readFileSync(join(dist, 'api', 'index.html'), 'utf8');
    expect(html).toContain('<script src="./scalar.js"></script>');
    expect(existsSync(join(dist, 'api', 'scalar.js'))).toBe(true);
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)="(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|fonts\.googleapis|fonts\.scalar\.com|cdn\.jsdelivr|unpkg\.com/);
    const config = JSON.parse(/createApiReference\('#app', (.*)\);/.exec(html)![1]!);
    expect(config).toMatchObject({ withDefaultFonts: false, telemetry: false, hideClientButton: true, showDeveloperTools: 'never', agent: { disabled: true } });
    expect(config).not.toHaveProperty('proxyUrl');
    expect(config.content.paths).toEqual(openapi.paths);
    expect(html).toContain('http-equiv="Content-Security-Policy"');
  });

  it('the guide pages use only local CSS and no scripts', () => {
    for (const page of readdirSync(join(dist, 'guides'))) {
      const html = readFileSync(join(dist, 'guides', page), 'utf8');
      expect(html, page).not.toMatch(/<(script|link)[^>]+(src|href)="(https?:)?\/\//i);
      expect(html, page).not.toContain('<script');
    }
  });
});
