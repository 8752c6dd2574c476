/**
 * Builds docs/dist once, before any test file runs, when it is missing (turbo normally runs the
 * `build` task first; a bare `vitest run` in docs/ relies on this).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const docsDir = join(dirname(fileURLToPath(import.meta.url)), '..');
  if (existsSync(join(docsDir, 'dist', 'index.html')) && existsSync(join(docsDir, 'dist', 'api', 'index.html'))) return;
  const built = spawnSync(process.execPath, ['--import', 'tsx', join(docsDir, 'scripts', 'build.ts')], { cwd: docsDir, stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`building docs/dist failed (exit ${built.status}); run \`npm run docs\` to see why`);
}
