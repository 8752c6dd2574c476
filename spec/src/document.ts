import { createRequire } from 'node:module';

// The bundled document is JSON; loading it through require keeps it one parse per process.
const require = createRequire(import.meta.url);

/** The bundled OpenAPI document (`spec/generated/openapi.json`). */
export const openapi: { openapi: string; info: { title: string; version: string }; paths: Record<string, unknown>; components: Record<string, unknown> } & Record<string, unknown> =
  require('../generated/openapi.json');
