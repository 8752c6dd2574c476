/**
 * Batch ingestion with retries (docs/guides/batch-ingestion-with-retries.md): an ingestion endpoint
 * receives a batch of documents and checks the uploader's key once per document with Tessera. Its own
 * Tessera credential has a tight rate limit, so part-way through the batch Tessera answers
 * `429 rate_limited` with `Retry-After`; the SDK waits that long and retries the same request (same
 * `Idempotency-Key`), and every document gets through.
 *
 *   TESSERA_BASE_URL, TESSERA_API_KEY (an admin's token), TESSERA_WORKSPACE_ID
 *   BATCH_SIZE (optional, default 62): documents in the batch
 *
 *   node --conditions=tessera-source --import tsx examples/batch-ingestion-with-retries/index.ts
 */
import { pathToFileURL } from 'node:url';
import { ConflictError, IDEMPOTENCY_KEY_HEADER, Tessera, type FetchLike } from '@tessera/sdk';

export interface Attempt {
  status: number;
  retryAfter: string | null;
  idempotencyKey: string | null;
}

export interface BatchSummary {
  documents: number;
  accepted: number;
  requests: number;
  rateLimited: number;
  /** Per document that needed more than one attempt. */
  retried: { document: number; attempts: Attempt[] }[];
  elapsedMs: number;
}

export async function main(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<BatchSummary> {
  const admin = new Tessera({ apiKey: env.TESSERA_API_KEY, baseURL: env.TESSERA_BASE_URL, workspaceId: env.TESSERA_WORKSPACE_ID });
  const documents = Number(env.BATCH_SIZE ?? 62);

  // Your product's scopes, once per workspace.
  for (const name of ['documents.upload', 'workflows.execute']) {
    await admin.scopes.create({ name }).catch((error: unknown) => {
      if (!(error instanceof ConflictError)) throw error;
    });
  }

  // The key the uploader sends with every document, as in the guide.
  const ingestion = await admin.apiKeys.create({
    name: 'prod-data-ingestion-api',
    scopes: ['documents.upload', 'workflows.execute'],
    expires_in: '180d',
    rate_limit: { requests_per_minute: 600, burst: 100 },
    metadata: { owner: 'data-platform' },
  });
  log(`uploader key ${ingestion.key_prefix}… (600/min, burst 100)`);

  // The ingestion endpoint's own credential: keys.verify only, and a deliberately tight limit for the
  // demo: 60 a minute, no burst, so 60 verifications pass at once and then one a second.
  const verifier = await admin.apiKeys.create({
    name: 'ingestion-endpoint-verifier',
    scopes: ['keys.verify'],
    expires_in: '30d',
    rate_limit: { requests_per_minute: 60, burst: 0 },
  });
  log(`endpoint's verifier key ${verifier.key_prefix}… (60/min, burst 0)`);

  // Record every attempt the SDK makes (it retries below this fetch).
  let attempts: Attempt[] = [];
  const recordingFetch: FetchLike = async (request) => {
    const response = await fetch(request);
    attempts.push({ status: response.status, retryAfter: response.headers.get('retry-after'), idempotencyKey: request.headers.get(IDEMPOTENCY_KEY_HEADER) });
    return response;
  };
  const tessera = new Tessera({ apiKey: verifier.key, baseURL: admin.config.baseURL, maxRetries: 5, timeout: 10_000, fetch: recordingFetch });

  const summary: BatchSummary = { documents, accepted: 0, requests: 0, rateLimited: 0, retried: [], elapsedMs: 0 };
  const started = Date.now();
  for (let document = 1; document <= documents; document++) {
    attempts = [];
    // One verification per incoming document; 429s are retried inside this call.
    const verdict = await tessera.keys.verify({ key: ingestion.key, required_scopes: ['documents.upload'] });
    if (!verdict.valid) throw new Error(`document ${document}: the uploader's key was refused (${verdict.code})`);
    summary.accepted++;
    summary.requests += attempts.length;
    summary.rateLimited += attempts.filter((a) => a.status === 429).length;
    if (attempts.length > 1) {
      summary.retried.push({ document, attempts });
      const steps = attempts.map((a, i) => `attempt ${i + 1}: ${a.status}${a.retryAfter ? ` (Retry-After ${a.retryAfter} s)` : ''}`);
      log(`document ${document}: ${steps.join(', ')}; same Idempotency-Key on each: ${new Set(attempts.map((a) => a.idempotencyKey)).size === 1}`);
    }
  }
  summary.elapsedMs = Date.now() - started;
  log(`${summary.accepted}/${documents} documents accepted with ${summary.requests} requests, ${summary.rateLimited} answered 429 and retried, in ${(summary.elapsedMs / 1000).toFixed(1)} s`);
  if (summary.accepted !== documents) throw new Error('some documents were not accepted');

  // Tidy up: the demo's keys are not needed any more.
  await admin.apiKeys.revoke(verifier.id);
  await admin.apiKeys.revoke(ingestion.id);
  return summary;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exitCode = 1;
  });
}
