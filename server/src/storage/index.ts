/** Durable storage building blocks for the reference server (no domain knowledge here). */
export {
  CorruptDataFileError,
  UnreadableDataFileError,
  fsyncDirectory,
  parseJsonBytes,
  readJsonFile,
  removeLeftoverTempFiles,
  writeFileDurably,
  writeFileDurablyWith,
  type DurableFileWriter,
  type WriteFileDurablyOptions,
} from './durable-file.js';
export {
  DocumentWriteError,
  LowDocumentStore,
  MemoryDocumentStore,
  StoreClosedError,
  StoreFailedError,
  type DeepReadonly,
  type DocumentMutator,
  type DocumentStore,
  type DocumentStoreStats,
  type LowDocumentStoreOptions,
} from './document-store.js';
export {
  DurableJsonFileAdapter,
  JsonDocumentStore,
  type DocumentValidator,
  type DurableJsonFileAdapterOptions,
  type JsonDocumentStoreOptions,
} from './json-document-store.js';
export {
  DATA_DIR_LOCK_NAME,
  DEFAULT_LOCK_STALE_MS,
  DEFAULT_LOCK_UPDATE_MS,
  DataDirLockCompromisedError,
  DataDirLockedError,
  acquireDataDirLock,
  type DataDirLockOptions,
  type DataDirLockOwner,
  type ReleaseDataDirLock,
} from './data-dir-lock.js';
export {
  AppendLog,
  AppendLogClosedError,
  AppendLogFailedError,
  listSegments,
  parseSegmentName,
  segmentName,
  type AppendLogOpenReport,
  type AppendLogOptions,
  type AppendLogReadOptions,
  type SegmentInfo,
  type SkippedLine,
  type WrittenSegment,
} from './append-log.js';
export {
  Checkpoint,
  CheckpointClosedError,
  mapCodec,
  type CheckpointCodec,
  type CheckpointOptions,
} from './checkpoint.js';
export { readLineBatches } from './line-reader.js';
export {
  RecordSnapshotAdapter,
  writeSnapshotFile,
  type RecordSnapshot,
  type RecordTables,
  type SnapshotFormat,
  type SnapshotReadResult,
} from './record-snapshot.js';
export {
  JournalWriter,
  deleteJournalsBefore,
  listJournalFiles,
  replayJournal,
  type JournalEntry,
  type JournalFile,
  type JournalReplayReport,
  type JournalWrite,
} from './record-journal.js';
export {
  RecordStore,
  copyJson,
  type CollectionSpec,
  type JsonRecord,
  type RecordStoreOptions,
  type RecordStoreStats,
  type RecordWrite,
} from './record-store.js';
