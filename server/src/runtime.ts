/**
 * Everything `npm start` runs, in order: the data folder (lock, records, checkpoints), the event
 * pipeline (audit log, usage counters, alerts), the app, the first admin, the socket. `close()`
 * undoes it in reverse, flushing every buffer.
 */
import type { BootstrapResult } from './domain/workspaces.js';
import { bootstrap } from './domain/workspaces.js';
import { openFileStore } from './data/open.js';
import type { ServerConfig } from './config.js';
import { openEventPipeline } from './events.js';
import { listen, type ListenOptions } from './server.js';
import { systemClock, type Clock } from './traffic/index.js';

export interface RunningTessera {
  url: string;
  port: number;
  bootstrapped: BootstrapResult | undefined;
  close(): Promise<void>;
}

export async function startTessera(config: ServerConfig, clock: Clock = systemClock, configureApp?: ListenOptions['configureApp']): Promise<RunningTessera> {
  const store = await openFileStore(config.dataDir, {
    onFailure: (error) => console.error(`tessera-server: storage failed: ${error.message}`),
    // Nothing is lost (the journal holds every change) and the checkpoint is retried; still, say so.
    onCheckpointError: (error) => console.error(`tessera-server: checkpoint failed, will retry: ${error instanceof Error ? error.message : String(error)}`),
  });
  let pipeline;
  try {
    pipeline = await openEventPipeline({ dataDir: config.dataDir, store, clock, exportSigningSecret: config.exportSigningSecret });
    const bootstrapped = await bootstrap(store, new Date(clock.now()), config.adminToken);
    const server = await listen({ store, clock, pipeline, port: config.port, host: config.host, ...(configureApp ? { configureApp } : {}) });
    return {
      url: server.url,
      port: server.port,
      bootstrapped,
      close: async () => {
        await server.close();
        await pipeline!.close();
        await store.close();
      },
    };
  } catch (error) {
    await pipeline?.close();
    await store.close();
    throw error;
  }
}
