export { createApp, MAX_BODY_BYTES, SERVER_VERSION, type AppOptions } from './app.js';
export { openFileStore, openMemoryStore, DATA_FILE_NAME } from './data/open.js';
export type { TesseraStore } from './data/store.js';
export { bootstrap, type BootstrapResult } from './domain/workspaces.js';
export type { AuditEventInput, EventSink } from './audit/types.js';
export { listen, type RunningServer } from './server.js';
export { ManualClock, systemClock, type Clock } from './traffic/index.js';
export { createTesseraMock, tesseraHttp, problemBody, problemHeaders, mockRequestId, DEFAULT_MOCK_BASE_URL, type TesseraMock, type TesseraMockOptions } from './mock/index.js';
export { docsRoutes, apiReferenceHtml, scalarBundleFile, scalarOfflineConfiguration, DOCS_CONTENT_SECURITY_POLICY, DOCS_PATH, SCALAR_BUNDLE_PATH } from './http/docs.js';
