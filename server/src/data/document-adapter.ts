/**
 * The embedded implementation of {@link TesseraStore} over a {@link DocumentStore} (the lowdb
 * file, or memory). Transactions run one at a time: each stages its writes, applies them to
 * the document in one synchronous step, releases the next transaction, and then waits for the
 * group-committed write that holds its change. Concurrent transactions therefore share disk
 * writes without ever seeing a half-applied change.
 */
import type { DocumentStore } from '../storage/index.js';
import type { ApiKeyRecord, MemberRecord, RoleRecord, ScopeRecord, TesseraData, WorkspaceRecord } from '../domain/model.js';
import type { LastUsedTracker, StoreReader, StoreTransaction, TesseraStore } from './store.js';

type Collection = 'workspaces' | 'members' | 'roles' | 'scopes' | 'api_keys';
const scopeKey = (workspaceId: string, name: string) => `${workspaceId} ${name}`;
const clone = <T>(value: T): T => structuredClone(value);

class Indexes {
  readonly keyByDigest = new Map<string, string>();
  readonly memberByDigest = new Map<string, string>();

  constructor(data: TesseraData) {
    for (const key of Object.values(data.api_keys)) this.keyByDigest.set(key.key_digest, key.id);
    for (const member of Object.values(data.members)) this.memberByDigest.set(member.token_digest, member.id);
  }
}

/** Reads straight from the document; records are cloned so callers can never mutate it. */
class DocumentReader implements StoreReader {
  constructor(
    protected readonly data: () => TesseraData,
    protected readonly indexes: Indexes,
  ) {}

  protected get<T>(collection: Collection, id: string): T | undefined {
    const record = (this.data()[collection] as unknown as Record<string, T>)[id];
    return record === undefined ? undefined : clone(record);
  }

  protected all<T extends { workspace_id: string }>(collection: Collection, workspaceId?: string): T[] {
    const records = Object.values(this.data()[collection] as unknown as Record<string, T>);
    return clone(workspaceId === undefined ? records : records.filter((r) => r.workspace_id === workspaceId));
  }

  async workspace(id: string) { return this.get<WorkspaceRecord>('workspaces', id); }
  async workspaces() { return clone(Object.values(this.data().workspaces)); }
  async member(id: string) { return this.get<MemberRecord>('members', id); }
  async memberByTokenDigest(digest: string) {
    const id = this.indexes.memberByDigest.get(digest);
    return id === undefined ? undefined : this.get<MemberRecord>('members', id);
  }
  async members(workspaceId: string) { return this.all<MemberRecord>('members', workspaceId); }
  async role(id: string) { return this.get<RoleRecord>('roles', id); }
  async roles(workspaceId: string) { return this.all<RoleRecord>('roles', workspaceId); }
  async scope(workspaceId: string, name: string) { return this.get<ScopeRecord>('scopes', scopeKey(workspaceId, name)); }
  async scopes(workspaceId: string) { return this.all<ScopeRecord>('scopes', workspaceId); }
  async apiKey(id: string) { return this.get<ApiKeyRecord>('api_keys', id); }
  async apiKeyByDigest(digest: string) {
    const id = this.indexes.keyByDigest.get(digest);
    return id === undefined ? undefined : this.get<ApiKeyRecord>('api_keys', id);
  }
  async apiKeys(workspaceId: string) { return this.all<ApiKeyRecord>('api_keys', workspaceId); }
}

type StagedWrite = { collection: Collection; id: string; record: unknown | null };

/** A transaction's view: the document with the transaction's own staged writes laid over it. */
class StagedTransaction extends DocumentReader implements StoreTransaction {
  readonly writes = new Map<string, StagedWrite>();

  protected override get<T>(collection: Collection, id: string): T | undefined {
    const staged = this.writes.get(`${collection}/${id}`);
    if (staged) return staged.record === null ? undefined : clone(staged.record as T);
    return super.get<T>(collection, id);
  }

  protected override all<T extends { workspace_id: string }>(collection: Collection, workspaceId?: string): T[] {
    const byId = new Map<string, T>();
    const idOf = (r: T) => (collection === 'scopes' ? scopeKey(r.workspace_id, (r as unknown as ScopeRecord).name) : (r as unknown as { id: string }).id);
    for (const record of super.all<T>(collection, workspaceId)) byId.set(idOf(record), record);
    for (const write of this.writes.values()) {
      if (write.collection !== collection) continue;
      if (write.record === null) byId.delete(write.id);
      else if (workspaceId === undefined || (write.record as T).workspace_id === workspaceId) byId.set(write.id, clone(write.record as T));
    }
    return [...byId.values()];
  }

  override async workspaces() { return this.all<WorkspaceRecord & { workspace_id: string }>('workspaces').map((w) => w as WorkspaceRecord); }

  override async apiKeyByDigest(digest: string) {
    for (const write of this.writes.values()) {
      if (write.collection === 'api_keys' && (write.record as ApiKeyRecord | null)?.key_digest === digest) return clone(write.record as ApiKeyRecord);
    }
    return super.apiKeyByDigest(digest);
  }

  private stage(collection: Collection, id: string, record: unknown | null) {
    this.writes.set(`${collection}/${id}`, { collection, id, record: record === null ? null : clone(record) });
  }

  putWorkspace(record: WorkspaceRecord) { this.stage('workspaces', record.id, record); }
  putMember(record: MemberRecord) { this.stage('members', record.id, record); }
  putRole(record: RoleRecord) { this.stage('roles', record.id, record); }
  deleteRole(id: string) { this.stage('roles', id, null); }
  putScope(record: ScopeRecord) { this.stage('scopes', scopeKey(record.workspace_id, record.name), record); }
  deleteScope(workspaceId: string, name: string) { this.stage('scopes', scopeKey(workspaceId, name), null); }
  putApiKey(record: ApiKeyRecord) { this.stage('api_keys', record.id, record); }
}

export class DocumentTesseraStore extends DocumentReader implements TesseraStore {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly document: DocumentStore<TesseraData>,
    readonly lastUsed: LastUsedTracker & { flush?(): Promise<void>; close?(): Promise<void> },
    private readonly afterClose: () => Promise<void> = async () => {},
  ) {
    const data = () => document.read() as TesseraData;
    super(data, new Indexes(data()));
  }

  async transact<R>(work: (tx: StoreTransaction) => Promise<R> | R): Promise<R> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    let durable: Promise<unknown> = Promise.resolve();
    let result: R;
    try {
      const tx = new StagedTransaction(this.data, this.indexes);
      result = await work(tx);
      if (tx.writes.size > 0) durable = this.document.update((draft) => this.apply(draft, tx.writes));
    } finally {
      release();
    }
    await durable;
    return result;
  }

  private apply(draft: TesseraData, writes: Map<string, StagedWrite>): void {
    for (const { collection, id, record } of writes.values()) {
      const table = draft[collection] as Record<string, unknown>;
      const previous = table[id] as Partial<ApiKeyRecord & MemberRecord> | undefined;
      if (previous?.key_digest) this.indexes.keyByDigest.delete(previous.key_digest);
      if (previous?.token_digest) this.indexes.memberByDigest.delete(previous.token_digest);
      if (record === null) {
        delete table[id];
        continue;
      }
      table[id] = record;
      const next = record as Partial<ApiKeyRecord & MemberRecord>;
      if (collection === 'api_keys' && next.key_digest) this.indexes.keyByDigest.set(next.key_digest, id);
      if (collection === 'members' && next.token_digest) this.indexes.memberByDigest.set(next.token_digest, id);
    }
  }

  async flush(): Promise<void> {
    await this.queue;
    await this.document.flush();
    await this.lastUsed.flush?.();
  }

  async close(): Promise<void> {
    await this.queue;
    await this.lastUsed.close?.();
    await this.document.close();
    await this.afterClose();
  }
}
