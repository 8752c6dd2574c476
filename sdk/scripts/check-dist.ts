/**
 * Checks the built package (run after `tsup`, as part of `npm run build`):
 *  - every target of the package.json `exports` map exists;
 *  - no built file refers to the private `@tessera/spec` workspace package (its types are bundled);
 *  - the declaration files type-check on their own;
 *  - the ESM and CommonJS builds load and export what they should;
 *  - in each format the entries share one copy of the SDK (the same classes, so that `instanceof` holds across
 *    them), with the Tessera-unreachable answer of the middleware as the proof: see check-dist-runtime.mjs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const problems: string[] = [];

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
function targets(value: unknown, condition = ''): Array<[string, string]> {
  if (typeof value === 'string') return condition === 'tessera-source' ? [] : [[condition, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => targets(v, k));
}
for (const [subpath, value] of Object.entries(pkg.exports)) {
  for (const [, target] of targets(value)) if (!existsSync(join(ROOT, target))) problems.push(`exports["${subpath}"] -> ${target} does not exist`);
}

const built = readdirSync(DIST).filter((f) => !f.endsWith('.map'));
for (const file of built) {
  if (readFileSync(join(DIST, file), 'utf8').includes('@tessera/spec')) problems.push(`dist/${file} refers to @tessera/spec`);
}

const declarations = built.filter((f) => f.endsWith('.d.ts') || f.endsWith('.d.cts')).map((f) => join(DIST, f));
const program = ts.createProgram(declarations, {
  strict: true,
  noEmit: true,
  skipLibCheck: false,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  types: [],
});
for (const file of declarations) {
  const source = program.getSourceFile(file);
  for (const d of source ? [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)] : []) {
    problems.push(`${file}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  }
}

const expected: Record<string, string[]> = {
  index: ['Tessera', 'APIError', 'RateLimitError', 'withTesseraAuth', 'isWellFormedKey', 'Page', 'PagePromise'],
  hono: ['tesseraAuth'],
  'key-format': ['isWellFormedKey', 'generateApiKey', 'explainKeyProblem'],
};
const require = createRequire(import.meta.url);
for (const [entry, names] of Object.entries(expected)) {
  const esm = (await import(pathToFileURL(join(DIST, `${entry}.js`)).href)) as Record<string, unknown>;
  const cjs = require(join(DIST, `${entry}.cjs`)) as Record<string, unknown>;
  for (const name of names) {
    if (typeof esm[name] !== 'function') problems.push(`dist/${entry}.js does not export ${name}`);
    if (typeof cjs[name] !== 'function') problems.push(`dist/${entry}.cjs does not export ${name}`);
  }
}

// In a plain node process (not under tsx, whose loader also handles .js/.cjs files), as a consumer would load it.
const runtime = spawnSync(process.execPath, [join(ROOT, 'scripts', 'check-dist-runtime.mjs')], { cwd: ROOT, encoding: 'utf8' });
try {
  problems.push(...(JSON.parse(runtime.stdout) as { problems: string[] }).problems);
} catch {
  problems.push(`scripts/check-dist-runtime.mjs failed (exit ${runtime.status ?? runtime.signal}): ${runtime.stderr || runtime.stdout}`);
}

if (problems.length) {
  console.error(`check-dist: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`check-dist: OK (${built.length} files, ${declarations.length} declaration files type-check, ESM and CJS load, their entries share one copy of the SDK)`);
