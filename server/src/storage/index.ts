/** Durable storage building blocks for the reference server (no domain knowledge here). */
export {
  CorruptDataFileError,
  UnreadableDataFileError,
  fsyncDirectory,
  readJsonFile,
  removeLeftoverTempFiles,
  writeFileDurably,
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
} from './append-log.js';
export {
  Checkpoint,
  CheckpointClosedError,
  mapCodec,
  type CheckpointCodec,
  type CheckpointOptions,
} from './checkpoint.js';
