import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_BASE_URL,
  credentialHint,
  isBrowserLike,
  readEnv,
  readEnvFrom,
  resolveConfig,
} from '../src/core/config.js';
import { TesseraError } from '../src/core/errors.js';
import { generateApiKey, generatePersonalAccessToken } from '../src/key-format.js';

const KEY = generateApiKey({ environment: 'live' });
const nodeLike = (env: Record<string, string | undefined>) => ({ process: { env } });

function configErrorOf(run: () => unknown): TesseraError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TesseraError);
    return error as TesseraError;
  }
  throw new Error('expected resolveConfig to throw');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('environment variables', () => {
  it('reads the key, base URL and workspace from TESSERA_* variables', () => {
    const config = resolveConfig({}, nodeLike({ TESSERA_API_KEY: KEY, TESSERA_BASE_URL: 'https://api.example.com/', TESSERA_WORKSPACE_ID: 'ws_1' }));
    expect(config).toMatchObject({ apiKey: KEY, baseURL: 'https://api.example.com', workspaceId: 'ws_1' });
  });

  it('trims values, so a newline from a .env file or $(cat key.txt) is harmless', () => {
    const config = resolveConfig({}, nodeLike({ TESSERA_API_KEY: `  ${KEY}\n`, TESSERA_WORKSPACE_ID: ' ws_2 \t' }));
    expect(config.apiKey).toBe(KEY);
    expect(config.workspaceId).toBe('ws_2');
  });

  it('treats empty values as unset', () => {
    const config = resolveConfig({}, nodeLike({ TESSERA_API_KEY: KEY, TESSERA_BASE_URL: '   ', TESSERA_WORKSPACE_ID: '' }));
    expect(config.baseURL).toBe(DEFAULT_BASE_URL);
    expect(config.workspaceId).toBeUndefined();
  });

  it('names TESSERA_API_KEY and the apiKey option when no key is set', () => {
    for (const env of [{}, { TESSERA_API_KEY: '' }, { TESSERA_API_KEY: ' \n ' }]) {
      const error = configErrorOf(() => resolveConfig({}, nodeLike(env)));
      expect(error.message).toMatch(/TESSERA_API_KEY/);
      expect(error.message).toMatch(/`apiKey` option/);
    }
  });

  it('reads the real process.env by default', () => {
    vi.stubEnv('TESSERA_API_KEY', KEY);
    vi.stubEnv('TESSERA_WORKSPACE_ID', 'ws_from_process');
    expect(readEnv('TESSERA_WORKSPACE_ID')).toBe('ws_from_process');
    expect(resolveConfig({ baseURL: 'http://x.test' }).apiKey).toBe(KEY);
  });

  it('reads Deno.env when there is no process, and treats a denied permission as unset', () => {
    const deno = { Deno: { env: { get: (name: string) => (name === 'TESSERA_API_KEY' ? ` ${KEY} ` : undefined) } } };
    expect(readEnvFrom(deno, 'TESSERA_API_KEY')).toBe(KEY);
    const denied = { Deno: { env: { get: () => { throw new Error('PermissionDenied: Requires env access'); } } } };
    expect(readEnvFrom(denied, 'TESSERA_API_KEY')).toBeUndefined();
    expect(readEnvFrom({}, 'TESSERA_API_KEY')).toBeUndefined();
  });
});

describe('options', () => {
  it('prefer options over the environment', () => {
    const other = generateApiKey({ environment: 'test' });
    const config = resolveConfig(
      { apiKey: other, baseURL: 'https://opt.example.com', workspaceId: 'ws_opt' },
      nodeLike({ TESSERA_API_KEY: KEY, TESSERA_BASE_URL: 'https://env.example.com', TESSERA_WORKSPACE_ID: 'ws_env' }),
    );
    expect(config).toMatchObject({ apiKey: other, baseURL: 'https://opt.example.com', workspaceId: 'ws_opt' });
  });

  it('have documented defaults', () => {
    const config = resolveConfig({ apiKey: KEY }, {});
    expect(config).toMatchObject({ baseURL: 'http://127.0.0.1:4000', maxRetries: 2, timeout: 60_000, maxRetryDelay: 60_000, workspaceId: undefined });
  });

  it('reject nonsensical numbers and URLs', () => {
    expect(configErrorOf(() => resolveConfig({ apiKey: KEY, maxRetries: -1 }, {})).message).toMatch(/maxRetries .* non-negative integer, got -1/);
    expect(configErrorOf(() => resolveConfig({ apiKey: KEY, maxRetries: 1.5 }, {})).message).toMatch(/maxRetries/);
    expect(configErrorOf(() => resolveConfig({ apiKey: KEY, timeout: 0 }, {})).message).toMatch(/timeout .* positive/);
    expect(configErrorOf(() => resolveConfig({ apiKey: KEY, baseURL: 'not a url' }, {})).message).toMatch(/not a valid URL/);
    expect(configErrorOf(() => resolveConfig({ apiKey: KEY, baseURL: 'ftp://x' }, {})).message).toMatch(/http or https/);
  });
});

describe('key checks before any request', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['a trailing newline in the option', `${KEY}\n`, /\[whitespace\]: .*trailing whitespace \(a newline at the end\)/],
    ['a space inside', `${KEY.slice(0, 20)} ${KEY.slice(20)}`, /\[whitespace\]: .*whitespace inside it \(a space at position 20\)/],
    ['"Bearer " included', `Bearer ${KEY}`, /\[bearer_included\]: .*pass only the key itself/],
    ['an unknown environment', KEY.replace('sk_live_', 'sk_prod_live_'), /\[unknown_environment\]: .*environment "prod" is unknown/],
    ['a cut-off key', KEY.slice(0, -3), /\[wrong_length\]: .*expected 44 characters .*got 41/],
    ['an invalid character', `${KEY.slice(0, 30)}!${KEY.slice(31)}`, /\[invalid_characters\]: .*"!" \(U\+0021\) at position 30/],
    ['a typo', `${KEY.slice(0, 30)}${KEY[30] === 'a' ? 'b' : 'a'}${KEY.slice(31)}`, /\[checksum_mismatch\]: .*typo/],
    ['an invalid prefix', KEY.replace(/^sk/, 'Sk'), /\[invalid_prefix\]/],
    ['an empty option', '', /\[empty\]/],
  ];

  it.each(cases)('reports %s, naming the source, without echoing the key', (_name, apiKey, expected) => {
    const error = configErrorOf(() => resolveConfig({ apiKey }, {}));
    expect(error.message).toMatch(/^The `apiKey` option does not hold a valid Tessera key/);
    expect(error.message).toMatch(expected);
    expect(error.message).not.toContain(KEY.slice(12, 30));
    expect(error.message).not.toContain(KEY.slice(-6));
  });

  it('names TESSERA_API_KEY when the bad key came from the environment, with its display prefix', () => {
    const error = configErrorOf(() => resolveConfig({}, nodeLike({ TESSERA_API_KEY: KEY.slice(0, -1) })));
    expect(error.message).toMatch(/^The TESSERA_API_KEY environment variable does not hold a valid Tessera key \(it starts with "sk_live_.{4}"\) \[wrong_length\]/);
  });

  it('accepts a personal access token and an opaque operator token', () => {
    const pat = generatePersonalAccessToken();
    expect(resolveConfig({ apiKey: pat }, {}).apiKey).toBe(pat);
    const admin = 'operator-admin-token-0123456789abcdef';
    expect(resolveConfig({ apiKey: admin }, {}).apiKey).toBe(admin);
  });

  it('treats a string without _live_, _test_ or tpat_ as an opaque token, as the contract says', () => {
    // "sk_prod_…" is not checked as a key: only _live_/_test_/tpat_ mark an attempted Tessera key.
    const prod = KEY.replace('_live_', '_prod_');
    expect(resolveConfig({ apiKey: prod }, {}).apiKey).toBe(prod);
  });

  it('rejects an opaque token with whitespace without showing any of it', () => {
    const admin = 'operator-admin-token-0123456789abcdef';
    const error = configErrorOf(() => resolveConfig({ apiKey: `${admin} ` }, {}));
    expect(error.message).toMatch(/\[whitespace\]/);
    expect(error.message).not.toContain('operator-adm');
  });

  it('gives a safe hint of the credential', () => {
    expect(credentialHint(KEY)).toBe(`${KEY.slice(0, 12)}…${KEY.slice(-4)}`);
    expect(credentialHint('operator-admin-token-0123456789abcdef')).toBe('…cdef');
  });
});

describe('browser guard', () => {
  const browser = { window: {}, document: {} };

  it('refuses to run in a browser-like environment by default', () => {
    expect(isBrowserLike(browser)).toBe(true);
    const error = configErrorOf(() => resolveConfig({ apiKey: KEY }, browser));
    expect(error.message).toMatch(/refuses to run in a browser.*dangerouslyAllowBrowser: true/);
  });

  it('runs in a browser when dangerouslyAllowBrowser is set', () => {
    expect(resolveConfig({ apiKey: KEY, dangerouslyAllowBrowser: true }, browser).apiKey).toBe(KEY);
  });

  it('does not treat Deno or a window without a document as a browser', () => {
    expect(isBrowserLike({ ...browser, Deno: {} })).toBe(false);
    expect(isBrowserLike({ window: {} })).toBe(false);
    expect(isBrowserLike(globalThis)).toBe(false);
  });
});
