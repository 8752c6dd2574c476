/** Server settings from flags and `TESSERA_*` environment variables, with clear errors. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { explainCredentialProblem } from '@tessera/sdk/key-format';
import { isApiKeyShaped } from './domain/credentials.js';

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  /** The first admin's token on an empty store; generated when absent. */
  adminToken: string | undefined;
  /** Signs audit exports delivered to webhooks; generated and kept in the data folder when absent. */
  exportSigningSecret?: string | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const USAGE = `Usage: tessera-server [--port 4000] [--host 127.0.0.1] [--data ./.tessera]

Options (and environment variables):
  --port, TESSERA_PORT          port to listen on (default 4000; 0 picks a free one)
  --host, TESSERA_HOST          interface to listen on (default 127.0.0.1)
  --data, TESSERA_DATA_DIR      data folder (default ./.tessera)
  TESSERA_ADMIN_TOKEN           the first admin's token on an empty store (32+ characters,
                                not guessable); printed token is generated otherwise
  TESSERA_EXPORT_SIGNING_SECRET signs audit exports delivered to webhooks (32+ characters);
                                generated and kept in the data folder otherwise
  --help                        show this help`;

const WEAK_WORDS = ['password', 'changeme', 'admin', 'secret', 'token', 'tessera', 'qwerty', 'letmein', '123456', 'abcdef'];

/** Why an operator-chosen admin token is too weak, or undefined when it is acceptable. */
export function adminTokenProblem(token: string): string | undefined {
  if (token.length < 32) return `it has ${token.length} characters; use at least 32 (e.g. \`openssl rand -base64 32\`).`;
  if (/\s/.test(token)) return 'it contains whitespace.';
  if (isApiKeyShaped(token)) return 'it looks like an API key (contains _live_ or _test_); choose a different value.';
  const problem = explainCredentialProblem(token);
  if (problem) return problem.message;
  if (new Set(token).size < 12) return 'it uses fewer than 12 different characters, which makes it guessable.';
  if (/(.)\1{3,}/.test(token)) return 'it repeats one character 4 or more times in a row.';
  const lower = token.toLowerCase();
  const word = WEAK_WORDS.find((w) => lower.includes(w));
  if (word) return `it contains the common word "${word}".`;
  return undefined;
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function resolveConfig(argv: string[], env: NodeJS.ProcessEnv, cwd: string): ServerConfig | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, host: { type: 'string' }, data: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (parsed.values.help) return 'help';
  const portText = parsed.values.port ?? envValue(env, 'TESSERA_PORT') ?? '4000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new ConfigError(`The port must be a whole number from 0 to 65535, not "${portText}" (--port or TESSERA_PORT).`);
  const host = parsed.values.host ?? envValue(env, 'TESSERA_HOST') ?? '127.0.0.1';
  const dataDir = resolve(cwd, parsed.values.data ?? envValue(env, 'TESSERA_DATA_DIR') ?? '.tessera');
  const adminToken = envValue(env, 'TESSERA_ADMIN_TOKEN');
  if (adminToken !== undefined) {
    const problem = adminTokenProblem(adminToken);
    if (problem) throw new ConfigError(`TESSERA_ADMIN_TOKEN is refused: ${problem}`);
  }
  const exportSigningSecret = envValue(env, 'TESSERA_EXPORT_SIGNING_SECRET');
  if (exportSigningSecret !== undefined && exportSigningSecret.length < 32) {
    throw new ConfigError(`TESSERA_EXPORT_SIGNING_SECRET is refused: it has ${exportSigningSecret.length} characters; use at least 32.`);
  }
  return { port, host, dataDir, adminToken, ...(exportSigningSecret ? { exportSigningSecret } : {}) };
}
