/**
 * Child process for data-dir-lock tests: `node --import tsx lock-child.ts <hold|try> <dir>`.
 * Prints one JSON line with the outcome; in `hold` mode it then keeps the lock until killed.
 */
import { acquireDataDirLock } from '../data-dir-lock.js';

const [mode, dir] = process.argv.slice(2);
if ((mode !== 'hold' && mode !== 'try') || !dir) {
  process.stderr.write('usage: lock-child.ts <hold|try> <dir>\n');
  process.exit(2);
}

try {
  const release = await acquireDataDirLock(dir);
  process.stdout.write(`${JSON.stringify({ ok: true, pid: process.pid })}\n`);
  if (mode === 'hold') {
    setInterval(() => undefined, 1 << 30); // stay alive until the test kills us
  } else {
    await release();
  }
} catch (error) {
  const { name, message } = error as Error;
  const code = (error as { code?: unknown }).code;
  process.stdout.write(`${JSON.stringify({ ok: false, name, code, message })}\n`);
  process.exitCode = 1;
}
