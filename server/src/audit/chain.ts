/**
 * Walking a workspace's hash chain on disk, and the state that anchors it.
 *
 * Chain state (`<dataDir>/audit/chain.json`, one entry per workspace):
 * - `first_prev_hash`: the `prev_hash` the oldest retained event must carry (64 zeros until
 *   retention prunes something). Written durably *before* segments are deleted, together with
 *   `pruning` (the names of the segments about to go), so removing the oldest events by hand is
 *   detected while pruning is not mistaken for tampering. Segments listed in `pruning` are
 *   ignored, and deleted when the log opens (a crash may interrupt a prune).
 * - `head`: the newest event known to be fsynced (id and hash), saved periodically. An event
 *   removed from the end of the log is detected when the anchored head is no longer found.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { listSegments, readJsonFile, readLineBatches } from '../storage/index.js';
import { computeEventHash, HASH_PATTERN, ZERO_HASH } from './hash.js';
import type { AuditEvent, AuditIntegrity } from './types.js';

export const AUDIT_DIR = 'audit';
export const CHAIN_STATE_FILE = 'chain.json';
/** Folder names a workspace id may map to (never `..`, never a path separator). */
export const WORKSPACE_DIR_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export interface ChainAnchor {
  first_prev_hash: string;
  head: { id: string; hash: string } | null;
  /** Segments being deleted by retention. */
  pruning: string[];
}

export interface ChainState {
  version: 1;
  workspaces: Record<string, ChainAnchor>;
}

export function emptyChainState(): ChainState {
  return { version: 1, workspaces: {} };
}

export function decodeChainState(value: unknown): ChainState {
  if (typeof value !== 'object' || value === null) throw new Error('expected an object');
  const v = value as { version?: unknown; workspaces?: unknown };
  if (v.version !== 1 || typeof v.workspaces !== 'object' || v.workspaces === null) throw new Error('expected { version: 1, workspaces: {...} }');
  const workspaces: Record<string, ChainAnchor> = {};
  for (const [id, raw] of Object.entries(v.workspaces as Record<string, unknown>)) {
    const a = raw as Partial<ChainAnchor>;
    if (typeof a.first_prev_hash !== 'string' || !HASH_PATTERN.test(a.first_prev_hash)) throw new Error(`bad anchor for ${id}`);
    const head = a.head && typeof a.head.id === 'string' && typeof a.head.hash === 'string' ? { id: a.head.id, hash: a.head.hash } : null;
    const pruning = Array.isArray(a.pruning) ? a.pruning.filter((name): name is string => typeof name === 'string') : [];
    workspaces[id] = { first_prev_hash: a.first_prev_hash, head, pruning };
  }
  return { version: 1, workspaces };
}

const ID_IN_LINE = /"id"\s*:\s*"(evt_[0-9A-Za-z]{1,64})"/;

export interface ChainWalkOptions {
  workspaceId: string;
  anchor: ChainAnchor | undefined;
  /** The newest event this process recorded (everything recorded is flushed before the walk). */
  expectedHead?: { id: string; hash: string } | null;
  /** `checked_at`. */
  now: Date;
}

export interface ChainWalkResult extends AuditIntegrity {
  /** Hash of the last valid event walked (the chain's head on disk). */
  last_hash: string;
}

/** Walk every segment of `dir` oldest first and check the chain. Stops at the first invalid event. */
export async function walkChain(dir: string, options: ChainWalkOptions): Promise<ChainWalkResult> {
  const anchor = options.anchor;
  let expectedPrev = anchor?.first_prev_hash ?? ZERO_HASH;
  const anchoredHead = anchor?.head ?? null;
  let anchoredHeadSeen = anchoredHead === null;
  let checked = 0;
  let firstInvalid: string | null = null;
  let invalid = false;
  let segments: Awaited<ReturnType<typeof listSegments>> = [];
  try {
    segments = await listSegments(dir);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
  }
  const pruning = new Set(anchor?.pruning ?? []);
  outer: for (const segment of segments) {
    if (pruning.has(segment.name)) continue;
    for await (const batch of readLineBatches(segment.path)) {
      for (const line of batch) {
        checked += 1;
        let event: AuditEvent;
        try {
          event = JSON.parse(line.bytes.toString('utf8')) as AuditEvent;
        } catch {
          invalid = true;
          firstInvalid = ID_IN_LINE.exec(line.bytes.toString('utf8'))?.[1] ?? null;
          break outer;
        }
        if (
          typeof event !== 'object' ||
          event === null ||
          event.workspace_id !== options.workspaceId ||
          event.prev_hash !== expectedPrev ||
          computeEventHash(event) !== event.hash
        ) {
          invalid = true;
          firstInvalid = typeof event?.id === 'string' ? event.id : null;
          break outer;
        }
        if (anchoredHead !== null && event.id === anchoredHead.id) {
          if (event.hash !== anchoredHead.hash) {
            invalid = true;
            firstInvalid = event.id;
            break outer;
          }
          anchoredHeadSeen = true;
        }
        expectedPrev = event.hash;
      }
    }
  }
  if (!invalid && !anchoredHeadSeen && anchoredHead !== null) {
    // The newest event known to be on disk is gone: events were removed from the end.
    invalid = true;
    firstInvalid = anchoredHead.id;
  }
  if (!invalid && options.expectedHead && options.expectedHead.hash !== expectedPrev) {
    invalid = true;
    firstInvalid = options.expectedHead.id;
  }
  return {
    intact: !invalid,
    events_checked: checked,
    first_invalid_event_id: firstInvalid,
    checked_at: options.now.toISOString(),
    last_hash: expectedPrev,
  };
}

export interface AuditChainReport {
  intact: boolean;
  workspaces: Array<AuditIntegrity & { workspace_id: string }>;
}

/**
 * Check every workspace's chain in `<dataDir>/audit` (for a CLI: `tessera-server audit verify`).
 * Read-only; safe while the server runs (events written meanwhile may or may not be included).
 */
export async function checkAuditChain(dataDir: string, now: Date = new Date()): Promise<AuditChainReport> {
  const auditDir = path.join(dataDir, AUDIT_DIR);
  const raw = await readJsonFile(path.join(auditDir, CHAIN_STATE_FILE));
  const state = raw === undefined ? emptyChainState() : decodeChainState(raw);
  let names: string[] = [];
  try {
    const entries = await readdir(auditDir, { withFileTypes: true });
    names = entries.filter((entry) => entry.isDirectory() && WORKSPACE_DIR_PATTERN.test(entry.name)).map((entry) => entry.name);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
  }
  // A workspace whose folder vanished but which has an anchor lost all its events.
  for (const id of Object.keys(state.workspaces)) if (!names.includes(id)) names.push(id);
  names.sort();
  const workspaces: AuditChainReport['workspaces'] = [];
  for (const id of names) {
    const { last_hash: _last, ...result } = await walkChain(path.join(auditDir, id), { workspaceId: id, anchor: state.workspaces[id], now });
    void _last;
    workspaces.push({ workspace_id: id, ...result });
  }
  return { intact: workspaces.every((w) => w.intact), workspaces };
}
