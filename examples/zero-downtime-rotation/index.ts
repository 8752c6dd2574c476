/**
 * Zero-downtime key rotation (docs/guides/zero-downtime-rotation.md): rotate with a grace period, show
 * that the old and the new key both work while you deploy the new one, then retire the old key early
 * and show that it no longer verifies.
 *
 *   TESSERA_BASE_URL, TESSERA_API_KEY (an admin's token), TESSERA_WORKSPACE_ID
 *
 *   node --conditions=tessera-source --import tsx examples/zero-downtime-rotation/index.ts
 */
import { pathToFileURL } from 'node:url';
import { Tessera } from '@tessera/sdk';

export interface RotationSummary {
  oldKeyId: string;
  newKeyId: string;
  graceEndsAt: string | null;
  duringGrace: { old: string; new: string };
  afterRevoke: { old: string; new: string };
}

export async function main(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<RotationSummary> {
  const tessera = new Tessera({ apiKey: env.TESSERA_API_KEY, baseURL: env.TESSERA_BASE_URL, workspaceId: env.TESSERA_WORKSPACE_ID });

  // The key in service today (in real life it exists already; you need its id, not its value).
  const old = await tessera.apiKeys.create({ name: 'billing-service', scopes: ['api_keys.read'], expires_in: '90d' });
  log(`in service: ${old.id} (${old.key_prefix}…)`);

  // 1. Rotate: a new key with the same settings; the old one keeps working for an hour.
  const rotated = await tessera.apiKeys.rotate(old.id, { grace_period_seconds: 3600 });
  log(`rotated: new key ${rotated.id} (${rotated.key_prefix}…); the old key works until ${rotated.previous_key.expires_at}`);
  // 2. Deploy rotated.key to your secret manager and roll your services here (await secrets.put(...)).

  // 3. Both keys verify meanwhile, and the new one works against the API.
  const verdict = async (key: string) => (await tessera.keys.verify({ key })).code;
  const duringGrace = { old: await verdict(old.key), new: await verdict(rotated.key) };
  log(`during the grace period: old key ${duringGrace.old}, new key ${duringGrace.new}`);
  const me = await new Tessera({ apiKey: rotated.key, baseURL: tessera.config.baseURL }).me();
  log(`GET /v1/me with the new key names ${me.credential.id}`);

  // 4. Everything runs on the new key: retire the old one now rather than at the end of the grace period.
  await tessera.apiKeys.revoke(old.id);
  const afterRevoke = { old: await verdict(old.key), new: await verdict(rotated.key) };
  log(`after revoking the old key: old key ${afterRevoke.old}, new key ${afterRevoke.new}`);

  if (duringGrace.old !== 'valid' || duringGrace.new !== 'valid' || afterRevoke.old !== 'revoked' || afterRevoke.new !== 'valid') {
    throw new Error(`unexpected verdicts: ${JSON.stringify({ duringGrace, afterRevoke })}`);
  }
  return { oldKeyId: old.id, newKeyId: rotated.id, graceEndsAt: rotated.previous_key.expires_at, duringGrace, afterRevoke };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exitCode = 1;
  });
}
