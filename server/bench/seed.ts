/**
 * Writes a data folder holding one workspace, its admin, and `count` API keys, straight through
 * the domain's record shapes (creating 100,000 keys over HTTP would measure the wrong thing).
 * Returns the raw credentials the benchmark uses; they exist only in memory.
 */
import { generateApiKey } from '@tessera/sdk/key-format';
import { writeDataFile } from '../src/data/open.js';
import { digestOf } from '../src/domain/credentials.js';
import { newId } from '../src/domain/ids.js';
import { emptyData, type ApiKeyRecord } from '../src/domain/model.js';
import { DEFAULT_SETTINGS, newMember } from '../src/domain/workspaces.js';

export interface Seeded {
  workspaceId: string;
  adminToken: string;
  /** keys.verify + api_keys.read, with a limit high enough never to throttle the benchmark. */
  verifierKey: string;
  verifierKeyId: string;
  /** Keys to verify, also unthrottled. */
  targetKeys: string[];
}

const UNTHROTTLED = { requests_per_minute: 1_000_000, burst: 1_000_000 };

export async function seedDataDir(dir: string, count: number): Promise<Seeded> {
  const data = emptyData();
  const now = new Date();
  const timestamp = now.toISOString();
  const workspaceId = newId('ws');
  data.workspaces[workspaceId] = { id: workspaceId, name: 'Benchmark', settings: DEFAULT_SETTINGS, created_at: timestamp, updated_at: timestamp };
  const admin = newMember(workspaceId, { name: 'Admin', email: 'admin@bench.example', role: 'admin' }, now);
  data.members[admin.record.id] = admin.record;

  const key = (name: string, scopes: string[], rateLimit: ApiKeyRecord['rate_limit']): { raw: string; record: ApiKeyRecord } => {
    const raw = generateApiKey({ prefix: 'sk', environment: 'live' });
    const record: ApiKeyRecord = {
      id: newId('key'), workspace_id: workspaceId, name, description: null, environment: 'live',
      key_digest: digestOf(raw), key_prefix: raw.slice(0, 12), last_four: raw.slice(-4), scopes, roles: [],
      status: 'active', expires_at: null, rate_limit: rateLimit, metadata: { seeded: true }, created_by: admin.record.id,
      created_by_key: null, created_at: timestamp, updated_at: timestamp, rotated_from: null, rotated_to: null, disabled_at: null, revoked_at: null,
    };
    data.api_keys[record.id] = record;
    return { raw, record };
  };

  const verifier = key('Benchmark verifier', ['keys.verify', 'api_keys.read'], UNTHROTTLED);
  const targetKeys: string[] = [];
  for (let i = 1; i < count; i++) {
    const made = key(`Seeded key ${i}`, ['api_keys.read'], i <= 64 ? UNTHROTTLED : null);
    if (i <= 64) targetKeys.push(made.raw);
  }
  // The layout the server writes itself (sealed, one record per line), so start-up is measured
  // on the file a running server would leave behind.
  await writeDataFile(dir, data);
  return { workspaceId, adminToken: admin.token, verifierKey: verifier.raw, verifierKeyId: verifier.record.id, targetKeys };
}
