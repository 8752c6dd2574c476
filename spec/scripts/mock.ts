/**
 * `npm run mock`: Prism serving the spec on 127.0.0.1:4010, stateless.
 *
 * By default every response is the spec's own example (the first one, or the one a request asks
 * for with `Prefer: example=<name>`). With `--dynamic` (or TESSERA_MOCK_DYNAMIC=1) Prism
 * generates data from the schemas instead; `--seed <text>` (TESSERA_MOCK_SEED) makes that
 * repeatable. Per request, `Prefer: code=429`, `Prefer: example=insufficientScope` and
 * `Prefer: dynamic=true` choose the answer. See docs/guides/testing-with-mocks.md.
 *
 *   npm run mock                        # static examples on 127.0.0.1:4010
 *   npm run mock -- --dynamic           # generated data
 *   npm run mock -- --port 4020 --seed demo
 *   TESSERA_MOCK_DYNAMIC=1 npm run mock
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface MockOptions {
  host: string;
  port: number;
  dynamic: boolean;
  seed?: string | undefined;
}

const truthy = (value: string | undefined) => value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());

const usage = `Usage: npm run mock -- [--dynamic] [--seed TEXT] [--port N] [--host H]

  --dynamic, -d   generate responses from the schemas instead of returning the examples
                  (also TESSERA_MOCK_DYNAMIC=1)
  --seed TEXT     make generated data repeatable, also for "Prefer: dynamic=true" (also TESSERA_MOCK_SEED)
  --port N        port to listen on, default 4010 (also TESSERA_MOCK_PORT)
  --host H        address to listen on, default 127.0.0.1 (also TESSERA_MOCK_HOST)

Per request: "Prefer: code=429", "Prefer: example=<name>", "Prefer: dynamic=true".`;

/** Options from the command line, then the environment, then the defaults. */
export function parseMockOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): MockOptions {
  const options: MockOptions = {
    host: env.TESSERA_MOCK_HOST || '127.0.0.1',
    port: Number(env.TESSERA_MOCK_PORT || 4010),
    dynamic: truthy(env.TESSERA_MOCK_DYNAMIC),
    seed: env.TESSERA_MOCK_SEED || undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n\n${usage}`);
      return v;
    };
    switch (flag) {
      case '--dynamic':
      case '-d':
        options.dynamic = inline === undefined ? true : truthy(inline);
        break;
      case '--static':
        options.dynamic = false;
        break;
      case '--seed':
        options.seed = value();
        break;
      case '--port':
      case '-p':
        options.port = Number(value());
        break;
      case '--host':
      case '-h':
        options.host = value();
        break;
      case '--help':
        console.log(usage);
        process.exit(0);
      default:
        throw new Error(`unknown option ${arg}\n\n${usage}`);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new Error(`invalid port ${options.port}`);
  return options;
}

export const specDocumentPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'generated', 'openapi.json');

/** The Prism executable of the installed @stoplight/prism-cli (run with this Node). */
export function prismBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist', 'index.js');
}

/** The arguments of `prism mock` for these options. */
export function prismMockArgs(options: MockOptions): string[] {
  // Generated data holds only the schemas' own properties (also for `Prefer: dynamic=true` on a
  // static mock): invented extra ones would break `additionalProperties: false`.
  const args = ['mock', '--host', options.host, '--port', String(options.port), '--json-schema-faker-fillProperties=false'];
  if (options.dynamic) args.push('--dynamic');
  if (options.seed) args.push('--seed', options.seed);
  args.push(specDocumentPath);
  return args;
}

/** A free TCP port on 127.0.0.1, found by letting the OS pick one. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface LaunchedProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Ends the process (and its children: it runs in its own process group) and waits for it. */
  stop(): Promise<void>;
}

/**
 * Starts a server process in its own process group and resolves once `GET url + readyPath`
 * gets any HTTP answer. Rejects with the process's output if it exits first or does not answer
 * within `startTimeoutMs`. Used by the tests to run Prism (mock and proxy) on a free port.
 */
export async function launchAndWait(command: string, args: string[], options: { port: number; readyPath?: string; startTimeoutMs?: number; cwd?: string; env?: NodeJS.ProcessEnv }): Promise<LaunchedProcess> {
  const url = `http://127.0.0.1:${options.port}`;
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const stop = async () => {
    if (hasExited || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
    const killer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 3_000);
    await exited;
    clearTimeout(killer);
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (hasExited) throw new Error(`${command} ${args.join(' ')} exited before answering:\n${output}`);
    try {
      await fetch(url + (options.readyPath ?? '/'), { signal: AbortSignal.timeout(2_000) });
      return { url, port: options.port, child, output: () => output, stop };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`${command} ${args.join(' ')} did not answer on ${url} in time:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** `prism <args…> --port <free port>` with the installed Prism, resolved once it answers. */
export async function startPrism(args: string[], options: { readyPath?: string; startTimeoutMs?: number } = {}): Promise<LaunchedProcess> {
  const port = await freePort();
  return launchAndWait(process.execPath, [prismBin(), ...args, '--host', '127.0.0.1', '--port', String(port)], { port, ...options });
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  let options: MockOptions;
  try {
    options = parseMockOptions(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  console.error(`Tessera mock (Prism) on http://${options.host}:${options.port}, ${options.dynamic ? `dynamic data${options.seed ? ` (seed ${options.seed})` : ''}` : 'static examples'}`);
  const child = spawn(process.execPath, [prismBin(), ...prismMockArgs(options)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
