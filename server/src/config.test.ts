import { describe, expect, it } from 'vitest';
import { adminTokenProblem, ConfigError, resolveConfig } from './config.js';

const strong = 'V4q9-zX2m_Lp7Rt8Kw3Nc6Yb1Hd5Jf0Gs';

describe('resolveConfig', () => {
  it('defaults to 127.0.0.1:4000 and ./.tessera', () => {
    expect(resolveConfig([], {}, '/srv')).toEqual({ port: 4000, host: '127.0.0.1', dataDir: '/srv/.tessera', adminToken: undefined });
  });

  it('takes flags over environment variables, and trims the environment', () => {
    const env = { TESSERA_PORT: ' 5000 ', TESSERA_HOST: '0.0.0.0', TESSERA_DATA_DIR: 'data', TESSERA_ADMIN_TOKEN: ` ${strong} ` };
    expect(resolveConfig([], env, '/srv')).toEqual({ port: 5000, host: '0.0.0.0', dataDir: '/srv/data', adminToken: strong });
    expect(resolveConfig(['--port', '0', '--data', '/tmp/x'], env, '/srv')).toMatchObject({ port: 0, dataDir: '/tmp/x' });
  });

  it('takes the export signing secret from the environment, refusing short ones', () => {
    expect(resolveConfig([], { TESSERA_EXPORT_SIGNING_SECRET: strong }, '/')).toMatchObject({ exportSigningSecret: strong });
    expect(() => resolveConfig([], { TESSERA_EXPORT_SIGNING_SECRET: 'short' }, '/')).toThrow(/at least 32/);
  });

  it('refuses bad ports and unknown flags with the usage', () => {
    expect(() => resolveConfig(['--port', 'http'], {}, '/')).toThrow(/port must be a whole number/);
    expect(() => resolveConfig([], { TESSERA_PORT: '70000' }, '/')).toThrow(ConfigError);
    expect(() => resolveConfig(['--verbose'], {}, '/')).toThrow(/Usage: tessera-server/);
    expect(resolveConfig(['--help'], {}, '/')).toBe('help');
  });
});

describe('adminTokenProblem', () => {
  it.each([
    ['short', 'it has 5 characters'],
    ['a'.repeat(40), 'fewer than 12 different'],
    ['my-super-secret-token-for-ci-only-1234', 'common word "secret"'],
    ['Ab1-Cd2_Ef3.Gh4~Ij5-Kl6_Mn7xxxxPq8', 'repeats one character'],
    ['with whitespace inside it is not ok at all!', 'whitespace'],
    [`sk_live_${'Ab3'.repeat(12)}`, 'looks like an API key'],
    ['tpat_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 'checksum'],
  ])('refuses %s', (token, reason) => {
    expect(adminTokenProblem(token)).toContain(reason);
  });

  it('accepts a long random value', () => {
    expect(adminTokenProblem(strong)).toBeUndefined();
  });
});
