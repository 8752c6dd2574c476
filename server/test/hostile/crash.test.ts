/**
 * Crash safety of the real server: start `tessera-server` as a child process on a temp data
 * folder, fire concurrent creates, rotations and revocations, SIGKILL it at a random moment,
 * restart it on the same folder, and check that everything acknowledged survived: every key
 * acknowledged with 201 verifies, every acknowledged revocation holds, the data file parses.
 * Acknowledged changes live in the journal beside the data file until a checkpoint folds them
 * in (src/storage/record-store.ts), so a restart must replay it.
 *
 * The lock of a SIGKILLed server cannot be released; it goes stale 10 s after its last refresh
 * (src/storage/data-dir-lock.ts). The first restart waits for that for real and checks it
 * happens in time; later rounds age the lock's mtime instead of waiting, to keep the suite fast.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { adminTokenProblem } from '../../src/config.js';
import { DATA_DIR_LOCK_NAME, DEFAULT_LOCK_STALE_MS } from '../../src/storage/data-dir-lock.js';
import { countBy, rng, seedFromEnv } from './support.js';

const SERVER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(SERVER_DIR, 'bin/tessera-server.mjs');
const ROUNDS = 3;
const REQUESTS_PER_ROUND = 450;
const IN_FLIGHT = 32;
const SEED = seedFromEnv('CRASH_SEED');
const random = rng(SEED);
const lines: string[] = [];
const children = new Set<ChildProcess>();

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  console.log(`[crash] seed ${SEED} (rerun: TESSERA_TEST_SEED=${SEED})`);
  for (const line of lines) console.log(line);
});

function strongToken(): string {
  for (;;) {
    const token = randomBytes(40).toString('base64url').replace(/[-_]/g, '').slice(0, 40);
    if (token.length === 40 && adminTokenProblem(token) === undefined) return token;
  }
}

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts the server; resolves once it prints where it listens, rejects when it exits first. */
function startServer(dataDir: string, adminToken: string, timeoutMs = 30_000): Promise<Running> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, '--port', '0', '--data', dataDir], {
      cwd: SERVER_DIR,
      env: { ...process.env, TESSERA_ADMIN_TOKEN: adminToken, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not say where it listens within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ child, url: match[1]!, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`the server exited (${code ?? signal}) before listening:\n${output}`), { output }));
    });
  });
}

/** Restarts on the folder a killed server left, retrying while its lock has not gone stale. */
async function restart(dataDir: string, adminToken: string, deadlineMs: number): Promise<{ running: Running; attempts: number }> {
  let attempts = 0;
  for (;;) {
    attempts += 1;
    try {
      return { running: await startServer(dataDir, adminToken), attempts };
    } catch (error) {
      const output = String((error as { output?: string }).output ?? (error as Error).message);
      if (!/in use by another Tessera server/.test(output) || Date.now() > deadlineMs) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/**
 * What an acknowledged key must verify as: `live` valid; `retired` (rotated with a grace period)
 * still valid; `revoked` revoked; `unknown` (an operation on it was in flight at a kill) either.
 */
type Fate = 'live' | 'retired' | 'revoked' | 'unknown';

interface Ledger {
  /** Acknowledged keys (201), by id: the raw key and what happened to it since. */
  keys: Map<string, { raw: string; fate: Fate }>;
  acknowledged: Record<string, number>;
  unknown: Record<string, number>;
}

async function http(url: string, method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
}

/** Fires `budget` random operations, IN_FLIGHT at a time, and SIGKILLs the server after `killAfter` answers. */
async function load(server: Running, admin: string, ws: string, ledger: Ledger, budget: number, killAfter: number) {
  const keysPath = `/v1/workspaces/${ws}/api-keys`;
  let answered = 0;
  let issued = 0;
  let killed = false;
  const kill = () => {
    if (killed) return;
    killed = true;
    server.child.kill('SIGKILL');
  };
  const live = () => [...ledger.keys.entries()].filter(([, k]) => k.fate === 'live');
  async function one(n: number) {
    const roll = random();
    const candidates = live();
    const pick = candidates.length > 0 ? candidates[Math.floor(random() * candidates.length)]! : undefined;
    const kind = roll < 0.6 || !pick ? 'create' : roll < 0.8 ? 'rotate' : 'revoke';
    // A key with an operation in flight may or may not have changed when the server dies (and
    // no other worker picks it meanwhile).
    if (pick && kind !== 'create') pick[1].fate = 'unknown';
    try {
      if (kind === 'create') {
        const res = await http(server.url, 'POST', keysPath, admin, { name: `Crash ${n}`, scopes: ['api_keys.read'] });
        if (res.status !== 201) throw new Error(`create answered ${res.status} ${JSON.stringify(res.body)}`);
        ledger.keys.set(res.body.id, { raw: res.body.key, fate: 'live' });
      } else if (kind === 'rotate') {
        const grace = random() < 0.5 ? 0 : 3600;
        const res = await http(server.url, 'POST', `${keysPath}/${pick![0]}/rotate`, admin, { grace_period_seconds: grace });
        if (res.status !== 201) throw new Error(`rotate answered ${res.status} ${JSON.stringify(res.body)}`);
        ledger.keys.set(res.body.id, { raw: res.body.key, fate: 'live' });
        // With no grace the old key is revoked at once; with grace it stays valid (and is never rotated again).
        pick![1].fate = grace === 0 ? 'revoked' : 'retired';
      } else {
        const res = await http(server.url, 'POST', `${keysPath}/${pick![0]}/revoke`, admin);
        if (res.status !== 200) throw new Error(`revoke answered ${res.status} ${JSON.stringify(res.body)}`);
        pick![1].fate = 'revoked';
      }
      ledger.acknowledged[kind] = (ledger.acknowledged[kind] ?? 0) + 1;
    } catch (error) {
      if (!killed) throw error;
      ledger.unknown[kind] = (ledger.unknown[kind] ?? 0) + 1;
    } finally {
      answered += 1;
      if (answered >= killAfter) kill();
    }
  }
  const workers = Array.from({ length: IN_FLIGHT }, async () => {
    while (issued < budget && !killed) await one(issued++);
  });
  await Promise.all(workers);
  kill();
  await exited(server.child);
  return { sent: issued, answered };
}

/** What every acknowledged key must verify as now. */
async function audit(url: string, admin: string, ledger: Ledger) {
  const wrong: string[] = [];
  const codes: string[] = [];
  const entries = [...ledger.keys.entries()];
  for (let i = 0; i < entries.length; i += IN_FLIGHT) {
    await Promise.all(
      entries.slice(i, i + IN_FLIGHT).map(async ([id, k]) => {
        const res = await http(url, 'POST', '/v1/keys/verify', admin, { key: k.raw });
        const code = res.body?.code;
        codes.push(code);
        const expected = { live: ['valid'], retired: ['valid'], revoked: ['revoked'], unknown: ['valid', 'revoked'] }[k.fate];
        if (!expected.includes(code) || res.body?.key?.id !== id) wrong.push(`${id} (${k.fate}) verifies as ${code} (${res.status})`);
      }),
    );
  }
  return { wrong, codes: countBy(codes, (c) => c) };
}

describe('crash safety of the real server', () => {
  it(`keeps everything acknowledged across ${ROUNDS} SIGKILLs at random moments`, { timeout: 120_000 }, async () => {
    const help = spawn(process.execPath, [BIN, '--help'], { cwd: SERVER_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let helpOutput = '';
    help.stdout!.on('data', (c: Buffer) => (helpOutput += c));
    help.stderr!.on('data', (c: Buffer) => (helpOutput += c));
    const helpCode = await new Promise<number | null>((r) => help.once('exit', (code) => r(code)));
    expect(helpCode, `node bin/tessera-server.mjs --help must work first:\n${helpOutput.slice(0, 1500)}`).toBe(0);

    const dataDir = await mkdtemp(join(tmpdir(), 'tessera-crash-'));
    const admin = strongToken();
    const ledger: Ledger = { keys: new Map(), acknowledged: {}, unknown: {} };
    try {
      let server = await startServer(dataDir, admin);
      const me = await http(server.url, 'GET', '/v1/me', admin);
      expect(me.status).toBe(200);
      const ws: string = me.body.workspace.id;
      for (let round = 1; round <= ROUNDS; round++) {
        const killAfter = Math.floor(REQUESTS_PER_ROUND * (0.2 + 0.7 * random()));
        const started = Date.now();
        const { sent, answered } = await load(server, admin, ws, ledger, REQUESTS_PER_ROUND, killAfter);
        const killedAt = Date.now();

        // The data file a killed server leaves is always whole: it parses, and it is ours. The
        // journal's complete lines parse too (only a last line cut by the kill may not).
        const file = JSON.parse(await readFile(join(dataDir, 'tessera.json'), 'utf8')) as { schema_version: number; api_keys: Record<string, unknown> };
        expect(file.schema_version).toBe(1);
        const onDisk = Object.keys(file.api_keys).length;
        let journalLines = 0;
        for (const name of (await readdir(dataDir)).filter((n) => /^tessera-journal-\d+\.ndjson$/.test(n))) {
          const complete = (await readFile(join(dataDir, name), 'utf8')).split('\n').slice(0, -1);
          for (const line of complete) expect(() => JSON.parse(line), `${name}: ${line.slice(0, 80)}`).not.toThrow();
          journalLines += complete.length;
        }

        if (round > 1) {
          // Age the lock as if its 10 s had passed, instead of waiting for them again.
          const old = new Date(Date.now() - 2 * DEFAULT_LOCK_STALE_MS);
          await utimes(join(dataDir, DATA_DIR_LOCK_NAME), old, old).catch(() => undefined);
        }
        const { running, attempts } = await restart(dataDir, admin, killedAt + DEFAULT_LOCK_STALE_MS + 15_000);
        server = running;
        const recoveredMs = Date.now() - killedAt;
        if (round === 1) expect(recoveredMs, 'a SIGKILLed lock must go stale and be taken over').toBeLessThan(DEFAULT_LOCK_STALE_MS + 10_000);

        const { wrong, codes } = await audit(server.url, admin, ledger);
        lines.push(
          `[crash] round ${round}: ${sent} requests sent, ${answered} answered, SIGKILL after ${killAfter} answers (${killedAt - started} ms of load); ` +
            `data file parses with ${onDisk} keys, journal holds ${journalLines} transactions; restarted after ${recoveredMs} ms (${attempts} attempt${attempts > 1 ? 's' : ''}${round > 1 ? ', lock aged' : ', waiting for the stale lock'}); ` +
            `${ledger.keys.size} acknowledged keys verify as ${JSON.stringify(codes)}; ${wrong.length} wrong`,
        );
        expect(wrong.slice(0, 20), `acknowledged keys that do not verify as acknowledged (round ${round})`).toEqual([]);
      }

      // Nothing acknowledged is lost: every acknowledged key is listed, with its state.
      let listed = 0;
      let cursor: string | undefined;
      do {
        const page = await http(server.url, 'GET', `/v1/workspaces/${ws}/api-keys?limit=100${cursor ? `&cursor=${cursor}` : ''}`, admin);
        expect(page.status).toBe(200);
        for (const k of page.body.data as Array<{ id: string }>) if (ledger.keys.has(k.id)) listed += 1;
        cursor = page.body.next_cursor ?? undefined;
      } while (cursor);
      expect(listed).toBe(ledger.keys.size);

      server.child.kill('SIGTERM');
      await exited(server.child);
      // No raw credential in any file the server wrote.
      const files = await walk(dataDir);
      const leaked: string[] = [];
      for (const path of files) {
        const text = await readFile(path, 'latin1');
        if (text.includes(admin)) leaked.push(`${path}: the admin token`);
        for (const [id, k] of ledger.keys) if (text.includes(k.raw.slice(8))) leaked.push(`${path}: key ${id}`);
      }
      lines.push(
        `[crash] totals: acknowledged ${JSON.stringify(ledger.acknowledged)}, outcome unknown at the kills ${JSON.stringify(ledger.unknown)}; ` +
          `${ledger.keys.size} acknowledged keys all listed; ${files.length} data files (${(await Promise.all(files.map((f) => stat(f)))).reduce((n, s) => n + s.size, 0)} bytes) scanned, ${leaked.length} raw credentials`,
      );
      expect(leaked.slice(0, 10)).toEqual([]);
    } finally {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await Promise.all([...children].map(exited));
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else out.push(full);
  }
  return out;
}
