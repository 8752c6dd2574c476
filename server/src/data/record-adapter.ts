/**
 * The embedded implementation of {@link TesseraStore} over a {@link RecordStore} (the lowdb
 * snapshot and its journal, or memory). Transactions run one at a time: each stages its writes,
 * commits them in one synchronous step (applied in memory at once), releases the next
 * transaction, and then waits for the group-committed journal append that holds its change.
 * Concurrent transactions therefore share disk writes without ever seeing a half-applied change.
 *
 * Every read returns a fresh copy (the record store's reads do), so callers may change what they
 * get without touching stored state; staged records are copied when put for the same reason.
 */
import { copyJson, type CollectionSpec, type JsonRecord, type RecordStore, type RecordWrite } from '../storage/index.js';
import type { ApiKeyRecord, MemberRecord, RoleRecord, ScopeRecord, WorkspaceRecord } from '../domain/model.js';
import { KeyOrder } from './key-order.js';
import { KeyStateTally, type KeyStateCounts } from './key-state-tally.js';
import type { LastUsedTracker, StoreReader, StoreTransaction, TesseraStore } from './store.js';

type Collection = 'workspaces' | 'members' | 'roles' | 'scopes' | 'api_keys';

/** The collections in file order, with the fields the store indexes. */
export const TESSERA_COLLECTIONS: readonly CollectionSpec[] = [
  { name: 'workspaces' },
  { name: 'members', groupBy: 'workspace_id', unique: ['token_digest'] },
  { name: 'roles', groupBy: 'workspace_id' },
  { name: 'scopes', groupBy: 'workspace_id' },
  { name: 'api_keys', groupBy: 'workspace_id', unique: ['key_digest'] },
];

/** Scopes are stored under `${workspace_id} ${name}`: names are unique per workspace only. */
export const scopeKey = (workspaceId: string, name: string) => `${workspaceId} ${name}`;

/** The id a record is stored under. */
function storedIdOf(collection: Collection, record: JsonRecord): string {
  return collection === 'scopes' ? scopeKey(record.workspace_id as string, record.name as string) : (record.id as string);
}

/** Reads straight from the record store. */
class RecordReader implements StoreReader {
  constructor(protected readonly records: RecordStore) {}

  protected get<T>(collection: Collection, id: string): T | undefined {
    return this.records.get(collection, id) as T | undefined;
  }

  protected all<T>(collection: Collection, workspaceId?: string): T[] {
    return this.records.list(collection, workspaceId) as T[];
  }

  protected each<T>(collection: Collection, workspaceId: string | undefined, visit: (record: T) => void): void {
    this.records.forEach(collection, workspaceId, (record) => visit(record as T));
  }

  protected idByDigest(collection: 'api_keys' | 'members', digest: string): string | undefined {
    return this.records.idBy(collection, collection === 'api_keys' ? 'key_digest' : 'token_digest', digest);
  }

  async workspace(id: string) { return this.get<WorkspaceRecord>('workspaces', id); }
  async workspaces() { return this.all<WorkspaceRecord>('workspaces'); }
  async member(id: string) { return this.get<MemberRecord>('members', id); }
  async memberByTokenDigest(digest: string) {
    const id = this.idByDigest('members', digest);
    return id === undefined ? undefined : this.get<MemberRecord>('members', id);
  }
  async members(workspaceId: string) { return this.all<MemberRecord>('members', workspaceId); }
  async role(id: string) { return this.get<RoleRecord>('roles', id); }
  async roles(workspaceId: string) { return this.all<RoleRecord>('roles', workspaceId); }
  async scope(workspaceId: string, name: string) { return this.get<ScopeRecord>('scopes', scopeKey(workspaceId, name)); }
  async scopes(workspaceId: string) { return this.all<ScopeRecord>('scopes', workspaceId); }
  async apiKey(id: string) { return this.get<ApiKeyRecord>('api_keys', id); }
  async apiKeyByDigest(digest: string) {
    const id = this.idByDigest('api_keys', digest);
    return id === undefined ? undefined : this.get<ApiKeyRecord>('api_keys', id);
  }
  async forEachApiKey(workspaceId: string, visit: (key: ApiKeyRecord) => void) { this.each('api_keys', workspaceId, visit); }
}

/** A transaction's view: the store with the transaction's own staged writes laid over it. */
class StagedTransaction extends RecordReader implements StoreTransaction {
  readonly writes = new Map<string, RecordWrite>();

  protected override get<T>(collection: Collection, id: string): T | undefined {
    const staged = this.writes.get(`${collection}/${id}`);
    if (staged) return staged.record === null ? undefined : (copyJson(staged.record) as T);
    return super.get<T>(collection, id);
  }

  protected override all<T>(collection: Collection, workspaceId?: string): T[] {
    const records: T[] = [];
    this.each<T>(collection, workspaceId, (record) => records.push(record));
    return records;
  }

  /** The stored records this transaction has not rewritten or deleted, then its own (in the group). */
  protected override each<T>(collection: Collection, workspaceId: string | undefined, visit: (record: T) => void): void {
    const staged = new Set<string>();
    for (const write of this.writes.values()) if (write.collection === collection) staged.add(write.id);
    super.each<JsonRecord>(collection, workspaceId, (record) => {
      if (!staged.has(storedIdOf(collection, record))) visit(record as T);
    });
    for (const write of this.writes.values()) {
      if (write.collection !== collection || write.record === null) continue;
      // A staged move to another workspace leaves this one.
      if (workspaceId === undefined || write.record.workspace_id === workspaceId) visit(copyJson(write.record) as T);
    }
  }

  override async apiKeyByDigest(digest: string) {
    for (const write of this.writes.values()) {
      if (write.collection === 'api_keys' && write.record?.key_digest === digest) return copyJson(write.record) as unknown as ApiKeyRecord;
    }
    return super.apiKeyByDigest(digest);
  }

  override async memberByTokenDigest(digest: string) {
    for (const write of this.writes.values()) {
      if (write.collection === 'members' && write.record?.token_digest === digest) return copyJson(write.record) as unknown as MemberRecord;
    }
    return super.memberByTokenDigest(digest);
  }

  private stage(collection: Collection, id: string, record: object | null) {
    // A copy (the caller may keep changing its object after putting it), through JSON: the
    // transaction then reads back exactly what will be stored (no undefined fields, no Dates),
    // and a record that cannot be stored fails here, before anything is applied.
    this.writes.set(`${collection}/${id}`, { collection, id, record: record === null ? null : (JSON.parse(JSON.stringify(record)) as JsonRecord) });
  }

  putWorkspace(record: WorkspaceRecord) { this.stage('workspaces', record.id, record); }
  putMember(record: MemberRecord) { this.stage('members', record.id, record); }
  putRole(record: RoleRecord) { this.stage('roles', record.id, record); }
  deleteRole(id: string) { this.stage('roles', id, null); }
  putScope(record: ScopeRecord) { this.stage('scopes', scopeKey(record.workspace_id, record.name), record); }
  deleteScope(workspaceId: string, name: string) { this.stage('scopes', scopeKey(workspaceId, name), null); }
  putApiKey(record: ApiKeyRecord) { this.stage('api_keys', record.id, record); }
}

export class RecordTesseraStore extends RecordReader implements TesseraStore {
  private queue: Promise<void> = Promise.resolve();
  /** Built when first asked for (reading every key once), then kept up to date by each commit. */
  private tally: KeyStateTally | undefined;
  /** Likewise, per workspace: built when the workspace's keys are first paged. */
  private readonly keyOrder = new KeyOrder();

  constructor(
    records: RecordStore,
    readonly lastUsed: LastUsedTracker & { flush?(): Promise<void>; close?(): Promise<void> },
    private readonly afterClose: () => Promise<void> = async () => {},
  ) {
    super(records);
  }

  async transact<R>(work: (tx: StoreTransaction) => Promise<R> | R): Promise<R> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    let durable: Promise<unknown> = Promise.resolve();
    let result: R;
    try {
      const tx = new StagedTransaction(this.records);
      result = await work(tx);
      // Applied in memory synchronously, before the next transaction is released.
      if (tx.writes.size > 0) durable = this.commit([...tx.writes.values()]);
    } finally {
      release();
    }
    await durable;
    return result;
  }

  private commit(writes: RecordWrite[]): Promise<unknown> {
    // What is kept up to date from the keys written: the tally and the order, once built.
    const kept: Array<KeyStateTally | KeyOrder> = [];
    if (this.tally) kept.push(this.tally);
    if (!this.keyOrder.empty) kept.push(this.keyOrder);
    if (kept.length === 0) return this.records.commit(writes);
    const keyIds = writes.filter((write) => write.collection === 'api_keys').map((write) => write.id);
    const before = keyIds.map((id) => this.get<ApiKeyRecord>('api_keys', id));
    const durable = this.records.commit(writes);
    // Read back rather than taken from the writes: a commit that is refused applies nothing.
    keyIds.forEach((id, i) => {
      const after = this.get<ApiKeyRecord>('api_keys', id);
      for (const view of kept) {
        if (before[i]) view.remove(before[i]);
        if (after) view.add(after);
      }
    });
    return durable;
  }

  async apiKeyPage(workspaceId: string, after: string | undefined, limit: number): Promise<{ keys: ApiKeyRecord[]; more: boolean }> {
    if (!this.keyOrder.has(workspaceId)) {
      // Only the fields the order needs are kept from each key as it is read.
      const placed: Array<Pick<ApiKeyRecord, 'workspace_id' | 'created_at' | 'id'>> = [];
      this.each<ApiKeyRecord>('api_keys', workspaceId, (key) => placed.push({ workspace_id: workspaceId, created_at: key.created_at, id: key.id }));
      this.keyOrder.build(workspaceId, placed);
    }
    const { ids, more } = this.keyOrder.descending(workspaceId, after, limit);
    // Every id in the order is a stored key of the workspace: commits keep the two in step.
    return { keys: ids.map((id) => this.get<ApiKeyRecord>('api_keys', id)!), more };
  }

  async apiKeyCounts(now: Date): Promise<KeyStateCounts> {
    if (!this.tally) {
      const tally = new KeyStateTally();
      this.each<ApiKeyRecord>('api_keys', undefined, (key) => tally.add(key));
      this.tally = tally;
    }
    return this.tally.counts(now.getTime());
  }

  async flush(): Promise<void> {
    await this.queue;
    await this.records.flush();
    await this.lastUsed.flush?.();
  }

  async close(): Promise<void> {
    await this.queue;
    await this.lastUsed.close?.();
    await this.records.close();
    await this.afterClose();
  }
}
