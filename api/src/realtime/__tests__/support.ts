import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll } from 'vitest';
import net from 'node:net';
import { io as connectClient, type Socket } from 'socket.io-client';
import { start, type RunningServer } from '../../server';
import type { Container } from '../../container';
import { createTestApp, loginAsAdmin, type TestApp } from '../../../test/harness';
import type { ClientToServerEvents, ServerToClientEvents } from '../events';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real server on an ephemeral port, and every client connected to it, closed together. */
export async function startRealtime(c: Container): Promise<{ server: RunningServer; url: string }> {
  const server = await start(c, { port: 0, host: '127.0.0.1', jobs: false });
  return { server, url: server.url };
}

/**
 * The file's test app with its realtime server, started before its tests and stopped after them;
 * the sockets a test connects are closed after it. `ready` receives them once started.
 */
export function useRealtimeApp(ready: (app: { t: TestApp; server: RunningServer; url: string }) => void): void {
  let app: { t: TestApp; server: RunningServer; url: string } | undefined;
  beforeAll(async () => {
    const t = await createTestApp();
    app = { t, ...(await startRealtime(t.c)) };
    ready(app);
  });
  afterEach(() => closeClients());
  afterAll(async () => {
    await app?.server.stop(1000);
    await app?.t.close().catch(() => undefined);
  });
}

const clients = new Set<ClientSocket>();

/** Connects with `token`; resolves once connected, rejects with the connect_error. */
export function connect(url: string, token: string | undefined): Promise<ClientSocket> {
  const socket: ClientSocket = connectClient(url, {
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  clients.add(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Resolves with the reason once the socket is disconnected. */
export function disconnected(socket: ClientSocket): Promise<string> {
  return new Promise((resolve) => socket.once('disconnect', resolve));
}

/** Bans a user through the admin API (as `dev-admin`); throws unless it succeeds. */
export async function ban(t: Pick<TestApp, 'http'>, userId: number): Promise<void> {
  const admin = await loginAsAdmin(t);
  const res = await t.http.post(`/api/admin/users/${userId}/status`).set(admin.auth).send({ status: 'banned', reason: '测试' });
  if (res.status !== 200) throw new Error(`ban ${userId} failed: ${res.status} ${JSON.stringify(res.body)}`);
}

export function closeClients() {
  for (const s of clients) s.close();
  clients.clear();
}

type Payload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/** The next `event` on `socket` (matching `predicate`), or a failure after `timeoutMs`. */
export function waitFor<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  predicate: (payload: Payload<E>) => boolean = () => true,
  timeoutMs = 3000,
): Promise<Payload<E>> {
  return new Promise((resolve, reject) => {
    const loose = socket as unknown as {
      on(e: string, l: (p: unknown) => void): void;
      off(e: string, l: (p: unknown) => void): void;
    };
    const listener = (payload: unknown) => {
      if (!predicate(payload as Payload<E>)) return;
      clearTimeout(timer);
      loose.off(event, listener);
      resolve(payload as Payload<E>);
    };
    const timer = setTimeout(() => {
      loose.off(event, listener);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${event}`));
    }, timeoutMs);
    loose.on(event, listener);
  });
}

/**
 * Records every `event` the sockets receive from now on. Absence cannot be awaited, so tests that
 * say "and nobody else" first wait for the intended recipients, then round-trip a heartbeat through
 * each silent socket: the server handles a socket's packets in order, and a push emitted before the
 * heartbeat's ack reaches the client before that ack. Only a push from another instance (Redis)
 * needs the short bounded wait of `expectNothing`.
 */
export function record<E extends keyof ServerToClientEvents>(sockets: ClientSocket[], event: E) {
  const got = new Map<ClientSocket, Payload<E>[]>();
  for (const s of sockets) {
    got.set(s, []);
    (s as unknown as { on(e: string, l: (p: unknown) => void): void }).on(event, (p) => got.get(s)!.push(p as Payload<E>));
  }
  return {
    of: (s: ClientSocket) => got.get(s)!,
    /** Round-trips every socket, so anything already sent to them has arrived. */
    async settle() {
      await Promise.all(sockets.map((s) => s.timeout(3000).emitWithAck('heartbeat', {})));
    },
  };
}

/**
 * Fails if `event` arrives on `socket` within `ms`. Only for asserting absence across processes,
 * where no in-order round trip proves delivery is over; kept short (~200 ms) for that reason.
 */
export async function expectNothing(socket: ClientSocket, event: keyof ServerToClientEvents, ms = 200) {
  const received = await waitFor(socket, event, () => true, ms).then(
    (p) => p,
    () => undefined,
  );
  if (received !== undefined) throw new Error(`unexpected ${event}: ${JSON.stringify(received)}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A throwaway redis-server; missing from PATH is a failure, never a skip. */
export async function startRedis(): Promise<{ port: number; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`redis-server could not be started (install it: apt-get install -y redis-server): ${err.message}`));
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { port, child, stop };
}

/**
 * The real API entry point (`api/src/main.ts`) as a child process on `databaseUrl`; resolves with
 * its URL once it logs that it listens. Jobs run in it as in production.
 */
export async function startApiProcess(
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      SEED_DEMO: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API process did not start: ${out}`)), 20_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const listening = /"url":"([^"]+)"[^\n]*"msg":"API listening"|"msg":"API listening"[^\n]*"url":"([^"]+)"/.exec(out);
      if (listening) {
        clearTimeout(timer);
        resolve((listening[1] ?? listening[2])!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`API process exited with ${code}: ${out}`));
    });
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
