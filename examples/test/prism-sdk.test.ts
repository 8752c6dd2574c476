/**
 * The SDK against the Prism mock (`npm run mock`): a tester who points the SDK at Prism gets
 * the spec's examples back, typed, and can force any documented failure with `Prefer`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimitError, Tessera, isWellFormedKey } from '@tessera/sdk';
import { freePort, launchAndWait, type LaunchedProcess } from '@tessera/spec/mock';
import { openapi, specValidator } from '@tessera/spec';

const specDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'spec');
type Examples = { ApiKeyCreated: { value: { key: string } } };
// The spec's example credentials: visibly fake and well-formed (the SDK checks checksums locally).
const EXAMPLE_KEY = (openapi.components as { examples: Examples }).examples.ApiKeyCreated.value.key;
const EXAMPLE_TOKEN = 'tpat_EXAMPLE0DoNotUse0EXAMPLE0DoNot0Dmm6Q';
const EXAMPLE_WORKSPACE = 'ws_7Hq2LmN4pR8sT1vX3zB5cD';

let prism: LaunchedProcess;
let tessera: Tessera;

beforeAll(async () => {
  const port = await freePort();
  prism = await launchAndWait(process.execPath, ['--import', 'tsx', 'scripts/mock.ts', '--port', String(port)], { port, readyPath: '/healthz', cwd: specDir });
  tessera = new Tessera({ apiKey: EXAMPLE_TOKEN, baseURL: prism.url, workspaceId: EXAMPLE_WORKSPACE, maxRetries: 0 });
}, 60_000);
afterAll(async () => prism?.stop());

describe('the SDK against the Prism mock', () => {
  it('creates, lists, verifies and reads the caller, with the spec examples', async () => {
    const me = await tessera.me();
    expect(me.workspace.id).toBe(EXAMPLE_WORKSPACE);
    const created = await tessera.apiKeys.create({ name: 'CI/CD Pipeline', scopes: ['workflows.execute'], expires_in: '90d' });
    expect(isWellFormedKey(created.key)).toBe(true);
    expect(specValidator().validateAgainst('#/components/schemas/ApiKeyCreated', created)).toEqual([]);
    const names: string[] = [];
    for await (const key of tessera.apiKeys.list({ limit: 2 })) {
      names.push(key.name);
      if (names.length >= 2) break;
    }
    expect(names).toContain('Monitoring');
    const verdict = await tessera.keys.verify({ key: created.key, required_scopes: ['workflows.execute'] });
    expect(verdict.valid).toBe(true);
  });

  it('surfaces a forced 429 as a RateLimitError with the retry delay', async () => {
    const error = await tessera.keys.verify({ key: EXAMPLE_KEY }, { headers: { Prefer: 'code=429' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(3);
    expect((error as RateLimitError).code).toBe('rate_limited');
  });
});
