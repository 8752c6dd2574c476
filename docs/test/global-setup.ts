/**
 * Before any test file runs, once: makes sure Chromium is there (the browser tests share it, and
 * two apt-get runs at once would fight over dpkg's lock), and builds docs/dist when it is missing
 * (turbo normally runs the `build` task first; a bare `vitest run` in docs/ relies on this).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const docsDir = join(dirname(fileURLToPath(import.meta.url)), '..');
  const ensured = spawnSync('bash', [join(docsDir, 'scripts', 'ensure-chromium.sh')], { stdio: 'inherit' });
  if (ensured.status !== 0) throw new Error(`Chromium is required at /usr/bin/chromium for the browser tests and could not be installed (scripts/ensure-chromium.sh exited ${ensured.status}).`);
  if (existsSync(join(docsDir, 'dist', 'index.html')) && existsSync(join(docsDir, 'dist', 'api', 'index.html'))) return;
  const built = spawnSync(process.execPath, ['--import', 'tsx', join(docsDir, 'scripts', 'build.ts')], { cwd: docsDir, stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`building docs/dist failed (exit ${built.status}); run \`npm run docs\` to see why`);
}
