import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { count, createTestDatabase, testEnv, usingMysql, type TestDatabase } from '../../test/harness';
import { loadConfig } from '../config';
import { createContainer } from '../container';
import { createDb } from '../db';
import { start, type RunningServer } from '../server';
import { DEMO_USERS } from '../../../seeds/01_demo_users';

const ROOT = path.resolve(__dirname, '../../..');

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A started server on its own database; stopped and dropped after the test whatever happens. */
async function startServer(): Promise<{ running: RunningServer; database: TestDatabase }> {
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  const c = createContainer(loadConfig(testEnv({ DATABASE_URL: database.url })), { db: database.db });
  const running = await start(c, { port: 0, host: '127.0.0.1' });
  cleanups.push(() => running.stop(0));
  return { running, database };
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** Resolves with the error of a TCP connect, or undefined if it connected. */
function tryConnect(port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (err) => resolve(err));
  });
}

function openSocket(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves when the server has closed the connection (the socket is read to its end to see that). */
function closed(socket: net.Socket): Promise<void> {
  socket.resume();
  return new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

describe('server start and stop', () => {
  it('when started on port 0, then it serves /healthz on the returned url', async () => {
    const { running } = await startServer();

    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(portOf(running.url)).toBeGreaterThan(0);
    const res = await fetch(`${running.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
  });

  it('when stopped, then the port refuses connections and the database pool is destroyed', async () => {
    const { running, database } = await startServer();
    const port = portOf(running.url);
    expect(await tryConnect(port)).toBeUndefined();

    await expect(running.stop()).resolves.toBeUndefined();

    expect((await tryConnect(port))?.code).toBe('ECONNREFUSED');
    await expect(database.db.raw('select 1')).rejects.toThrow();
    expect(running.server.listening).toBe(false);
  });

  it('when stop is called twice, then both calls share one shutdown', async () => {
    const { running } = await startServer();

    const first = running.stop();
    const second = running.stop();

    expect(second).toBe(first);
    await first;
  });

  it('when an idle keep-alive connection is open, then stop does not wait for it beyond the grace period', async () => {
    const { running } = await startServer();
    const socket = await openSocket(portOf(running.url));
    const socketClosed = closed(socket);

    const started = Date.now();
    await running.stop(500);

    expect(Date.now() - started).toBeLessThan(3_000);
    await socketClosed;
    expect(socket.destroyed).toBe(true);
  });

  it('when a request is in flight during stop, then it still completes and readiness reports 503 shutting down', async () => {
    const { running } = await startServer();
    const socket = await openSocket(portOf(running.url));
    let response = '';
    socket.on('data', (chunk: Buffer) => (response += chunk.toString()));
    const socketClosed = closed(socket);
    // A JSON body sent in chunks keeps the request in flight until its last chunk arrives.
    const received = new Promise<void>((resolve) => running.server.once('request', () => resolve()));
    socket.write(
      'GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    await received;

    const stopping = running.stop(10_000);
    socket.write('2\r\n{}\r\n0\r\n\r\n');
    await stopping;
    await socketClosed;

    expect(response).toMatch(/^HTTP\/1\.1 503 /);
    expect(response).toContain('"code":"NOT_READY"');
    expect(response).toContain('服务正在停止');
  });

  it('when a keep-alive request finishes during stop, then stop returns without waiting out the grace period', async () => {
    const { running } = await startServer();
    const socket = await openSocket(portOf(running.url));
    const socketClosed = closed(socket);
    const received = new Promise<void>((resolve) => running.server.once('request', () => resolve()));
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{');
    await received;

    const started = Date.now();
    const stopping = running.stop(10_000);
    socket.write('}');
    await stopping;

    // The connection stays keep-alive after its response; stop must close it once it is idle.
    expect(Date.now() - started).toBeLessThan(5_000);
    await socketClosed;
  });

  it('when a request stalls during stop, then stop resolves once the grace period ends and drops it', async () => {
    const { running } = await startServer();
    const socket = await openSocket(portOf(running.url));
    const socketClosed = closed(socket);
    const received = new Promise<void>((resolve) => running.server.once('request', () => resolve()));
    socket.write(
      'POST /api/auth/wechat-login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"co',
    );
    await received;

    const started = Date.now();
    await running.stop(300);

    expect(Date.now() - started).toBeLessThan(3_000);
    await socketClosed;
  });
});

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

interface Entrypoint {
  child: ChildProcess;
  url: string;
  output(): { stdout: string; stderr: string };
  exited: Promise<number | null>;
}

/** `tsx api/src/main.ts` in development mode on a given SQLite file, in a directory with no .env. */
async function spawnEntrypoint(cwd: string, databaseUrl: string): Promise<Entrypoint> {
  const port = await freePort();
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'api/src/main.ts')], {
    cwd,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'info',
      SEED_DEMO: undefined,
      ADMIN_OPENIDS: undefined,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a failed test can kill tsx and the node process it runs together.
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid!, 'SIGKILL');
      await exited;
    }
  });
  return { child, url: `http://127.0.0.1:${port}`, output: () => ({ stdout, stderr }), exited };
}

/** Polls /readyz until 200; fails early with the child's output if it exits first. */
async function waitUntilReady(e: Entrypoint, deadlineMs = 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (e.child.exitCode !== null) throw new Error(`entrypoint exited with ${e.child.exitCode}: ${e.output().stderr}`);
    try {
      if ((await fetch(`${e.url}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`entrypoint not ready within ${deadlineMs} ms: ${JSON.stringify(e.output())}`);
}

async function exitWithin(e: Entrypoint, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      e.exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`entrypoint did not exit within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function loginAlice(url: string) {
  const res = await fetch(`${url}/api/auth/wechat-login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: 'dev-alice' }),
  });
  return { status: res.status, body: (await res.json()) as { data: { isNewUser: boolean; user: { name: string } } } };
}

describe.runIf(!usingMysql)('entrypoint (npm start)', () => {
  it('when started twice on a fresh SQLite file, then it migrates and seeds once, serves the demo users and stops cleanly on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repair-main-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const databaseUrl = `sqlite:${path.join(dir, 'dev.sqlite3')}`;

    // First start: an empty file is migrated and seeded.
    const first = await spawnEntrypoint(dir, databaseUrl);
    await waitUntilReady(first);
    const login1 = await loginAlice(first.url);
    expect(login1.status).toBe(200);
    expect(login1.body.data.isNewUser).toBe(false);
    expect(login1.body.data.user.name).toBe('张丽');

    first.child.kill('SIGTERM');
    expect(await exitWithin(first, 10_000)).toBe(0);
    expect(first.output().stdout).toContain('migrations applied');
    expect(first.output().stdout).toContain('demo data seeded');
    expect(first.output().stdout).toContain('server stopped');

    const db = createDb(databaseUrl);
    let usersAfterFirst: number;
    try {
      usersAfterFirst = await count(db, 'users');
    } finally {
      await db.destroy();
    }
    expect(usersAfterFirst).toBe(DEMO_USERS.length);

    // Second start on the same file: nothing to migrate, nothing re-seeded.
    const second = await spawnEntrypoint(dir, databaseUrl);
    await waitUntilReady(second);
    const login2 = await loginAlice(second.url);
    expect(login2.status).toBe(200);
    expect(login2.body.data.isNewUser).toBe(false);
    expect(login2.body.data.user.name).toBe('张丽');

    second.child.kill('SIGTERM');
    expect(await exitWithin(second, 10_000)).toBe(0);
    expect(second.output().stdout).not.toContain('migrations applied');
    expect(second.output().stdout).not.toContain('demo data seeded');
    expect(second.output().stdout).toContain('server stopped');

    const again = createDb(databaseUrl);
    try {
      expect(await count(again, 'users')).toBe(usersAfterFirst);
      expect(await count(again, 'users', { openid: 'dev-alice' })).toBe(1);
    } finally {
      await again.destroy();
    }
  }, 150_000);
});
