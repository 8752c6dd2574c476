/**
 * A monitoring dashboard and Prometheus (docs/guides/monitoring-dashboard-and-prometheus.md): a read-only
 * key pulls the last day's usage metrics, and the server's Prometheus text (`GET /metrics`) gives
 * request counts and keys by status. Prints both as small tables.
 *
 *   TESSERA_BASE_URL, TESSERA_API_KEY (an admin's token), TESSERA_WORKSPACE_ID
 *
 *   node --conditions=tessera-source --import tsx examples/monitoring-dashboard/index.ts
 */
import { pathToFileURL } from 'node:url';
import { Tessera, UnprocessableEntityError, type UsageMetrics } from '@tessera/sdk';

export interface MonitoringSummary {
  dashboardKeyId: string;
  dashboardScopes: string[];
  totals: UsageMetrics['totals'];
  buckets: number;
  /** From the Prometheus text: requests by status, and keys by status. */
  prometheus: { requestsByStatus: Record<string, number>; keysByStatus: Record<string, number> };
}

/** Sums a Prometheus counter or gauge by one label: `tessera_api_keys{status="active"} 3` → `{ active: 3 }`. */
export function sumByLabel(text: string, metric: string, label: string): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    const value = new RegExp(`${label}="([^"]*)"`).exec(line)?.[1];
    if (value !== undefined) sums[value] = (sums[value] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sums;
}

function table(rows: (string | number)[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  return rows.map((row) => row.map((cell, i) => String(cell).padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export async function main(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<MonitoringSummary> {
  const admin = new Tessera({ apiKey: env.TESSERA_API_KEY, baseURL: env.TESSERA_BASE_URL, workspaceId: env.TESSERA_WORKSPACE_ID });

  // A key that can only read, and never expires if the workspace allows it (else one year).
  const body = { name: 'monitoring-dashboard-readonly', scopes: ['metrics.read', 'audit_logs.read'] };
  const created = await admin.apiKeys.create({ ...body, expires_in: 'never' }).catch((error: unknown) => {
    if (error instanceof UnprocessableEntityError && error.code === 'expiry_required') return admin.apiKeys.create({ ...body, expires_in: '1y' });
    throw error;
  });
  log(`dashboard key ${created.key_prefix}… scopes ${created.scopes.join(', ')}, expires ${created.expires_at ?? 'never'}`);

  // The dashboard works with that key only.
  const dashboard = new Tessera({ apiKey: created.key, baseURL: admin.config.baseURL, workspaceId: admin.config.workspaceId });
  const end = new Date();
  const start = new Date(end.getTime() - 24 * 3600_000);
  const metrics = await dashboard.metrics.get({ start: start.toISOString(), end: end.toISOString(), granularity: 'hour' });

  log(`\nusage, last 24 hours (hours with traffic):`);
  const rows: (string | number)[][] = [['hour (UTC)', 'used', 'failed_auth', 'rate_limited', 'by status']];
  const busy = metrics.series.filter((b) => b.used + b.failed_auth + b.rate_limited > 0);
  for (const b of busy) rows.push([b.start.slice(0, 13) + ':00', b.used, b.failed_auth, b.rate_limited, JSON.stringify(b.by_status)]);
  const t = metrics.totals;
  rows.push(['total', t.used, t.failed_auth, t.rate_limited, JSON.stringify(t.by_status)]);
  log(table(rows));

  // Prometheus: no credential, expose it only to your scraper.
  const response = await fetch(`${admin.config.baseURL}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const text = await response.text();
  const requestsByStatus = sumByLabel(text, 'tessera_http_requests_total', 'status');
  const keysByStatus = sumByLabel(text, 'tessera_api_keys', 'status');
  log(`\nPrometheus (${admin.config.baseURL}/metrics):`);
  log(table([['status', 'requests'], ...Object.entries(requestsByStatus)]));
  log(table([['key status', 'keys'], ...Object.entries(keysByStatus)]));
  if (!Object.keys(requestsByStatus).length || !('active' in keysByStatus)) throw new Error('the Prometheus text lacks tessera_http_requests_total or tessera_api_keys');

  return { dashboardKeyId: created.id, dashboardScopes: created.scopes, totals: t, buckets: metrics.series.length, prometheus: { requestsByStatus, keysByStatus } };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exitCode = 1;
  });
}
