export { createApp, MAX_BODY_BYTES, SERVER_VERSION, type AppOptions } from './app.js';
export { openFileStore, openMemoryStore, DATA_FILE_NAME } from './data/open.js';
export type { TesseraStore } from './data/store.js';
export { bootstrap, type BootstrapResult } from './domain/workspaces.js';
export type { AuditEventInput, EventSink } from './audit/types.js';
export { listen, type RunningServer } from './server.js';
export { ManualClock, systemClock, type Clock } from './traffic/index.js';
