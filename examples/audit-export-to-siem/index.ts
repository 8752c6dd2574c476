/**
 * Audit export to a SIEM (docs/guides/audit-export-to-siem.md): a collector key lists recent events with
 * filters, downloads the last day as CEF and CSV files, and has Tessera deliver an NDJSON export to a
 * webhook, here a small receiver this program starts on 127.0.0.1, which checks the `Tessera-Signature`.
 *
 *   TESSERA_BASE_URL, TESSERA_API_KEY (an admin's token), TESSERA_WORKSPACE_ID
 *   AUDIT_EXPORT_DIR (optional): where to write the files; default a new temporary folder
 *   TESSERA_EXPORT_SIGNING_SECRET (optional): the server's export-signing secret, to check signatures
 *     (the reference server keeps it in its data folder: `signing_secret` in audit-exports.json)
 *
 *   node --conditions=tessera-source --import tsx examples/audit-export-to-siem/index.ts
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { Tessera, type AuditExport } from '@tessera/sdk';

/** The guide's check: `Tessera-Signature: t=<unix s>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, at most 5 minutes old. */
export function verifyTesseraSignature(rawBody: string, header: string | null, secret: string, now = Date.now()): boolean {
  const parts = (header ?? '').split(',').map((part) => part.trim().split('=', 2) as [string, string]);
  const t = Number(parts.find(([name]) => name === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > 300) return false; // refuse old (replayed) deliveries
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex'));
  return parts.some(([name, value]) => name === 'v1' && value.length === expected.length && timingSafeEqual(Buffer.from(value), expected));
}

interface Delivery {
  body: string;
  signature: string | null;
  contentType: string | null;
}

/** A webhook receiver on 127.0.0.1, standing in for the SIEM's HTTP input: answers 200 and hands over the first POST. */
async function startReceiver() {
  let deliver!: (delivery: Delivery) => void;
  const received = new Promise<Delivery>((resolve) => (deliver = resolve));
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    response.writeHead(200).end('ok');
    const signature = request.headers['tessera-signature'];
    deliver({ body: Buffer.concat(chunks).toString('utf8'), signature: typeof signature === 'string' ? signature : null, contentType: request.headers['content-type'] ?? null });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ingest/tessera`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface AuditSummary {
  listed: { type: string; target: string | null }[];
  files: { cef: string; csv: string };
  cefLines: number;
  csvRows: number;
  webhook: { export: AuditExport; events: number; signature: 'valid' | 'invalid' | 'not checked' };
  intact: boolean;
}

export async function main(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<AuditSummary> {
  const admin = new Tessera({ apiKey: env.TESSERA_API_KEY, baseURL: env.TESSERA_BASE_URL, workspaceId: env.TESSERA_WORKSPACE_ID });

  // The collector's key: read and export the log, nothing else.
  const collector = await admin.apiKeys.create({ name: 'siem-collector', scopes: ['audit_logs.read', 'audit_logs.export'], expires_in: '1y' });
  const siem = new Tessera({ apiKey: collector.key, baseURL: admin.config.baseURL, workspaceId: admin.config.workspaceId });
  log(`collector key ${collector.key_prefix}…`);

  // 1. Recent key lifecycle events, newest first (the SDK walks the pages).
  const listed: AuditSummary['listed'] = [];
  for await (const event of siem.auditLogs.list({ event_type: ['api_key.created', 'api_key.rotated', 'api_key.revoked', 'api_key.failed_auth'], range: '24h', limit: 100 })) {
    listed.push({ type: event.type, target: event.target?.name ?? null });
    if (listed.length <= 5) log(`  ${event.occurred_at}  ${event.type.padEnd(20)} ${event.target?.name ?? '-'}  by ${event.actor.type} ${event.actor.name ?? event.actor.id ?? ''}`);
  }
  log(`${listed.length} key lifecycle events in the last 24 hours`);

  // 2. The last day as files, streamed to disk.
  const dir = env.AUDIT_EXPORT_DIR?.trim() || (await mkdtemp(join(tmpdir(), 'tessera-audit-')));
  await mkdir(dir, { recursive: true });
  const files = { cef: join(dir, 'tessera-audit.cef'), csv: join(dir, 'tessera-audit.csv') };
  for (const format of ['cef', 'csv'] as const) {
    const stream = await siem.auditLogs.export({ format, range: '24h' });
    await stream.pipeTo(Writable.toWeb(createWriteStream(files[format])));
  }
  const cef = (await readFile(files.cef, 'utf8')).split('\n').filter(Boolean);
  const csv = (await readFile(files.csv, 'utf8')).split('\n').filter(Boolean);
  log(`wrote ${files.cef} (${cef.length} CEF lines) and ${files.csv} (${csv.length - 1} rows)`);
  if (cef[0]) log(`  ${cef[0]}`);
  if (!cef.length || !cef.every((line) => line.startsWith('CEF:0|Tessera|'))) throw new Error('the CEF export is empty or not CEF');

  // 3. Tessera pushes an export to the collector's HTTP input: answers at once, delivers in the background.
  const receiver = await startReceiver();
  try {
    const accepted = await siem.auditLogs.createExport({ format: 'ndjson', destination_url: receiver.url, filters: { event_type: ['api_key.created', 'api_key.revoked'], range: '24h' } });
    log(`export ${accepted.id} to ${receiver.url}: ${accepted.status}`);
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no delivery within 15 s')), 15_000).unref());
    const delivery = await Promise.race([receiver.received, timeout]);
    let outcome = await siem.auditLogs.getExport(accepted.id);
    for (let i = 0; outcome.status === 'pending' && i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      outcome = await siem.auditLogs.getExport(accepted.id);
    }
    const secret = env.TESSERA_EXPORT_SIGNING_SECRET?.trim();
    const signature = !secret ? 'not checked' : verifyTesseraSignature(delivery.body, delivery.signature, secret) ? 'valid' : 'invalid';
    const events = delivery.body.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string });
    log(`received ${events.length} events (${delivery.contentType}); signature ${signature}${secret ? '' : ' (set TESSERA_EXPORT_SIGNING_SECRET)'}; export ${outcome.status} after ${outcome.attempts} attempt(s)`);
    if (outcome.status !== 'succeeded' || signature === 'invalid' || events.length !== outcome.event_count) {
      throw new Error(`export ${outcome.status} with ${outcome.event_count} events (${events.length} received), signature ${signature} ${outcome.error ?? ''}`);
    }

    // 4. Nothing was changed, removed or inserted.
    const integrity = await siem.auditLogs.checkIntegrity();
    log(`hash chain intact: ${integrity.intact} (${integrity.events_checked} events)`);
    return { listed, files, cefLines: cef.length, csvRows: csv.length - 1, webhook: { export: outcome, events: events.length, signature }, intact: integrity.intact };
  } finally {
    await receiver.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exitCode = 1;
  });
}
