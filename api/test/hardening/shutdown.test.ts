/**
 * Shutdown always ends (issue #22): the real entry point (`api/src/main.ts`) as a child process gets
 * SIGTERM while Redis or the database cannot be reached, and must exit within SHUTDOWN_TIMEOUT_MS —
 * cleanly when every part closes, non-zero with a log line naming the parts still open when one
 * hangs past the deadline — and every write it acknowledged before is in the database afterwards.
 *
 * Redis: a redis-server of the test's own, stopped before the SIGTERM (SQLite or MariaDB, per TEST_DB).
 * Database: only MariaDB can be taken away (an embedded SQLite file cannot be unreachable), so those
 * cases run with TEST_DB=mysql, on a private MariaDB server that is killed, or frozen (SIGSTOP: it
 * holds its connections and answers nothing, as behind a network partition).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, migrateLatest } from '../../src/db';
import { placeOrder } from '../../src/modules/orders/__tests__/order-helpers';
import { freePort, startRedis } from '../../src/realtime/__tests__/support';
import { createTestDatabase, login, usingMysql } from '../harness';
import { hasMariadb, startPrivateMariadb } from '../private-mariadb';

const ROOT = path.resolve(__dirname, '../../..');
const SHUTDOWN_TIMEOUT_MS = 4_000;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

interface Api {
  url: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** `node --import tsx api/src/main.ts`, its JSON log collected; killed after the test if still running. */
async function spawnApi(env: Record<string, string>): Promise<Api> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'api/src/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      SEED_DEMO: 'false',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  const deadline = Date.now() + 30_000;
  while (!out.includes('"msg":"API listening"')) {
    if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}: ${out}`);
    if (Date.now() > deadline) throw new Error(`API did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `http://127.0.0.1:${port}`, child, output: () => out, exited };
}

/** SIGTERM, then how long the process took to exit and with which code (fails past `limitMs`). */
async function terminate(api: Api, limitMs: number): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  api.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    api.exited,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still running ${limitMs} ms after SIGTERM:\n${api.output()}`)), limitMs);
    }),
  ]).finally(() => clearTimeout(timer));
  return { code, ms: Date.now() - started };
}

/** Log lines (pino JSON) with the given message. */
const logLines = (api: Api, msg: string) =>
  api
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.msg === msg);

describe('shutdown with Redis unreachable', () => {
  it('when Redis has gone away, then SIGTERM ends the process within the deadline, cleanly, and every acknowledged order is stored', async () => {
    const redis = await startRedis();
    cleanups.push(() => redis.stop());
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const api = await spawnApi({ DATABASE_URL: database.url, REDIS_URL: `redis://127.0.0.1:${redis.port}` });
    const http = request(api.url);

    const alice = await login({ http }, 'shutdown-redis-a');
    const before = await placeOrder({ http }, alice);
    await redis.stop();
    // Acknowledged while Redis is down (the limits fail open; pushes go nowhere).
    const bob = await login({ http }, 'shutdown-redis-b');
    const during = await placeOrder({ http }, bob);
    // Let the Redis clients notice and start reconnecting, as they would in production.
    await new Promise((r) => setTimeout(r, 1_500));

    const { code, ms } = await terminate(api, SHUTDOWN_TIMEOUT_MS + 3_000);

    expect(code).toBe(0);
    expect(ms).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(logLines(api, 'server stopped')).toHaveLength(1);
    const stored = await database.db('orders').whereIn('id', [before.id, during.id]).select('id');
    expect(stored.map((o) => o.id).sort()).toEqual([before.id, during.id].sort());
  }, 90_000);
});

describe.runIf(usingMysql && hasMariadb())('shutdown with the database unreachable (MariaDB)', () => {
  async function withPrivateMariadb() {
    const mariadb = await startPrivateMariadb();
    cleanups.push(() => mariadb.destroy());
    const db = createDb(mariadb.url, { poolMax: 2 });
    await migrateLatest(db);
    await db.destroy();
    return mariadb;
  }

  it('when MariaDB has been killed, then SIGTERM ends the process within the deadline, and the order acknowledged before is stored', async () => {
    const mariadb = await withPrivateMariadb();
    const api = await spawnApi({ DATABASE_URL: mariadb.url });
    const http = request(api.url);
    const alice = await login({ http }, 'shutdown-db-killed');
    const order = await placeOrder({ http }, alice);

    await mariadb.kill();
    const { ms } = await terminate(api, SHUTDOWN_TIMEOUT_MS + 3_000);
    expect(ms).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 1_000);

    await mariadb.start();
    const db = createDb(mariadb.url, { poolMax: 1 });
    try {
      expect(await db('orders').where({ id: order.id }).first()).toMatchObject({ id: order.id, status: 'pending' });
    } finally {
      await db.destroy();
    }
  }, 120_000);

  it('when MariaDB stops answering with a request waiting on it, then SIGTERM exits non-zero at the deadline, logging the parts still open; the order acknowledged before is stored', async () => {
    const mariadb = await withPrivateMariadb();
    const api = await spawnApi({ DATABASE_URL: mariadb.url });
    const http = request(api.url);
    const alice = await login({ http }, 'shutdown-db-frozen');
    const order = await placeOrder({ http }, alice);

    mariadb.freeze();
    // A request that now waits on the database for ever (its answer, if any, does not matter).
    const hanging = http
      .get('/api/orders')
      .set(alice.auth)
      .then(
        () => undefined,
        () => undefined,
      );
    await new Promise((r) => setTimeout(r, 300));
    const { code, ms } = await terminate(api, SHUTDOWN_TIMEOUT_MS + 3_000);
    await hanging;

    expect(code).toBe(1);
    expect(ms).toBeGreaterThanOrEqual(SHUTDOWN_TIMEOUT_MS - 100);
    expect(ms).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 2_000);
    const [deadline] = logLines(api, 'shutdown deadline passed, exiting with parts still open');
    expect(deadline).toBeDefined();
    expect(deadline!.stillOpen).toEqual(expect.arrayContaining(['database pool']));

    mariadb.thaw();
    const db = createDb(mariadb.url, { poolMax: 1 });
    try {
      expect(await db('orders').where({ id: order.id }).first()).toMatchObject({ id: order.id, status: 'pending' });
    } finally {
      await db.destroy();
    }
  }, 120_000);
});
