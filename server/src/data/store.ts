/**
 * The storage interface the domain talks to. Reads and transactions are async so that a shared
 * store (PostgreSQL for records, Redis for hot counters) can implement it later; the embedded
 * adapter answers from memory. A transaction sees its own writes, is atomic, and resolves only
 * once its writes are durable.
 */
import type { ApiKeyRecord, MemberRecord, RoleRecord, ScopeRecord, WorkspaceRecord } from '../domain/model.js';
import type { KeyState } from '../domain/credentials.js';

export interface StoreReader {
  workspace(id: string): Promise<WorkspaceRecord | undefined>;
  workspaces(): Promise<WorkspaceRecord[]>;
  member(id: string): Promise<MemberRecord | undefined>;
  memberByTokenDigest(digest: string): Promise<MemberRecord | undefined>;
  members(workspaceId: string): Promise<MemberRecord[]>;
  role(id: string): Promise<RoleRecord | undefined>;
  roles(workspaceId: string): Promise<RoleRecord[]>;
  scope(workspaceId: string, name: string): Promise<ScopeRecord | undefined>;
  scopes(workspaceId: string): Promise<ScopeRecord[]>;
  apiKey(id: string): Promise<ApiKeyRecord | undefined>;
  apiKeyByDigest(digest: string): Promise<ApiKeyRecord | undefined>;
  /**
   * Each of the workspace's keys in turn, in no order, rather than an array of them all as for the
   * other records: a workspace may hold 100,000 keys, and a caller that keeps few of them lets the
   * rest go at once (a listing that held them all peaked about 270 MB higher).
   */
  forEachApiKey(workspaceId: string, visit: (key: ApiKeyRecord) => void): Promise<void>;
}

export interface StoreTransaction extends StoreReader {
  putWorkspace(record: WorkspaceRecord): void;
  putMember(record: MemberRecord): void;
  putRole(record: RoleRecord): void;
  deleteRole(id: string): void;
  putScope(record: ScopeRecord): void;
  deleteScope(workspaceId: string, name: string): void;
  putApiKey(record: ApiKeyRecord): void;
}

/** When each key was last used. Kept in memory and checkpointed, never written per request. */
export interface LastUsedTracker {
  get(keyId: string): string | null;
  touch(keyId: string, at: Date): void;
}

export interface TesseraStore extends StoreReader {
  transact<R>(work: (tx: StoreTransaction) => Promise<R> | R): Promise<R>;
  /**
   * One page of a workspace's keys as an unfiltered listing orders them: newest first by position
   * `${created_at}|${id}` (the domain's `byCreation`), starting after position `after` (from the
   * newest when undefined; the position need not be a key's), up to `limit` keys; `more` says
   * whether others follow. Reads only the page's records.
   */
  apiKeyPage(workspaceId: string, after: string | undefined, limit: number): Promise<{ keys: ApiKeyRecord[]; more: boolean }>;
  /** How many keys of all workspaces are in each state at `now` (for the Prometheus gauge). */
  apiKeyCounts(now: Date): Promise<Record<KeyState, number>>;
  readonly lastUsed: LastUsedTracker;
  /** Everything acknowledged so far is on disk (records and checkpoints). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
