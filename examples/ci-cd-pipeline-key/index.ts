/**
 * A key for your CI/CD pipeline (docs/guides/ci-cd-pipeline-key.md): put your product's scopes in the
 * catalog, create a narrowly scoped, expiring key, hand it over once, and check it the way your
 * pipeline's backend will.
 *
 *   TESSERA_BASE_URL, TESSERA_API_KEY (an admin's token), TESSERA_WORKSPACE_ID
 *   TESSERA_SECRET_FILE (optional): where to write the new key (mode 0600) instead of printing it once
 *
 *   node --conditions=tessera-source --import tsx examples/ci-cd-pipeline-key/index.ts
 */
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { ConflictError, Tessera } from '@tessera/sdk';

export interface CiCdSummary {
  keyId: string;
  keyPrefix: string;
  expiresAt: string | null;
  /** Where the key was written, or null when it was printed once. */
  secretFile: string | null;
  verdicts: { required: string[]; code: string }[];
}

export async function main(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<CiCdSummary> {
  const tessera = new Tessera({ apiKey: env.TESSERA_API_KEY, baseURL: env.TESSERA_BASE_URL, workspaceId: env.TESSERA_WORKSPACE_ID });

  // 1. Your product's permissions, once per workspace (a second run finds them there: 409).
  for (const scope of [
    { name: 'workflows.execute', description: 'Trigger workflow runs.' },
    { name: 'runs.read', description: 'Query run history and results.' },
  ]) {
    try {
      await tessera.scopes.create(scope);
      log(`catalog: added ${scope.name}`);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      log(`catalog: ${scope.name} is already there`);
    }
  }

  // 2. Least privilege: two scopes, 90 days, a rate limit, and a name that says what it is for.
  const created = await tessera.apiKeys.create({
    name: 'staging-ci-cd-pipeline',
    description: 'Triggers deploys from GitHub Actions.',
    environment: 'live',
    scopes: ['workflows.execute', 'runs.read'],
    expires_in: '90d',
    rate_limit: { requests_per_minute: 100, burst: 20 },
    metadata: { team: 'platform', repo: 'acme/deploy' },
  });
  log(`created ${created.id} (${created.key_prefix}…${created.last_four}), expires ${created.expires_at}`);

  // 3. The full key exists only in this answer: hand it to your secret manager now, never to a log.
  const secretFile = env.TESSERA_SECRET_FILE?.trim() || null;
  if (secretFile) {
    await writeFile(secretFile, `${created.key}\n`, { mode: 0o600 });
    log(`the key is in ${secretFile}: store it as the pipeline secret TESSERA_DEPLOY_KEY, then delete the file`);
  } else {
    log(`store this secret now as TESSERA_DEPLOY_KEY, it is shown only once: ${created.key}`);
  }

  // 4. What the pipeline's backend sees on each request (POST /v1/keys/verify).
  const verdicts: CiCdSummary['verdicts'] = [];
  for (const required of [['workflows.execute'], ['workflows.execute', 'runs.read'], ['api_keys.write']]) {
    const verdict = await tessera.keys.verify({ key: created.key, required_scopes: required });
    verdicts.push({ required, code: verdict.code });
    const missing = verdict.missing_scopes?.length ? ` (missing ${verdict.missing_scopes.join(', ')})` : '';
    log(`verify for ${required.join(' + ')}: ${verdict.code}${missing}`);
  }
  const expected = ['valid', 'valid', 'insufficient_scope'];
  if (verdicts.some((v, i) => v.code !== expected[i])) throw new Error(`unexpected verdicts: ${verdicts.map((v) => v.code).join(', ')}`);

  // 5. From now on the key is only ever shown by its display prefix and last four.
  const listed = await tessera.apiKeys.get(created.id);
  log(`key list shows: ${listed.name}  ${listed.key_prefix}…${listed.last_four}  ${listed.status}  scopes ${listed.scopes.join(', ')}`);

  return { keyId: created.id, keyPrefix: created.key_prefix, expiresAt: created.expires_at, secretFile, verdicts };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exitCode = 1;
  });
}
