/** Running the app on a real socket: 127.0.0.1 and a free port unless told otherwise. */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp, type AppOptions } from './app.js';

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  /** Stops accepting connections and waits for the open ones to finish. */
  close(): Promise<void>;
  app: ReturnType<typeof createApp>['app'];
}

export interface ListenOptions extends AppOptions {
  port?: number;
  host?: string;
  /** Adds routes to the app before it listens (the benchmark's baseline route). */
  configureApp?: (app: ReturnType<typeof createApp>['app']) => void;
}

export async function listen(options: ListenOptions): Promise<RunningServer> {
  const { app } = createApp(options);
  options.configureApp?.(app);
  const host = options.host ?? '127.0.0.1';
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    app,
    close: () =>
      new Promise<void>((resolve, reject) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
