// The registry this project is built against does not serve turbo's macOS and Windows
// binaries, so `npm install` leaves them out of package-lock.json, and `npm ci` then refuses
// the lock as out of sync. This adds their entries (optional, for other platforms, so npm never
// downloads them here). Run it after any `npm install` that rewrites the lock.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const turbo = lock.packages['node_modules/turbo'];
const platforms = { 'darwin-64': ['darwin', 'x64'], 'darwin-arm64': ['darwin', 'arm64'], 'windows-64': ['win32', 'x64'], 'windows-arm64': ['win32', 'arm64'] };
let added = 0;
for (const [name, [os, cpu]] of Object.entries(platforms)) {
  const key = `node_modules/@turbo/${name}`;
  if (lock.packages[key]) continue;
  lock.packages[key] = { version: turbo.version, cpu: [cpu], dev: true, license: 'MIT', optional: true, os: [os] };
  added += 1;
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added ? `Added ${added} platform entries for turbo to package-lock.json.` : 'package-lock.json already lists every turbo platform.');
