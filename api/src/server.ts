import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type AppState } from './app';
import type { Container } from './container';

export interface RunningServer {
  server: http.Server;
  url: string;
  /** Graceful: stop accepting, let in-flight requests finish (up to graceMs), then close the pool. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts HTTP on config.port (0 in tests picks a free port). */
export async function start(c: Container, overrides: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const state: AppState = { shuttingDown: false };
  const server = http.createServer(createApp(c, state));
  // Behind Nginx keep-alive: outlive its upstream keepalive_timeout (60 s default) to avoid resets.
  server.keepAliveTimeout = 65_000;
  const port = overrides.port ?? c.config.port;
  const host = overrides.host ?? c.config.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 10_000) =>
    (stopping ??= (async () => {
      state.shuttingDown = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
      await c.db.destroy();
      c.logger.info('server stopped');
    })());

  return { server, url, stop };
}
