/** Running the app on a real socket: 127.0.0.1 and a free port unless told otherwise. */
import type { Server as HttpServer } from 'node:http';
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
  /** Adds routes to the app before it listens (the benchmark's baseline routes). */
  configureApp?: (app: ReturnType<typeof createApp>['app'], services: ReturnType<typeof createApp>['services']) => void;
}

export async function listen(options: ListenOptions): Promise<RunningServer> {
  const { app, services } = createApp(options);
  options.configureApp?.(app, services);
  const host = options.host ?? '127.0.0.1';
  // serve() without a createServer option makes a plain node:http server.
  const server = (await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, () => resolve(s));
    s.once('error', reject);
  })) as HttpServer;
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    host,
    app,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Requests in flight finish, and file their audit events, before the caller closes the
        // stores behind them. A keep-alive connection goes idle once its answer is sent: close it
        // then, rather than wait for the client (polled: no per-request listener on the hot path).
        const idle = setInterval(() => server.closeIdleConnections(), 20);
        // A request still running after this long is cut off.
        const forced = setTimeout(() => server.closeAllConnections(), 2_000);
        server.close((error) => {
          clearInterval(idle);
          clearTimeout(forced);
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
