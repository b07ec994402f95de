import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type AppState } from './app';
import { serverFor } from './shared/http-floor';
import type { Metrics } from './shared/metrics';
import type { Container } from './container';
import { createScheduler } from './jobs/scheduler';
import { createRealtime } from './realtime';

export interface RunningServer {
  server: http.Server;
  url: string;
  /** Graceful: stop accepting, let in-flight requests finish (up to graceMs), then close the pool. */
  stop(graceMs?: number): Promise<void>;
  /** While stopping: the parts not closed yet, the one being closed first (empty once stopped). */
  stillOpen(): string[];
}

/** Starts HTTP and, unless `jobs: false` (tests that drive jobs by hand), the job scheduler. */
export async function start(
  c: Container,
  overrides: { port?: number; host?: string; jobs?: boolean } = {},
): Promise<RunningServer> {
  const state: AppState = { shuttingDown: false };
  const app = createApp(c, state);
  const server = serverFor(app);
  // Behind Nginx keep-alive: outlive its upstream keepalive_timeout (60 s default) to avoid resets.
  server.keepAliveTimeout = 65_000;
  const port = overrides.port ?? c.config.port;
  const host = overrides.host ?? c.config.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  // Socket.IO shares the HTTP server and port; its metrics join the app's registry.
  const realtime = createRealtime(server, c.realtime, { metrics: app.locals.metrics as Metrics });
  const scheduler = createScheduler(overrides.jobs === false ? [] : c.jobs, c.logger.child({ component: 'jobs' }));
  scheduler.start();
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  // What stop() still has to close, in its order; each part leaves the list once closed.
  const open = [
    'http server',
    'jobs',
    'domain events',
    'chat deliveries',
    'realtime (Socket.IO and its Redis clients)',
    'rate-limit Redis client',
    'broadcast Redis clients',
    'database pool',
  ];
  const closing = async (part: string, close: () => Promise<void> | void) => {
    await close();
    open.splice(open.indexOf(part), 1);
  };

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 10_000) =>
    (stopping ??= (async () => {
      state.shuttingDown = true;
      await closing('http server', async () => {
        // Upgraded websocket connections are never idle: without this, close() would wait for the grace timer.
        realtime.disconnect();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // server.close() only closes connections idle at that moment; keep-alive connections whose
        // in-flight request finishes later would otherwise stay open until the grace timer.
        const sweep = setInterval(() => server.closeIdleConnections(), 100);
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        await closed;
        clearInterval(sweep);
        clearTimeout(timer);
      });
      await closing('jobs', () => scheduler.stop());
      await closing('domain events', () => c.bus.drain());
      // Chat deliveries may still be turning into notifications for offline recipients.
      await closing('chat deliveries', () => c.chatBus.drain());
      await closing('realtime (Socket.IO and its Redis clients)', () => realtime.close());
      await closing('rate-limit Redis client', () => c.rateLimitRedis?.close());
      await closing('broadcast Redis clients', () => c.broadcast.close());
      await closing('database pool', () => c.db.destroy());
      c.logger.info('server stopped');
    })());

  return { server, url, stop, stillOpen: () => [...open] };
}
